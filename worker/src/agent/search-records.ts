/**
 * Full-text search over a tenant's copied contacts and accounts (the FTS5 index `record_search`), ranked by BM25.
 * The agent's words never reach FTS5's query syntax: each becomes a quoted prefix term, so quotes, operators and
 * column filters in the input are only text to look for.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import { searchIndexRows } from '../db/search-index';

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
  const results = await searchIndexRows(db, tenantId, match, options);
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
