/**
 * Where a table's sync stands, and every way it moves — pure functions, so each transition is tested on its own
 * (cursor.test.ts) and stored as a whole by db/cursors.ts.
 *
 * A pass reads every record changed since the watermark (all of them on a first load), through REST pages
 * (`next_page` holds the page's URL) or a Bulk API 2.0 job (`bulk_job_id`, `next_page` then holds the results
 * locator). `pass_max` is the highest stamp committed in the pass so far; when the pass ends, the watermark moves there.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { CursorRow } from '../db/cursors';
import { REREAD_LAG_MS, passStart } from './plan';

/** A Bulk job whose createdDate could not be read: its pages move the watermark nowhere (the next pass reads again). */
export const UNKNOWN_QUERY_TIME = new Date(0).toISOString();

export function freshCursor(connectorId: string, table: DestinationTable, at: Date): CursorRow {
  return {
    connector_id: connectorId,
    table_name: table,
    phase: 'initial',
    watermark: null,
    pass_from: null,
    pass_max: null,
    next_page: null,
    bulk_job_id: null,
    queried_at: null,
    loaded: 0,
    total: null,
    backfill_columns: null,
    leavers_after: null,
    updated_at: at.toISOString(),
  };
}

/** A first load (or backfill) whose first page has not told its size yet. */
export const sizeUnknown = (c: CursorRow) => c.phase === 'initial' && c.total === null;

/** A first load with more than `bulkThreshold` records left, not paging through REST: read through Bulk API 2.0. */
export const readsInBulk = (c: CursorRow, bulkThreshold: number) =>
  c.bulk_job_id !== null || (c.phase === 'initial' && c.next_page === null && c.total !== null && c.total - c.loaded > bulkThreshold);

/** The table has a pass under way (the queue carries on only these). */
export const passUnderWay = (c: CursorRow) => c.phase === 'initial' || c.next_page !== null || c.bulk_job_id !== null || c.pass_max !== null || c.leavers_after !== null;

/**
 * A REST pass begins: from the (lagged) watermark, or — a pass cut short — from the highest stamp it committed (>=, so
 * nothing is skipped). Answers the cursor and where the query starts.
 */
export function restPassBegins(c: CursorRow, at: Date): { cursor: CursorRow; from: string | null } {
  const from = c.pass_max ?? (c.phase === 'initial' ? null : passStart(c.watermark, at));
  return { cursor: { ...c, pass_from: from, queried_at: at.toISOString() }, from };
}

/** A pass ends: the watermark moves to the highest stamp written, and the table syncs incrementally from now on. */
export function passEnded(c: CursorRow): CursorRow {
  return {
    ...c,
    phase: 'incremental',
    watermark: c.pass_max && (!c.watermark || c.pass_max > c.watermark) ? c.pass_max : c.watermark,
    pass_from: null,
    pass_max: null,
    next_page: null,
    bulk_job_id: null,
    queried_at: null,
    backfill_columns: null,
    leavers_after: null,
  };
}

/**
 * The cursor after a page of `records` records whose highest stamp is `maxModstamp`, with `moved` (the next page's
 * address) applied. `loaded` is a first load's progress; incremental passes leave it. Salesforce serves each page with
 * the values of the moment its query began, so a page can carry a stamp newer than an edit already made to a record
 * read before: `pass_max` may only move to that moment, less the re-read window.
 */
export function afterPage(c: CursorRow, page: { records: number; maxModstamp: string | null; moved: Partial<CursorRow>; endsPass: boolean; at: string }): CursorRow {
  let next: CursorRow = { ...c, ...page.moved, loaded: c.phase === 'initial' ? c.loaded + page.records : c.loaded, updated_at: page.at };
  const ceiling = c.queried_at && new Date(Date.parse(c.queried_at) - REREAD_LAG_MS).toISOString();
  const reached = page.maxModstamp && ceiling && (page.maxModstamp < ceiling ? page.maxModstamp : ceiling);
  if (reached && (!next.pass_max || reached > next.pass_max)) next.pass_max = reached;
  if (page.endsPass) next = passEnded(next);
  return next;
}

/** A Bulk API 2.0 job started for the pass from `from`; its creation time bounds what its pages may move the watermark to. */
export const bulkJobStarted = (c: CursorRow, jobId: string, createdAt: string | null, from: string | null, at: string): CursorRow => ({
  ...c,
  bulk_job_id: jobId,
  queried_at: createdAt ?? UNKNOWN_QUERY_TIME,
  next_page: null,
  pass_from: from,
  updated_at: at,
});

/** The job failed or is gone: the next step starts a new one from where the pass stood when this one started. */
export const bulkJobDropped = (c: CursorRow, at: string): CursorRow => ({ ...c, bulk_job_id: null, next_page: null, queried_at: null, pass_max: c.pass_from, updated_at: at });

/** The REST page locator is dropped: expired (the pass resumes from `pass_max`), or the rest goes through Bulk. */
export const pageDropped = (c: CursorRow, at: string): CursorRow => ({ ...c, next_page: null, updated_at: at });
