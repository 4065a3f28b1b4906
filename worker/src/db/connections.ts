/** Queries on `connections` and `connection_steps`. Every read that serves a client is scoped by tenant. */
import type { ConnectionOperation, ConnectionStatus } from '../../../shared/api';

export interface ConnectionRow {
  id: string;
  tenant_id: string;
  org_id: string;
  instance_url: string;
  login_audience: string;
  status: ConnectionStatus;
  operation: ConnectionOperation;
  app_kind: 'external_client_app' | 'connected_app' | null;
  app_name: string;
  consumer_key: string | null;
  integration_username: string;
  integration_user_id: string | null;
  permission_set_name: string;
  permission_set_id: string | null;
  granted_access: string | null;
  certificate_pem: string | null;
  private_key_sealed: string | null;
  access_token_sealed: string | null;
  created_at: string;
  connected_at: string | null;
  verified_at: string | null;
  last_error_step: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  drift: string | null;
  lease_until: string | null;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepRow {
  connection_id: string;
  operation: ConnectionOperation;
  position: number;
  step: string;
  status: StepStatus;
  detail: string | null;
  state: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
}

/** The connection by id, of any tenant: for the background work (sync, drift checks), never for a client's request. */
export function findConnectionById(db: D1Database, id: string): Promise<ConnectionRow | null> {
  return db.prepare('SELECT * FROM connections WHERE id = ?1').bind(id).first<ConnectionRow>();
}

export function findConnection(db: D1Database, tenantId: string, id: string): Promise<ConnectionRow | null> {
  return db.prepare('SELECT * FROM connections WHERE id = ?1 AND tenant_id = ?2').bind(id, tenantId).first<ConnectionRow>();
}

/** Whether the tenant has a connection with this id (whatever its status). */
export async function tenantHasConnection(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  return (await db.prepare('SELECT id FROM connections WHERE id = ?1 AND tenant_id = ?2').bind(id, tenantId).first()) !== null;
}

export async function listConnections(db: D1Database, tenantId: string): Promise<ConnectionRow[]> {
  const { results } = await db.prepare('SELECT * FROM connections WHERE tenant_id = ?1 ORDER BY created_at').bind(tenantId).all<ConnectionRow>();
  return results;
}

/** The connection, of any tenant, that currently holds the org (one org belongs to one tenant). */
export function findLiveConnectionForOrg(db: D1Database, orgId: string): Promise<ConnectionRow | null> {
  return db.prepare("SELECT * FROM connections WHERE org_id = ?1 AND status <> 'off'").bind(orgId).first<ConnectionRow>();
}

export function findTenantConnectionForOrg(db: D1Database, tenantId: string, orgId: string): Promise<ConnectionRow | null> {
  return db.prepare('SELECT * FROM connections WHERE tenant_id = ?1 AND org_id = ?2').bind(tenantId, orgId).first<ConnectionRow>();
}

export async function insertConnection(db: D1Database, row: Pick<ConnectionRow, 'id' | 'tenant_id' | 'org_id' | 'instance_url' | 'login_audience' | 'status' | 'operation' | 'app_name' | 'integration_username' | 'permission_set_name'>): Promise<void> {
  await db
    .prepare(
      `INSERT INTO connections (id, tenant_id, org_id, instance_url, login_audience, status, operation, app_name, integration_username, permission_set_name)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    )
    .bind(row.id, row.tenant_id, row.org_id, row.instance_url, row.login_audience, row.status, row.operation, row.app_name, row.integration_username, row.permission_set_name)
    .run();
}

type Patch = Partial<Omit<ConnectionRow, 'id' | 'tenant_id' | 'org_id' | 'created_at'>>;

export async function updateConnection(db: D1Database, id: string, patch: Patch): Promise<void> {
  const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return;
  const assignments = entries.map(([column], index) => `${column} = ?${index + 2}`).join(', ');
  await db
    .prepare(`UPDATE connections SET ${assignments} WHERE id = ?1`)
    .bind(id, ...entries.map(([, value]) => value))
    .run();
}

export async function listSteps(db: D1Database, connectionId: string): Promise<StepRow[]> {
  const { results } = await db.prepare('SELECT * FROM connection_steps WHERE connection_id = ?1 ORDER BY position').bind(connectionId).all<StepRow>();
  return results;
}

/** Replaces the recorded steps with a fresh, all-pending plan for a new operation. */
export async function planSteps(db: D1Database, connectionId: string, operation: ConnectionOperation, steps: readonly string[]): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM connection_steps WHERE connection_id = ?1').bind(connectionId),
    ...steps.map((step, position) =>
      db
        .prepare("INSERT INTO connection_steps (connection_id, operation, position, step, status) VALUES (?1, ?2, ?3, ?4, 'pending')")
        .bind(connectionId, operation, position, step),
    ),
  ]);
}

export async function updateStep(db: D1Database, connectionId: string, step: string, patch: Partial<Pick<StepRow, 'status' | 'detail' | 'state' | 'error_code' | 'error_message' | 'started_at' | 'finished_at'>>): Promise<void> {
  const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
  const assignments = entries.map(([column], index) => `${column} = ?${index + 3}`).join(', ');
  await db
    .prepare(`UPDATE connection_steps SET ${assignments} WHERE connection_id = ?1 AND step = ?2`)
    .bind(connectionId, step, ...entries.map(([, value]) => value))
    .run();
}

/** Connected connections not verified since `before`, oldest first: the periodic drift check's work list. */
export async function connectionsToVerify(db: D1Database, before: string, limit: number): Promise<ConnectionRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM connections WHERE status = 'connected' AND (verified_at IS NULL OR verified_at < ?1) ORDER BY verified_at LIMIT ?2")
    .bind(before, limit)
    .all<ConnectionRow>();
  return results;
}
