/**
 * The SQL that writes synced records into a D1 destination table (`contact`, `account`): multi-row upserts that never
 * overwrite a newer version with an older one, hard deletes and soft-delete marks, each guarded by the version.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

/**
 * How an upsert reads its rows out of the JSON parameter. `jsonb_each` (SQLite 3.51, https://sqlite.org/changes.html)
 * hands each row over as JSONB, so reading its columns (`->>`) does not parse the row's text again for every column:
 * twice the upsert rate of `json_each` + `json_extract` (measured in SQLite with the Worker's migrations, 1,000 rows a
 * statement). `json_each` is the fallback for a D1 whose SQLite is older (destinations/d1 switches on its error).
 */
export type RowReader = 'jsonb_each' | 'json_each';

/**
 * An upsert of many rows in one statement: the rows travel as one JSON array parameter (each row an array in
 * `columns` order) and the row reader spreads them out. One statement per row made D1 spend most of a page's time on
 * statement overhead (see docs/benchmarks.md); D1 binds at most 100 parameters to a statement, so a row per
 * parameter set is not an option either (https://developers.cloudflare.com/d1/platform/limits/). `rewriteSameVersion`
 * also rewrites rows whose version is already here (a backfill after a mapping change).
 */
export function upsertRowsStatement(db: D1Database, table: DestinationTable, key: string, columns: string[], rewriteSameVersion: boolean, reader: RowReader = 'jsonb_each') {
  const versionGuard = rewriteSameVersion ? '>=' : '>';
  const all = [key, ...columns];
  const statement = db.prepare(
    `INSERT INTO ${table} (tenant_id, ${all.join(', ')})
       SELECT ?1, ${all.map((_, i) => `value ->> ${i}`).join(', ')} FROM ${reader}(?2) WHERE true
     ON CONFLICT (tenant_id, ${key}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE excluded.forcebridge_modstamp ${versionGuard} ${table}.forcebridge_modstamp`,
  );
  return (tenantId: string, rowsJson: string) => statement.bind(tenantId, rowsJson);
}

/** Deletes one row unless a newer version of it is already here. */
export function hardDeleteStatement(db: D1Database, table: DestinationTable, key: string) {
  const statement = db.prepare(`DELETE FROM ${table} WHERE tenant_id = ?1 AND ${key} = ?2 AND forcebridge_modstamp <= ?3`);
  return (tenantId: string, guid: string, modstamp: string) => statement.bind(tenantId, guid, modstamp);
}

/** Marks one row deleted (keeping it) unless a newer version is here or it is marked already. */
export function softDeleteStatement(db: D1Database, table: DestinationTable, key: string) {
  const statement = db.prepare(
    `UPDATE ${table} SET forcebridge_deleted_at = ?4, forcebridge_modstamp = ?3, forcebridge_synced_at = ?4
     WHERE tenant_id = ?1 AND ${key} = ?2 AND forcebridge_modstamp <= ?3 AND forcebridge_deleted_at IS NULL`,
  );
  return (tenantId: string, guid: string, modstamp: string, at: string) => statement.bind(tenantId, guid, modstamp, at);
}

/** A statement that always fails: makes D1 roll back the batch it is in (the crash tests' "mid-batch" fault). */
export const failingStatement = (db: D1Database) => db.prepare('SELECT * FROM crash_injected_mid_batch');

/** Rows a connector has copied into a destination table (soft-deleted ones included). */
export async function connectorRowCount(db: D1Database, table: DestinationTable, tenantId: string, connectorId: string): Promise<number> {
  const row = await db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?1 AND forcebridge_connector_id = ?2`).bind(tenantId, connectorId).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * A connector's rows of a D1 table after the Salesforce Id `after`, in Salesforce Id order, at most `size` (the
 * `(tenant_id, forcebridge_connector_id, forcebridge_salesforce_id)` index of migration 0010 walks them).
 */
export async function copyRowsAfter(db: D1Database, table: DestinationTable, key: string, scope: { tenantId: string; connectorId: string }, after: string, size: number) {
  const { results } = await db
    .prepare(
      `SELECT forcebridge_salesforce_id AS salesforce_id, ${key} AS guid, forcebridge_modstamp AS modstamp, forcebridge_deleted_at AS deleted_at FROM ${table}
        WHERE tenant_id = ?1 AND forcebridge_connector_id = ?2 AND forcebridge_salesforce_id > ?3 ORDER BY forcebridge_salesforce_id LIMIT ?4`,
    )
    .bind(scope.tenantId, scope.connectorId, after, size)
    .all<{ salesforce_id: string; guid: string; modstamp: string; deleted_at: string | null }>();
  return results;
}
