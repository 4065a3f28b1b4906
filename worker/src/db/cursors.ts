/**
 * Where each connector table's sync stands (`sync_cursors`): read, saved whole, created, and restarted for a backfill.
 * The cursor's transitions are pure functions in sync/cursor.ts; this file only stores what they decide.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

export interface CursorRow {
  connector_id: string;
  table_name: DestinationTable;
  phase: 'initial' | 'incremental';
  watermark: string | null;
  pass_from: string | null;
  pass_max: string | null;
  next_page: string | null;
  bulk_job_id: string | null;
  queried_at: string | null;
  loaded: number;
  total: number | null;
  backfill_columns: string | null;
  /** a filtered table's leavers this pass (sync/filter-leavers.ts): null not begun, the last Id applied, or 'done' */
  leavers_after: string | null;
  updated_at: string;
}

export async function cursorsOf(db: D1Database, connectorId: string): Promise<CursorRow[]> {
  return (await db.prepare('SELECT * FROM sync_cursors WHERE connector_id = ?1').bind(connectorId).all<CursorRow>()).results;
}

export async function cursorOf(db: D1Database, connectorId: string, table: DestinationTable): Promise<CursorRow | null> {
  return db.prepare('SELECT * FROM sync_cursors WHERE connector_id = ?1 AND table_name = ?2').bind(connectorId, table).first<CursorRow>();
}

/** The whole cursor, as the engine decided it. */
export function saveCursorStatement(db: D1Database, c: CursorRow) {
  return db
    .prepare(
      `INSERT INTO sync_cursors (connector_id, table_name, phase, watermark, pass_from, pass_max, next_page, bulk_job_id, queried_at, loaded, total, backfill_columns, leavers_after, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET phase = excluded.phase, watermark = excluded.watermark, pass_from = excluded.pass_from,
         pass_max = excluded.pass_max, next_page = excluded.next_page, bulk_job_id = excluded.bulk_job_id, queried_at = excluded.queried_at,
         loaded = excluded.loaded, total = excluded.total, backfill_columns = excluded.backfill_columns,
         leavers_after = excluded.leavers_after, updated_at = excluded.updated_at`,
    )
    .bind(c.connector_id, c.table_name, c.phase, c.watermark, c.pass_from, c.pass_max, c.next_page, c.bulk_job_id, c.queried_at, c.loaded, c.total, c.backfill_columns, c.leavers_after, c.updated_at);
}

/** A new table starts with a first load; a table already there keeps where it stands. */
export function createCursorStatement(db: D1Database, connectorId: string, table: DestinationTable) {
  return db.prepare("INSERT INTO sync_cursors (connector_id, table_name, phase) VALUES (?1, ?2, 'initial') ON CONFLICT (connector_id, table_name) DO NOTHING").bind(connectorId, table);
}

/**
 * A backfill: the table reads everything again (rewriting rows already there) to fill `columns`; the watermark stays,
 * so the incremental passes after it carry on from where they were.
 */
export function restartCursorStatement(db: D1Database, connectorId: string, table: DestinationTable, columns: string[], at: string) {
  return db
    .prepare(
      `INSERT INTO sync_cursors (connector_id, table_name, phase, backfill_columns) VALUES (?1, ?2, 'initial', ?3)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET phase = 'initial', pass_from = NULL, pass_max = NULL, next_page = NULL, queried_at = NULL,
         bulk_job_id = NULL, loaded = 0, total = NULL, backfill_columns = ?3, leavers_after = NULL, updated_at = ?4`,
    )
    .bind(connectorId, table, JSON.stringify(columns), at);
}
