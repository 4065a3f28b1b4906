/**
 * Id reconciliations (`reconciliations`, `reconcile_ids`): the state of each connector table's reconciliation, the
 * Ids Salesforce has (staged chunk by chunk, never held in memory), and the copy walked in Salesforce Id order. The
 * steps themselves are decided in sync/reconcile.ts; this file only stores what they decide.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

export type ReconcileReason = 'requested' | 'window_expired' | 'replication_date_refused' | 'deleted_log_unreadable';

export interface ReconciliationRow {
  connector_id: string;
  table_name: DestinationTable;
  requested_at: string | null;
  reason: ReconcileReason | 'scheduled' | null;
  phase: 'staging' | 'comparing' | null;
  job_id: string | null;
  cutoff: string | null;
  locator: string | null;
  compared_to: string | null;
  run_id: string | null;
  last_finished_at: string | null;
  deletes_covered_to: string | null;
}

export async function reconciliationsOf(db: D1Database, connectorId: string): Promise<ReconciliationRow[]> {
  return (await db.prepare('SELECT * FROM reconciliations WHERE connector_id = ?1').bind(connectorId).all<ReconciliationRow>()).results;
}

/** Asks for a reconciliation of one table (kept as asked the first time until one finishes). */
export function requestReconciliationStatement(db: D1Database, connectorId: string, table: DestinationTable, reason: ReconcileReason, at: string) {
  return db
    .prepare(
      `INSERT INTO reconciliations (connector_id, table_name, requested_at, reason) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET requested_at = coalesce(requested_at, excluded.requested_at), reason = coalesce(reason, excluded.reason)`,
    )
    .bind(connectorId, table, at, reason);
}

/** A table's first reconciliation clock starts when it is first seen synced incrementally (its first load is evidence enough). */
export function startReconcileClockStatement(db: D1Database, connectorId: string, table: DestinationTable, at: string) {
  return db.prepare('INSERT INTO reconciliations (connector_id, table_name, last_finished_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING').bind(connectorId, table, at);
}

export function saveReconciliationStatement(db: D1Database, r: ReconciliationRow) {
  return db
    .prepare(
      `INSERT INTO reconciliations (connector_id, table_name, requested_at, reason, phase, job_id, cutoff, locator, compared_to, run_id, last_finished_at, deletes_covered_to)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET requested_at = excluded.requested_at, reason = excluded.reason, phase = excluded.phase,
         job_id = excluded.job_id, cutoff = excluded.cutoff, locator = excluded.locator, compared_to = excluded.compared_to, run_id = excluded.run_id,
         last_finished_at = excluded.last_finished_at,
         deletes_covered_to = nullif(max(coalesce(deletes_covered_to, ''), coalesce(excluded.deletes_covered_to, '')), '')`,
    )
    .bind(r.connector_id, r.table_name, r.requested_at, r.reason, r.phase, r.job_id, r.cutoff, r.locator, r.compared_to, r.run_id, r.last_finished_at, r.deletes_covered_to);
}

/** The delete log has been read (or a reconciliation has covered) up to `to`: the next log window starts there. Never moves back. */
export function deletesCoveredStatement(db: D1Database, connectorId: string, table: DestinationTable, to: string) {
  return db
    .prepare(
      `INSERT INTO reconciliations (connector_id, table_name, deletes_covered_to) VALUES (?1, ?2, ?3)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET deletes_covered_to = max(coalesce(deletes_covered_to, ''), excluded.deletes_covered_to)`,
    )
    .bind(connectorId, table, to);
}

/** Stages a chunk of Salesforce Ids (one JSON array parameter); staging the same Id twice is harmless. */
export function stageIdsStatement(db: D1Database, connectorId: string, table: DestinationTable, ids: string[]) {
  return db
    .prepare('INSERT INTO reconcile_ids (connector_id, table_name, salesforce_id) SELECT ?1, ?2, value FROM json_each(?3) WHERE true ON CONFLICT DO NOTHING')
    .bind(connectorId, table, JSON.stringify(ids));
}

/** Removes up to `limit` staged Ids up to `upTo` (all of them when null); answers how many went. Bounded, so no statement runs long. */
export async function clearStagedIds(db: D1Database, connectorId: string, table: DestinationTable, upTo: string | null, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM reconcile_ids WHERE connector_id = ?1 AND table_name = ?2 AND salesforce_id IN (
         SELECT salesforce_id FROM reconcile_ids WHERE connector_id = ?1 AND table_name = ?2 AND (?3 IS NULL OR salesforce_id <= ?3) LIMIT ?4)`,
    )
    .bind(connectorId, table, upTo, limit)
    .run();
  return result.meta.changes ?? 0;
}

/** The last Salesforce Id of the next `size` rows of the copy after `after`, or null when the copy is walked to its end. */
export async function nextCopyChunkEnd(db: D1Database, table: DestinationTable, tenantId: string, connectorId: string, after: string, size: number): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT max(forcebridge_salesforce_id) AS upto FROM (SELECT forcebridge_salesforce_id FROM ${table}
         WHERE tenant_id = ?1 AND forcebridge_connector_id = ?2 AND forcebridge_salesforce_id > ?3 ORDER BY forcebridge_salesforce_id LIMIT ?4)`,
    )
    .bind(tenantId, connectorId, after, size)
    .first<{ upto: string | null }>();
  return row?.upto ?? null;
}

/**
 * Rows of the copy in (`after`, `upTo`] whose Salesforce Id was not staged: gone from Salesforce. Rows written at or
 * after `cutoff` are left out (they may be newer than the job's snapshot), and so are rows already marked deleted.
 */
export async function missingFromSalesforce(
  db: D1Database,
  table: DestinationTable,
  key: string,
  scope: { tenantId: string; connectorId: string; after: string; upTo: string; cutoff: string },
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT c.${key} AS guid FROM ${table} c
        WHERE c.tenant_id = ?1 AND c.forcebridge_connector_id = ?2 AND c.forcebridge_salesforce_id > ?3 AND c.forcebridge_salesforce_id <= ?4
          AND c.forcebridge_modstamp < ?5 AND c.forcebridge_deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM reconcile_ids r WHERE r.connector_id = ?2 AND r.table_name = ?6 AND r.salesforce_id = c.forcebridge_salesforce_id)`,
    )
    .bind(scope.tenantId, scope.connectorId, scope.after, scope.upTo, scope.cutoff, table)
    .all<{ guid: string }>();
  return results.map((r) => r.guid);
}
