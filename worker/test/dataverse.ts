/**
 * The Dataverse emulator from inside workerd: its control API over real HTTP and the default app registration's
 * credentials. The environment answers as https://acme.crm.dynamics.com (DATAVERSE_DEV_ORIGINS maps it).
 */
import { inject } from 'vitest';

export const DATAVERSE_EMULATOR_URL = inject('dataverseEmulatorUrl');
export const ENVIRONMENT_URL = inject('dataverseEnvironmentUrl');
export const ENTRA_TENANT_ID = inject('dataverseTenantId');
export const CLIENT_ID = inject('dataverseClientId');
export const CLIENT_SECRET = inject('dataverseClientSecret');

export async function dataverseControl<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${DATAVERSE_EMULATOR_URL}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`dataverse emulator ${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export const resetDataverse = () => dataverseControl('POST', '/reset');

export const defaultConnectionInput = () => ({ environmentUrl: ENVIRONMENT_URL, tenantId: ENTRA_TENANT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
