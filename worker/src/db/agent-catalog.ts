/** What the agent catalog reads: the tenant's enabled mappings, row counts and last successes, and sync status. */
import type { DestinationTable } from '../../../shared/mapping/destination';
import { parseMapping } from './stored-json';

/** The tenant's enabled connector tables, oldest connector first, with their mappings parsed. */
export async function enabledMappingsOfTenant(db: D1Database, tenantId: string): Promise<{ table_name: DestinationTable; mapping: Record<string, string>; connector_id: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT ct.table_name, ct.mapping, ct.connector_id FROM connector_tables ct JOIN connectors c ON c.id = ct.connector_id
        WHERE c.tenant_id = ?1 AND ct.enabled = 1 ORDER BY c.created_at`,
    )
    .bind(tenantId)
    .all<{ table_name: DestinationTable; mapping: string; connector_id: string }>();
  return results.map((r) => ({ ...r, mapping: parseMapping(r.mapping) }));
}

/** Live and soft-deleted rows of the tenant in `table`, and the last successful run of one of `connectorIds` on it. */
export async function tableStats(db: D1Database, tenantId: string, table: DestinationTable, connectorIds: string[]) {
  const stats = await db
    .prepare(
      `SELECT (SELECT count(*) FROM ${table} WHERE tenant_id = ?1 AND forcebridge_deleted_at IS NULL) AS rows,
                (SELECT count(*) FROM ${table} WHERE tenant_id = ?1 AND forcebridge_deleted_at IS NOT NULL) AS deleted,
                (SELECT max(finished_at) FROM sync_runs WHERE table_name = ?2 AND status = 'succeeded' AND connector_id IN (SELECT value FROM json_each(?3))) AS last_success`,
    )
    .bind(tenantId, table, JSON.stringify(connectorIds))
    .first<{ rows: number; deleted: number; last_success: string | null }>();
  return stats!;
}

export interface StatusConnectorRow {
  id: string;
  name: string;
  active: number;
  delete_mode: string;
  next_run_at: string | null;
  connection_id: string;
  instance_url: string;
  connection_status: string;
}

export async function statusConnectors(db: D1Database, tenantId: string): Promise<StatusConnectorRow[]> {
  const { results } = await db
    .prepare(
      `SELECT c.id, c.name, c.active, c.delete_mode, c.next_run_at, n.id AS connection_id, n.instance_url, n.status AS connection_status
         FROM connectors c JOIN connections n ON n.id = c.connection_id WHERE c.tenant_id = ?1 ORDER BY c.created_at`,
    )
    .bind(tenantId)
    .all<StatusConnectorRow>();
  return results;
}

/** Each enabled table of the connector: its cursor, its latest run and how many rejects it holds. */
export async function statusTables(db: D1Database, connectorId: string): Promise<Record<string, string | number | null>[]> {
  const { results } = await db
    .prepare(
      `SELECT t.table_name, t.enabled, s.phase, s.loaded, s.total, s.watermark,
                r.status, r.started_at, r.finished_at, r.records_upserted, r.records_deleted, r.records_rejected, r.api_calls, r.error_code, r.error_message,
                (SELECT count(*) FROM sync_rejects j WHERE j.connector_id = t.connector_id AND j.table_name = t.table_name) AS rejects
           FROM connector_tables t
           LEFT JOIN sync_cursors s ON s.connector_id = t.connector_id AND s.table_name = t.table_name
           LEFT JOIN sync_runs r ON r.id = (SELECT id FROM sync_runs WHERE connector_id = t.connector_id AND table_name = t.table_name ORDER BY started_at DESC, rowid DESC LIMIT 1)
          WHERE t.connector_id = ?1 AND t.enabled = 1`,
    )
    .bind(connectorId)
    .all<Record<string, string | number | null>>();
  return results;
}
