/**
 * The Salesforce emulator from inside workerd: its control API over real HTTP, and sessions as the extension
 * would hand them over. The org answers as https://acme.my.salesforce.com (SALESFORCE_DEV_ORIGINS maps it).
 */
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';

export const EMULATOR_URL = inject('salesforceEmulatorUrl');
export const ORG_URL = 'https://acme.my.salesforce.com';

export async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`emulator ${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export const resetOrg = () => control<{ adminAccessToken: string }>('POST', '/reset');

export async function adminSession() {
  const { accessToken } = await control<{ accessToken: string }>('GET', '/admin');
  return { instanceUrl: ORG_URL, accessToken };
}

export interface OrgSnapshot {
  orgId: string;
  users: { Id: string; Username: string; Name: string; IsActive: boolean; Profile: string | null; PermissionSets: string[]; PermissionSetLicenses: string[] }[];
  permissionSets: {
    Id: string;
    Name: string;
    Description: string | null;
    ObjectPermissions: { Id: string; SobjectType: string; PermissionsRead: boolean; PermissionsCreate: boolean; PermissionsEdit: boolean; PermissionsDelete: boolean; PermissionsViewAllRecords: boolean; PermissionsModifyAllRecords: boolean }[];
    FieldPermissions: { Id: string; Field: string; PermissionsRead: boolean; PermissionsEdit: boolean }[];
    Assignments: { AssigneeId: string }[];
  }[];
  apps: { name: string; kind: 'ExternalClientApplication' | 'ConnectedApp'; consumerKey?: string; permissionSets: string[]; adminApproved: boolean }[];
  userLicenses: { Name: string; TotalLicenses: number; UsedLicenses: number }[];
}

export const inspectOrg = () => control<OrgSnapshot>('GET', '/org');

/** A fresh emulated org and no tenants: tests share one org, and D1 is isolated per file, not per test. */
export async function freshOrgAndTenants() {
  await resetOrg();
  await env.DB.prepare('DELETE FROM tenants').run();
}
