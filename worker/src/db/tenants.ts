/** Queries on `tenants` and `api_keys`. */
import type { Tenant } from '../../../shared/api';

interface TenantRow {
  id: string;
  name: string;
  created_at: string;
}

const toTenant = (row: TenantRow): Tenant => ({ id: row.id, name: row.name, createdAt: row.created_at });

export async function findTenantByKeyHash(db: D1Database, keyHash: string): Promise<Tenant | undefined> {
  const row = await db
    .prepare(
      `SELECT t.id, t.name, t.created_at
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.key_hash = ?1 AND k.revoked_at IS NULL`,
    )
    .bind(keyHash)
    .first<TenantRow>();
  return row ? toTenant(row) : undefined;
}

/** Creates a tenant with its first key in one batch; used by tests (the CLI sends the same SQL through wrangler). */
export async function createTenant(
  db: D1Database,
  tenant: { id: string; name: string },
  key: { id: string; hash: string; label: string },
): Promise<void> {
  await db.batch([
    db.prepare('INSERT INTO tenants (id, name) VALUES (?1, ?2)').bind(tenant.id, tenant.name),
    db
      .prepare('INSERT INTO api_keys (id, tenant_id, key_hash, label) VALUES (?1, ?2, ?3, ?4)')
      .bind(key.id, tenant.id, key.hash, key.label),
  ]);
}

export async function renameTenant(db: D1Database, tenantId: string, name: string): Promise<Tenant> {
  const row = await db
    .prepare('UPDATE tenants SET name = ?2 WHERE id = ?1 RETURNING id, name, created_at')
    .bind(tenantId, name)
    .first<TenantRow>();
  if (!row) throw new Error(`tenant ${tenantId} vanished while renaming it`);
  return toTenant(row);
}
