/**
 * What to ask Salesforce for, decided without I/O: the fields a table's pass reads, its SOQL, and how the pages of
 * several tables share one Composite request (at most five query subrequests, one API call).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import type { CompositeSubrequest } from '../salesforce/api';

/** Fields every pass reads besides the mapped ones: the key, the change marker and the delete flag. */
export const BOOKKEEPING_FIELDS = ['Id', 'SystemModstamp', 'IsDeleted'] as const;

/** Salesforce accepts at most five query subrequests per Composite request. */
export const QUERY_SUBREQUESTS_PER_CALL = 5;

/** Records per REST query page (queryAll's default and largest batch). */
export const REST_PAGE_RECORDS = 2_000;

/** A first load with more than this many records left after its first page goes on through Bulk API 2.0 (the default). */
export const BULK_THRESHOLD_RECORDS = 20_000;

/**
 * Records of a Bulk API 2.0 results page committed per destination commit, while the rest of the page streams in. Two
 * chunks are in the isolate at once (one written, the next parsed), so this sets what a load holds live whatever its
 * size; with rows read as JSONB (db/destination-rows.ts) a commit's own overhead is small enough for 2,500.
 */
export const BULK_CHUNK_RECORDS = 2_500;

/** Re-read window: changes committed late with an earlier SystemModstamp are caught by the next pass. */
export const REREAD_LAG_MS = 60_000;

export function passFields(mapping: Record<string, string>): string[] {
  return [...new Set([...BOOKKEEPING_FIELDS, ...Object.values(mapping)])];
}

/**
 * SOQL datetime literals are unquoted ISO 8601 in whole seconds (the documented formats have no fraction), so the
 * milliseconds are dropped: rounding down is safe with `>=`, which then reads a little more, never less.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_select_dateformats.htm
 */
export const soqlDateTime = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;

/**
 * The query of one pass over a table: everything changed since `from` (inclusive, so rows sharing the last
 * timestamp are never skipped), oldest first, deleted rows included (the caller uses queryAll).
 */
export function passSoql(table: DestinationTable, mapping: Record<string, string>, from: string | null, options: { ordered: boolean; filter?: string | null } = { ordered: true }): string {
  const conditions = [from ? `SystemModstamp >= ${soqlDateTime(from)}` : null, options.filter ? `(${options.filter})` : null].filter(Boolean);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  // Bulk API 2.0 loses PK chunking with ORDER BY; REST pages need it so the last row carries the highest stamp.
  const order = options.ordered ? ' ORDER BY SystemModstamp ASC, Id ASC' : '';
  return `SELECT ${passFields(mapping).join(', ')} FROM ${TABLES[table].source}${where}${order}`;
}

/**
 * The records of a filtered table changed since `from` (all of them, with `from` null) that do not match its filter:
 * they leave the copy. Read beside the pass's query in the same Composite call, so a quiet tick stays one call.
 * SOQL's NOT negates a parenthesised condition. In Id order, after `after` when given: a removal cut short (after a
 * filter change it reads every record outside the filter) resumes after the last Id it applied.
 * https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-logicaloperators.html
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm
 */
export function leaverSoql(table: DestinationTable, filter: string, from: string | null, after: string | null = null): string {
  const since = from ? `SystemModstamp >= ${soqlDateTime(from)} AND ` : '';
  const resume = after ? `Id > '${after.replace(/[^A-Za-z0-9]/g, '')}' AND ` : '';
  return `SELECT Id, SystemModstamp FROM ${TABLES[table].source} WHERE ${since}${resume}NOT (${filter}) ORDER BY Id`;
}

export function countSoql(table: DestinationTable): string {
  return `SELECT COUNT() FROM ${TABLES[table].source}`;
}

/** Where the next pass starts: the watermark less the re-read window, but never past what was read. */
export function passStart(watermark: string | null, now: Date): string | null {
  if (!watermark) return null;
  const lagged = new Date(Math.min(new Date(watermark).getTime(), now.getTime() - REREAD_LAG_MS));
  return lagged.toISOString();
}

/**
 * How many chained pages each table gets in one Composite call. A table whose size is not known yet (a first load's
 * first request) gets one page: its totalSize decides whether the rest goes through REST or Bulk API 2.0. The others
 * share what is left, the first ones taking the remainder.
 */
export function chainLengths(sizeUnknown: boolean[], reserved = 0): number[] {
  const probes = sizeUnknown.filter(Boolean).length;
  const readers = sizeUnknown.length - probes;
  // `reserved`: query subrequests of the same call that are not pages of a chain (row-filter leavers).
  const left = Math.max(0, QUERY_SUBREQUESTS_PER_CALL - probes - reserved);
  let extra = readers === 0 ? 0 : left % readers;
  return sizeUnknown.map((unknown) => (unknown ? 1 : Math.max(1, Math.floor(left / Math.max(1, readers))) + (extra-- > 0 ? 1 : 0)));
}

/**
 * One table's chain: the first page (a fresh queryAll, or the page the cursor points at), then pages that follow
 * the previous subrequest's nextRecordsUrl. A chain link after the last page fails on its own without harming
 * the others (allOrNone is false).
 */
export function pageChain(table: DestinationTable, firstUrl: string, pages: number): CompositeSubrequest[] {
  const chain: CompositeSubrequest[] = [{ method: 'GET', url: firstUrl, referenceId: `${table}_0` }];
  for (let i = 1; i < pages; i++) chain.push({ method: 'GET', url: `@{${table}_${i - 1}.nextRecordsUrl}`, referenceId: `${table}_${i}` });
  return chain;
}
