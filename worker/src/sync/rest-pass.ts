/**
 * One REST step: a single Composite call carrying a chain of query pages for every pending REST table (up to five
 * pages, one API call). A first load learns its size from its first page's totalSize; with more than the Bulk
 * threshold left, it hands the rest to Bulk API 2.0 from where the pages read so far stopped. The next call is
 * asked for while this one's pages are written (prefetch.ts). An incremental pass's first call also carries the
 * object's deleted-records log over the pass's window (deleted-window.ts), so purged records leave the copy at no
 * extra call.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import { MalformedResponse, SalesforceError } from '../salesforce/errors';
import { pageOf, queryAllUrl } from '../salesforce/rest';
import { pageDropped, readsInBulk, restPassBegins, sizeUnknown } from './cursor';
import { type Invocation, type TableRun, charge, fail } from './invocation';
import { applyDeletedRecords } from './deleted-records';
import { type DeletedWindow, deletedReference, deletedSubrequest, deletedWindow } from './deleted-window';
import { commitCursor, commitPage } from './page-commit';
import { chainLengths, pageChain, passSoql } from './plan';
import { composite, prefetchNextRestStep, settlePrefetch } from './prefetch';
import { applyLeavers, leaversLeft, leaversRef, leaversRequest } from './filter-leavers';
import { queryRefusal } from './formula-refresh';

export async function restStep(inv: Invocation, pending: TableRun[]): Promise<void> {
  // A filtered table beginning a pass also reads, in the same call, the changed records that left its filter (or the
  // rest of them, when the removal was cut short: the pass's pages wait until it is done).
  const leavers = pending.map((t) => (t.cursor.next_page ? undefined : leaversRequest(t, restPassBegins(t.cursor, inv.at).from)));
  const deletedWindows = new Map<TableRun, DeletedWindow>();
  const lengths = chainLengths(pending.map((t) => sizeUnknown(t.cursor)), leavers.filter(Boolean).length);
  const subrequests = pending.flatMap((t, i) => {
    inv.hooks?.at?.('before_fetch', t.table);
    if (t.cursor.next_page) return pageChain(t.table, t.cursor.next_page, lengths[i]!);
    const begun = restPassBegins(t.cursor, inv.at);
    const window = t.cursor.phase === 'incremental' ? deletedWindow(t.deletesCoveredTo ?? begun.from, inv.at) : null;
    t.cursor = begun.cursor;
    const pages = [...pageChain(t.table, queryAllUrl(passSoql(t.table, t.mapping, begun.from, { ordered: true, filter: t.filter })), lengths[i]!), ...(leavers[i] ? [leavers[i]] : [])];
    if (!window) return pages;
    deletedWindows.set(t, window);
    return 'expired' in window ? pages : [...pages, deletedSubrequest(t.table, window)];
  });
  await settlePrefetch(inv, subrequests);
  const before = inv.api.apiCalls;
  const results = await composite(inv, subrequests);
  charge(inv, pending[0]!, before);
  // While these pages are written, the next call (when these pages settle what it is) is already on its way — not
  // while leavers have more pages: those come first, and the next step asks for these pages again.
  if (!pending.some((t, i) => leavers[i] && leaversLeft(results.get(leaversRef(t))))) prefetchNextRestStep(inv, pending, lengths, results);

  for (const [index, t] of pending.entries()) {
    inv.hooks?.at?.('after_fetch', t.table);
    const window = deletedWindows.get(t);
    if (window) await applyDeletedRecords(inv, t, window, results.get(deletedReference(t.table)));
    if (leavers[index] && (await applyLeavers(inv, t, results.get(leaversRef(t)))) !== 'done') continue;
    for (let i = 0; i < lengths[index]!; i++) {
      const result = results.get(`${t.table}_${i}`);
      if (!result) break;
      const answer = pageOf(result, 'a query');
      if (!answer.ok) {
        const { error } = answer;
        if (!(error instanceof SalesforceError)) {
          fail(t, 'malformed_response', `${error.message} Nothing was lost: the next run carries on from the last committed page.`);
        } else if (error.errorCode === 'INVALID_QUERY_LOCATOR') {
          // The page locator expired between invocations: restart from the highest stamp committed (>=, so nothing is skipped).
          t.cursor = { ...t.cursor, next_page: null };
        } else if (error.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
          throw error;
        } else {
          const refusal = queryRefusal(t, error, t.formulas ?? [], 'query');
          fail(t, refusal.code, refusal.message);
        }
        break;
      }
      const { page } = answer;
      if (sizeUnknown(t.cursor)) t.cursor = { ...t.cursor, total: page.totalSize };
      const ended = page.done || !page.nextRecordsUrl;
      await commitPage(inv, t, page.records, ended ? {} : { next_page: page.nextRecordsUrl! }, ended);
      if (ended) {
        t.finished = true;
        break;
      }
    }
    // Stopping the REST pages hands the rest of a large first load to Bulk API 2.0 (readsInBulk).
    if (!t.finished && t.cursor.next_page !== null && readsInBulk({ ...t.cursor, next_page: null }, inv.limits.bulkThreshold)) await commitCursor(inv, t, pageDropped);
  }
}
