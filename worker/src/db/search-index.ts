/**
 * Keeps the full-text index (`record_search`, see migration 0006) in step with the destination tables. The
 * statements go into the same D1 batch that writes a sync page, after its upserts and deletes, so the index is
 * committed with the rows or not at all and can never disagree with them. What is indexed for a record is the
 * `search_text` view, which the migration's backfill used too.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

/** Statements that re-index the given records (GUIDs) of one table: run after the page's own writes. */
export function searchIndexStatements(db: D1Database, tenantId: string, table: DestinationTable, recordIds: string[]): D1PreparedStatement[] {
  if (recordIds.length === 0) return [];
  const ids = JSON.stringify(recordIds);
  const key = table === 'contact' ? 'contactid' : 'accountid';
  return [
    // Rows that exist get a stable key (kept when the row goes, so a record that comes back keeps its number).
    db
      .prepare(
        `INSERT INTO search_keys (tenant_id, table_name, record_id)
           SELECT ?1, ?2, ${key} FROM ${table} WHERE tenant_id = ?1 AND ${key} IN (SELECT value FROM json_each(?3)) AND true
         ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING`,
      )
      .bind(tenantId, table, ids),
    db
      .prepare(
        `DELETE FROM record_search WHERE rowid IN (
           SELECT id FROM search_keys WHERE tenant_id = ?1 AND table_name = ?2 AND record_id IN (SELECT value FROM json_each(?3)))`,
      )
      .bind(tenantId, table, ids),
    db
      .prepare(
        `INSERT INTO record_search (rowid, name, email, phone)
           SELECT k.id, t.name, t.email, t.phone
             FROM search_text t JOIN search_keys k ON k.tenant_id = t.tenant_id AND k.table_name = t.table_name AND k.record_id = t.record_id
            WHERE t.tenant_id = ?1 AND t.table_name = ?2 AND t.record_id IN (SELECT value FROM json_each(?3))`,
      )
      .bind(tenantId, table, ids),
  ];
}
