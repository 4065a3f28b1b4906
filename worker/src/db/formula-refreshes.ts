/** Formula refreshes: where each table's stands (formula_refreshes), and the one write it makes to a copied row. */
import { type DestinationTable, primaryKeyOf } from '../../../shared/mapping/destination';
import type { StoredValue } from '../destinations/destination';

export interface FormulaRefreshRow {
  connector_id: string;
  table_name: DestinationTable;
  /** the refresh under way: its next REST page, or (with bulk_job_id) its Bulk API 2.0 results locator */
  next_page: string | null;
  /** the Bulk API 2.0 job of a large table's refresh under way */
  bulk_job_id: string | null;
  started_at: string | null;
  /** rows changed so far by the refresh under way */
  rows_changed: number;
  last_finished_at: string | null;
  last_rows_changed: number | null;
}

export async function formulaRefreshesOf(db: D1Database, connectorId: string): Promise<FormulaRefreshRow[]> {
  return (await db.prepare('SELECT * FROM formula_refreshes WHERE connector_id = ?1').bind(connectorId).all<FormulaRefreshRow>()).results;
}

export function saveFormulaRefreshStatement(db: D1Database, row: FormulaRefreshRow) {
  return db
    .prepare(
      `INSERT INTO formula_refreshes (connector_id, table_name, next_page, bulk_job_id, started_at, rows_changed, last_finished_at, last_rows_changed)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET next_page = ?3, bulk_job_id = ?4, started_at = ?5, rows_changed = ?6, last_finished_at = ?7, last_rows_changed = ?8`,
    )
    .bind(row.connector_id, row.table_name, row.next_page, row.bulk_job_id, row.started_at, row.rows_changed, row.last_finished_at, row.last_rows_changed);
}

/**
 * Sets `columns` of one copied row to `values`, only where one differs (`IS NOT` treats NULLs as values), so the
 * statement's `changes` counts the rows whose formula values really changed. Rows of other connectors, and records
 * not in the copy, are left alone.
 */
export function refreshColumnsStatement(db: D1Database, table: DestinationTable, columns: string[]) {
  const key = primaryKeyOf(table);
  const statement = db.prepare(
    `UPDATE ${table} SET ${columns.map((c, i) => `${c} = ?${i + 4}`).join(', ')}
     WHERE tenant_id = ?1 AND ${key} = ?2 AND forcebridge_connector_id = ?3 AND (${columns.map((c, i) => `${c} IS NOT ?${i + 4}`).join(' OR ')})`,
  );
  return (tenantId: string, connectorId: string, guid: string, values: StoredValue[]) => statement.bind(tenantId, guid, connectorId, ...values);
}
