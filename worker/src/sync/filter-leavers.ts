/**
 * Records leaving a filtered table's copy: those changed since the pass began that no longer match its filter (every
 * one outside it, when a filter change re-reads the table). Their Ids come beside the pass's first page in the same
 * Composite call (plan.ts leaverSoql); each becomes a delete — hard, or a soft mark, per the connector's delete mode.
 * They are read in Id order and each page is committed with the cursor's `leavers_after` (the last Id applied), so a
 * removal too large for one invocation, or cut by a crash, resumes after that Id. The pass's own pages are committed
 * only once every leaver is applied (`leavers_after` 'done'), so the watermark never moves past a leaver not yet
 * applied. Leavers move neither the watermark nor the pass's highest stamp: the pass may resume from that stamp, and
 * a leaver's stamp says nothing about which matching records were read. Applying one again is a no-op.
 */
import { TABLES } from '../../../shared/mapping/destination';
import { salesforceCode } from '../../../shared/run-outcomes';
import { nowIso } from '../clock';
import { type CompositeSubrequest, type SubrequestResult, fetchComposite, pageOf, queryAllUrl } from '../salesforce/rest';
import { SalesforceError } from '../salesforce/errors';
import { type Invocation, type TableRun, charge, fail } from './invocation';
import { leaverSoql } from './plan';

export const leaversRef = (t: TableRun) => `${t.table}_leavers`;

/** `leavers_after` once every leaver of the pass is applied (never a Salesforce Id: those are 15 or 18 characters). */
export const LEAVERS_DONE = 'done';

/** The leavers subrequest of a pass beginning from `from`, when the table has a filter, a copy to leave, and leavers left. */
export function leaversRequest(t: TableRun, from: string | null): CompositeSubrequest | undefined {
  if (!t.filter || t.cursor.leavers_after === LEAVERS_DONE) return undefined;
  // A first load into an empty copy has nothing to leave; a re-read (mapping or filter change) may.
  if (t.cursor.phase === 'initial' && t.cursor.backfill_columns === null) return undefined;
  return { method: 'GET', url: queryAllUrl(leaverSoql(t.table, t.filter, t.cursor.phase === 'initial' ? null : from, t.cursor.leavers_after)), referenceId: leaversRef(t) };
}

/** The leavers answer leaves more pages to read (the pass's own pages then wait). */
export function leaversLeft(result: SubrequestResult | undefined): boolean {
  const leavers = result && pageOf(result, "the filter's leavers query");
  return !!leavers?.ok && !leavers.page.done && !!leavers.page.nextRecordsUrl;
}

/**
 * Applies the leavers answered in `result`, reading their further pages while the invocation's limits allow:
 * 'done' (every leaver applied), 'stopped' (at a limit; the next step resumes after the last Id applied), or 'failed'.
 */
export async function applyLeavers(inv: Invocation, t: TableRun, result: SubrequestResult | undefined): Promise<'done' | 'stopped' | 'failed'> {
  let current = result;
  for (;;) {
    if (!current) return 'done';
    const leavers = pageOf(current, "the filter's leavers query");
    if (!leavers.ok) {
      const { error } = leavers;
      if (!(error instanceof SalesforceError)) fail(t, 'malformed_response', `${error.message} Nothing was lost: the next run reads the filter's leavers again.`);
      else fail(t, salesforceCode(error.errorCode), `Salesforce refused the ${TABLES[t.table].source} filter (${t.filter}): ${error.message.trim()} Fix the filter in the Connectors panel; nothing was deleted.`);
      return 'failed';
    }
    const { page } = leavers;
    const ended = page.done || !page.nextRecordsUrl;
    const last = page.records.at(-1)?.Id;
    const after = ended ? LEAVERS_DONE : typeof last === 'string' ? last : t.cursor.leavers_after;
    // No leavers (a quiet tick): nothing to write; the pass's pages carry 'done' with their cursor.
    if (page.records.length === 0) t.cursor = { ...t.cursor, leavers_after: after };
    else await commitLeavers(inv, t, page.records, after);
    if (ended) return 'done';
    if (atLimit(inv)) return 'stopped';
    const before = inv.api.apiCalls;
    const answer = await fetchComposite(inv.api, [{ method: 'GET', url: page.nextRecordsUrl!, referenceId: leaversRef(t) }]);
    charge(inv, t, before);
    current = answer.get(leaversRef(t));
  }
}

/** One page of leavers as deletes, committed with the cursor that says how far the removal got (and nothing else). */
async function commitLeavers(inv: Invocation, t: TableRun, records: Record<string, unknown>[], after: string | null): Promise<void> {
  const at = nowIso();
  const cursor = { ...t.cursor, leavers_after: after, updated_at: at };
  const page = t.convert!(records.map((r) => ({ ...r, IsDeleted: true })), at);
  const written = await inv.destination.commitPage(page, { cursor, runId: t.runId, passEndedAt: null, at });
  t.outcome.read += records.length;
  t.outcome.deleted += written.deleted;
  t.cursor = cursor;
  inv.hooks?.at?.('after_commit', t.table);
}

/** The limits runTables checks before each step: reached, the removal stops here and the invocation ends partial. */
function atLimit(inv: Invocation): boolean {
  const read = inv.tables.reduce((sum, t) => sum + t.outcome.read, 0);
  return inv.api.apiCalls >= inv.limits.maxApiCalls || read >= inv.limits.maxRecords || Date.now() >= inv.deadline;
}
