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

/** What the index's tokenizer (unicode61) splits words on: anything that is not a letter, a digit or a private-use mark. */
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

/**
 * `jane "doe jane.doe@example.com` → `"jane"* """doe"* "jane.doe@example.com"`: every word a literal, all of them
 * required. A word of one token (a name, a number as digits) is a prefix; a word the tokenizer splits into several (an
 * email, a phone as written, a hyphenated name) is matched whole, as a phrase. Its prefix would fall on its last token
 * ("com", "example", "0100"), and FTS5 answers a prefix without a prefix index by merging the postings of every term
 * that starts with it (https://www.sqlite.org/fts5.html#prefix_indexes): for "com" that is every contact, which made
 * an email search cost a pass over the index (19 ms at 50k rows against 1 ms as a phrase, and growing with the table).
 * Words typed apart ("jane doe exa") still match as prefixes.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 16);
  if (words.length === 0) return null;
  const term = (word: string) => {
    const tokens = word.split(SEPARATORS).filter(Boolean).length;
    return `"${word.replace(/"/g, '""')}"${tokens > 1 ? '' : '*'}`;
  };
  return words.map(term).join(' ');
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
