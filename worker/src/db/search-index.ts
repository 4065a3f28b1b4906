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

export interface SearchRow {
  table_name: DestinationTable;
  id: string;
  salesforce_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  deleted_at: string | null;
  /** BM25 rank: lower is better */
  score: number;
}

/** The tenant's records matching an FTS5 expression (`match`, built by the caller from quoted terms), best first. */
export async function searchIndexRows(
  db: D1Database,
  tenantId: string,
  match: string,
  options: { tables: DestinationTable[]; limit: number; offset: number; includeDeleted: boolean },
): Promise<SearchRow[]> {
  const deleted = options.includeDeleted ? '' : 'AND r.forcebridge_deleted_at IS NULL';
  const branches = options.tables.map((table) =>
    table === 'contact'
      ? `SELECT 'contact' AS table_name, r.contactid AS id, r.forcebridge_salesforce_id AS salesforce_id,
                trim(coalesce(r.firstname || ' ', '') || coalesce(r.lastname, '')) AS name, r.emailaddress1 AS email,
                coalesce(r.telephone1, r.mobilephone) AS phone, r.forcebridge_deleted_at AS deleted_at, s.rank AS score
           FROM record_search s JOIN search_keys k ON k.id = s.rowid
           JOIN contact r ON r.tenant_id = k.tenant_id AND r.contactid = k.record_id
          WHERE record_search MATCH ?1 AND k.tenant_id = ?2 AND k.table_name = 'contact' ${deleted}`
      : `SELECT 'account', r.accountid, r.forcebridge_salesforce_id, r.name, NULL, r.telephone1, r.forcebridge_deleted_at, s.rank
           FROM record_search s JOIN search_keys k ON k.id = s.rowid
           JOIN account r ON r.tenant_id = k.tenant_id AND r.accountid = k.record_id
          WHERE record_search MATCH ?1 AND k.tenant_id = ?2 AND k.table_name = 'account' ${deleted}`,
  );
  const { results } = await db
    .prepare(`${branches.join(' UNION ALL ')} ORDER BY score, id LIMIT ?3 OFFSET ?4`)
    .bind(match, tenantId, options.limit, options.offset)
    .all<SearchRow>();
  return results;
}
