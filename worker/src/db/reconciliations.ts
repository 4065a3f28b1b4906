/**
 * Id reconciliations (`reconciliations`, `reconcile_ids`): the state of each connector table's reconciliation, the
 * Ids Salesforce has (staged chunk by chunk, never held in memory), looked up a chunk of the copy at a time. The
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

/** Which of these Salesforce Ids were staged (Salesforce has them): the comparison of one chunk of the copy. */
export async function stagedAmong(db: D1Database, connectorId: string, table: DestinationTable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db
    .prepare('SELECT salesforce_id FROM reconcile_ids WHERE connector_id = ?1 AND table_name = ?2 AND salesforce_id IN (SELECT value FROM json_each(?3))')
    .bind(connectorId, table, JSON.stringify(ids))
    .all<{ salesforce_id: string }>();
  return new Set(results.map((r) => r.salesforce_id));
}
