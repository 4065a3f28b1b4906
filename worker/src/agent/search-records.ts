/**
 * Full-text search over a tenant's copied contacts and accounts (the FTS5 index `record_search`), ranked by BM25.
 * The agent's words never reach FTS5's query syntax: each becomes a quoted prefix term, so quotes, operators and
 * column filters in the input are only text to look for.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

export interface SearchHit {
  table: DestinationTable;
  id: string;
  salesforceId: string;
  name: string;
  email: string | null;
  phone: string | null;
  deleted: boolean;
  score: number;
}

/** `jane "doe` → `"jane"* """doe"*`: every word a literal prefix, all of them required. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

export async function searchRecords(
  db: D1Database,
  tenantId: string,
  options: { query: string; tables: DestinationTable[]; limit: number; offset: number; includeDeleted: boolean },
): Promise<SearchHit[]> {
  const match = ftsQuery(options.query);
  if (!match) return [];
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
    .all<{ table_name: DestinationTable; id: string; salesforce_id: string; name: string; email: string | null; phone: string | null; deleted_at: string | null; score: number }>();
  return results.map((r) => ({
    table: r.table_name,
    id: r.id,
    salesforceId: r.salesforce_id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    deleted: r.deleted_at !== null,
    score: Math.round(-r.score * 1000) / 1000,
  }));
}
