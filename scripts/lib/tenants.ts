/**
 * Creating and listing tenants from the command line. The key is generated here, only its hash goes to D1, and
 * the key is printed once.
 */
import { TenantNameSchema } from '../../shared/api';
import { generateApiKey, hashApiKey } from '../../worker/src/api-keys';
import { type D1Target, executeSql } from './wrangler';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface CreatedTenant {
  id: string;
  name: string;
  apiKey: string;
}

export async function createTenantWithKey(target: D1Target, rawName: string): Promise<CreatedTenant> {
  const name = TenantNameSchema.parse(rawName);
  const id = crypto.randomUUID();
  const apiKey = generateApiKey();
  const hash = await hashApiKey(apiKey);
  await executeSql(
    target,
    `INSERT INTO tenants (id, name) VALUES (${quote(id)}, ${quote(name)});
     INSERT INTO api_keys (id, tenant_id, key_hash, label) VALUES (${quote(crypto.randomUUID())}, ${quote(id)}, ${quote(hash)}, 'cli');`,
  );
  return { id, name, apiKey };
}

/** A further key for an existing tenant (rotation: create the new one, switch, then revoke the old). */
export async function addKey(target: D1Target, tenantId: string): Promise<string> {
  const rows = await executeSql<{ id: string }>(target, `SELECT id FROM tenants WHERE id = ${quote(tenantId)}`);
  if (rows.length === 0) throw new Error(`There is no tenant ${tenantId}. List them with \`npm run tenant -- list\`.`);
  const apiKey = generateApiKey();
  await executeSql(
    target,
    `INSERT INTO api_keys (id, tenant_id, key_hash, label) VALUES (${quote(crypto.randomUUID())}, ${quote(tenantId)}, ${quote(await hashApiKey(apiKey))}, 'cli');`,
  );
  return apiKey;
}

export interface TenantListing {
  id: string;
  name: string;
  created_at: string;
  active_keys: number;
}

export function listTenants(target: D1Target): Promise<TenantListing[]> {
  return executeSql<TenantListing>(
    target,
    `SELECT t.id, t.name, t.created_at, COUNT(k.id) AS active_keys
       FROM tenants t LEFT JOIN api_keys k ON k.tenant_id = t.id AND k.revoked_at IS NULL
      GROUP BY t.id ORDER BY t.created_at`,
  );
}

export async function revokeKeys(target: D1Target, tenantId: string): Promise<void> {
  await executeSql(target, `UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE tenant_id = ${quote(tenantId)} AND revoked_at IS NULL`);
}
