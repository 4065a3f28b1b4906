/** Queries on sync runs, rejects and the org's API usage: what the status and diagnostics API reads. */
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { SyncRun } from '../../../shared/api';
import { runErrorSource } from '../../../shared/run-outcomes';

export interface RunRow {
  id: string;
  connector_id: string;
  table_name: DestinationTable;
  mode: 'initial' | 'incremental' | 'reconcile' | 'formula_refresh';
  status: SyncRun['status'];
  started_at: string;
  finished_at: string | null;
  records_read: number;
  records_upserted: number;
  records_deleted: number;
  records_rejected: number;
  api_calls: number;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
}

export const runView = (row: RunRow): SyncRun => ({
  id: row.id,
  table: row.table_name,
  mode: row.mode,
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  read: row.records_read,
  upserted: row.records_upserted,
  deleted: row.records_deleted,
  rejected: row.records_rejected,
  apiCalls: row.api_calls,
  durationMs: row.duration_ms,
  errorCode: row.error_code,
  errorSource: row.error_code === null ? null : runErrorSource(row.error_code),
  errorMessage: row.error_message,
});

export function startRunStatement(db: D1Database, run: Pick<RunRow, 'id' | 'connector_id' | 'table_name' | 'mode' | 'started_at'>) {
  return db
    .prepare("INSERT INTO sync_runs (id, connector_id, table_name, mode, status, started_at) VALUES (?1, ?2, ?3, ?4, 'running', ?5)")
    .bind(run.id, run.connector_id, run.table_name, run.mode, run.started_at);
}

/** A run that did nothing (its table got no turn before the invocation's limit) is not worth a row in the history. */
export function dropRunStatement(db: D1Database, id: string) {
  return db.prepare('DELETE FROM sync_runs WHERE id = ?1').bind(id);
}

export function finishRunStatement(db: D1Database, run: Omit<RunRow, 'connector_id' | 'table_name' | 'mode' | 'started_at'>) {
  return db
    .prepare(
      `UPDATE sync_runs SET status = ?2, finished_at = ?3, records_read = ?4, records_upserted = ?5, records_deleted = ?6, records_rejected = ?7,
         api_calls = ?8, duration_ms = ?9, error_code = ?10, error_message = ?11 WHERE id = ?1`,
    )
    .bind(run.id, run.status, run.finished_at, run.records_read, run.records_upserted, run.records_deleted, run.records_rejected, run.api_calls, run.duration_ms, run.error_code, run.error_message);
}

/**
 * Moves a run's counts with a page, inside the page's batch. For 'upserted' and 'deleted' it follows the write it counts
 * and adds that write's `changes()` (SQLite's count of rows the previous statement changed). For 'read' it adds the
 * page's records and rejects, and with `finishedAt` the page ended its table's pass: the run has succeeded.
 */
export function countPageStatement(db: D1Database, runId: string, kind: 'upserted' | 'deleted' | 'read', records = 0, rejected = 0, finishedAt: string | null = null) {
  if (kind === 'upserted') return db.prepare('UPDATE sync_runs SET records_upserted = records_upserted + changes() WHERE id = ?1').bind(runId);
  if (kind === 'deleted') return db.prepare('UPDATE sync_runs SET records_deleted = records_deleted + changes() WHERE id = ?1').bind(runId);
  return db
    .prepare(
      `UPDATE sync_runs SET records_read = records_read + ?2, records_rejected = records_rejected + ?3,
         status = CASE WHEN ?4 IS NULL THEN status ELSE 'succeeded' END, finished_at = COALESCE(?4, finished_at) WHERE id = ?1`,
    )
    .bind(runId, records, rejected, finishedAt);
}

/** Runs a crash left 'running' are closed as failed: the next run carries on from the last committed page. */
export async function closeInterruptedRuns(db: D1Database, connectorId: string, at: string): Promise<void> {
  await db
    .prepare(
      `UPDATE sync_runs SET status = 'failed', finished_at = ?2, error_code = 'interrupted',
         error_message = CASE WHEN mode = 'reconcile'
           THEN 'This reconciliation stopped without finishing (the Worker was interrupted). Nothing was deleted on partial evidence: the next run carries on where it stood.'
           ELSE 'This run stopped without finishing (the Worker was interrupted). Nothing was lost: the next run carried on from the last committed page.' END
       WHERE connector_id = ?1 AND status = 'running'`,
    )
    .bind(connectorId, at)
    .run();
}

export async function recentRuns(db: D1Database, connectorId: string, limit: number): Promise<RunRow[]> {
  return (await db.prepare('SELECT * FROM sync_runs WHERE connector_id = ?1 ORDER BY started_at DESC, rowid DESC LIMIT ?2').bind(connectorId, limit).all<RunRow>()).results;
}

/** Each table's last sync run — or, with `reconcile`, its last Id reconciliation. */
export async function lastRunPerTable(db: D1Database, connectorId: string, kind: 'sync' | 'reconcile' = 'sync'): Promise<Map<string, RunRow>> {
  const { results } = await db
    .prepare(
      `SELECT * FROM sync_runs r WHERE connector_id = ?1 AND rowid = (
         SELECT rowid FROM sync_runs WHERE connector_id = r.connector_id AND table_name = r.table_name AND (mode = 'reconcile') = ?2
         ORDER BY started_at DESC, rowid DESC LIMIT 1)`,
    )
    .bind(connectorId, kind === 'reconcile' ? 1 : 0)
    .all<RunRow>();
  return new Map(results.map((row) => [row.table_name, row]));
}

export function saveApiUsageStatement(db: D1Database, connectionId: string, usage: { used: number; max: number }, at: string) {
  return db
    .prepare(
      `INSERT INTO api_usage (connection_id, used, max, observed_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (connection_id) DO UPDATE SET used = excluded.used, max = excluded.max, observed_at = excluded.observed_at`,
    )
    .bind(connectionId, usage.used, usage.max, at);
}

export function apiUsageOf(db: D1Database, connectionId: string) {
  return db.prepare('SELECT used, max, observed_at FROM api_usage WHERE connection_id = ?1').bind(connectionId).first<{ used: number; max: number; observed_at: string }>();
}

/** Moves a run's write counts by what a destination outside D1 reported (the Dataverse writer), inside the page's batch. */
export function addWrittenStatement(db: D1Database, runId: string, upserted: number, deleted: number) {
  return db.prepare('UPDATE sync_runs SET records_upserted = records_upserted + ?2, records_deleted = records_deleted + ?3 WHERE id = ?1').bind(runId, upserted, deleted);
}
