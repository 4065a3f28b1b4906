/**
 * Keeps the full-text index (`record_search`, migration 0009) in step with the destination tables. The statements go
 * into the same D1 batch that writes a sync page, after its upserts and deletes, so the index is committed with the
 * rows or not at all and can never disagree with them. What is indexed for a record is its table's `*_search_text`
 * view, which the migration's backfill used too; a contact's text includes its account's name, so an account page
 * also re-checks the contacts of its accounts.
 *
 * FTS5 work is the cost here (tokenising, and a delete has to re-read the old text to remove its tokens), so only
 * records whose indexed text changed are rewritten: a page of edits to fields search does not read (most incremental
 * pages) costs a lookup per record, and a first load costs one insert per record. docs/benchmarks-agent.md measures it.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

const KEY = { contact: 'contactid', account: 'accountid' } as const;
const TEXT_COLUMNS = ['name', 'email', 'phone', 'account'];

/**
 * Re-indexes the records of `table` that `ids` selects (SQL yielding GUIDs as `value`; ?1 is the tenant, ?2 the
 * table name): drops index rows whose text no longer matches the record (or whose record is gone), then indexes the
 * records that have none.
 */
function reindex(db: D1Database, table: DestinationTable, ids: string, bind: unknown[]): D1PreparedStatement[] {
  const same = TEXT_COLUMNS.map((c) => `t.${c} IS s.${c}`).join(' AND ');
  // CROSS JOIN fixes the join order (SQLite takes it literally): from the page's few ids outwards by key, never a
  // scan of the tenant's rows, which is what the planner picked without statistics.
  return [
    db
      .prepare(
        `DELETE FROM record_search WHERE rowid IN (
           SELECT k.id FROM (${ids}) i
             CROSS JOIN search_keys k ON k.tenant_id = ?1 AND k.table_name = ?2 AND k.record_id = i.value
             CROSS JOIN record_search s ON s.rowid = k.id
            WHERE NOT EXISTS (SELECT 1 FROM ${table}_search_text t WHERE t.tenant_id = ?1 AND t.record_id = k.record_id AND ${same}))`,
      )
      .bind(...bind),
    db
      .prepare(
        `INSERT INTO record_search (rowid, ${TEXT_COLUMNS.join(', ')})
           SELECT k.id, ${TEXT_COLUMNS.map((c) => `t.${c}`).join(', ')} FROM (${ids}) i
             CROSS JOIN search_keys k ON k.tenant_id = ?1 AND k.table_name = ?2 AND k.record_id = i.value
             CROSS JOIN ${table}_search_text t ON t.tenant_id = ?1 AND t.record_id = k.record_id
            WHERE NOT EXISTS (SELECT 1 FROM record_search s WHERE s.rowid = k.id)
            ORDER BY k.id`,
      )
      .bind(...bind),
  ];
}

/** Statements that re-index the given records (GUIDs) of one table: run after the page's own writes. */
export function searchIndexStatements(db: D1Database, tenantId: string, table: DestinationTable, recordIds: string[]): D1PreparedStatement[] {
  if (recordIds.length === 0) return [];
  const ids = JSON.stringify(recordIds);
  const page = 'SELECT value FROM json_each(?3)';
  return [
    // Rows that exist get a stable key (kept when the row goes, so a record that comes back keeps its number).
    db
      .prepare(
        `INSERT INTO search_keys (tenant_id, table_name, record_id)
           SELECT ?1, ?2, ${KEY[table]} FROM ${table} WHERE tenant_id = ?1 AND ${KEY[table]} IN (${page}) AND true
         ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING`,
      )
      .bind(tenantId, table, ids),
    ...reindex(db, table, page, [tenantId, table, ids]),
    // A renamed (or new, or deleted) account changes the text of its contacts.
    ...(table === 'account'
      ? reindex(db, 'contact', `SELECT contactid AS value FROM contact WHERE tenant_id = ?1 AND parentcustomerid IN (${page})`, [tenantId, 'contact', ids])
      : []),
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

/**
 * The tenant's records matching an FTS5 expression (`match`, built by the caller from quoted terms), best first. One
 * pass over the index for both tables (a UNION ALL per table matched the expression once per table); each hit is
 * then looked up by key, and the tenant comes from its key row, never from the index.
 */
export async function searchIndexRows(
  db: D1Database,
  tenantId: string,
  match: string,
  options: { tables: DestinationTable[]; limit: number; offset: number; includeDeleted: boolean },
): Promise<SearchRow[]> {
  const tables = (['contact', 'account'] as const).filter((t) => options.tables.includes(t));
  if (tables.length === 0) return [];
  const deleted = options.includeDeleted ? '' : 'AND coalesce(c.forcebridge_deleted_at, a.forcebridge_deleted_at) IS NULL';
  const { results } = await db
    .prepare(
      `SELECT k.table_name, k.record_id AS id, coalesce(c.forcebridge_salesforce_id, a.forcebridge_salesforce_id) AS salesforce_id,
              CASE k.table_name WHEN 'contact' THEN trim(coalesce(c.firstname || ' ', '') || coalesce(c.lastname, '')) ELSE a.name END AS name, c.emailaddress1 AS email,
              coalesce(c.telephone1, c.mobilephone, a.telephone1) AS phone,
              coalesce(c.forcebridge_deleted_at, a.forcebridge_deleted_at) AS deleted_at, s.rank AS score
         FROM record_search s
         CROSS JOIN search_keys k ON k.id = s.rowid
         LEFT JOIN contact c ON k.table_name = 'contact' AND c.tenant_id = k.tenant_id AND c.contactid = k.record_id
         LEFT JOIN account a ON k.table_name = 'account' AND a.tenant_id = k.tenant_id AND a.accountid = k.record_id
        WHERE record_search MATCH ?1 AND k.tenant_id = ?2 AND k.table_name IN (${tables.map((t) => `'${t}'`).join(', ')})
          AND (c.contactid IS NOT NULL OR a.accountid IS NOT NULL) ${deleted}
        ORDER BY score, id LIMIT ?3 OFFSET ?4`,
    )
    .bind(match, tenantId, options.limit, options.offset)
    .all<SearchRow>();
  return results;
}
