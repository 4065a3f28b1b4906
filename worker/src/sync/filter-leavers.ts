/**
 * Records leaving a filtered table's copy: those changed since the pass began that no longer match its filter (every
 * one outside it, when a filter change re-reads the table). Their Ids come beside the pass's first page in the same
 * Composite call (plan.ts leaverSoql); each becomes a delete — hard, or a soft mark, per the connector's delete mode —
 * committed before any page of the pass, so a crash never lets the watermark move past a leaver not yet applied.
 * Leavers move neither the cursor nor the pass's highest stamp: the pass may resume from that stamp, and a leaver's
 * stamp says nothing about which matching records were read. Applying one again is a no-op.
 */
import { TABLES } from '../../../shared/mapping/destination';
import { salesforceCode } from '../../../shared/run-outcomes';
import { type CompositeSubrequest, type SubrequestResult, fetchComposite, pageOf, queryAllUrl } from '../salesforce/rest';
import { SalesforceError } from '../salesforce/errors';
import { type Invocation, type TableRun, charge, fail } from './invocation';
import { commitPage } from './page-commit';
import { leaverSoql } from './plan';

export const leaversRef = (t: TableRun) => `${t.table}_leavers`;

/** The leavers subrequest of a pass beginning from `from`, when the table has a filter and a copy to leave. */
export function leaversRequest(t: TableRun, from: string | null): CompositeSubrequest | undefined {
  if (!t.filter) return undefined;
  // A first load into an empty copy has nothing to leave; a re-read (mapping or filter change) may.
  if (t.cursor.phase === 'initial' && t.cursor.backfill_columns === null) return undefined;
  return { method: 'GET', url: queryAllUrl(leaverSoql(t.table, t.filter, t.cursor.phase === 'initial' ? null : from)), referenceId: leaversRef(t) };
}

/** Applies the leavers answered in `result`, reading their further pages; false when the table failed. */
export async function applyLeavers(inv: Invocation, t: TableRun, result: SubrequestResult | undefined): Promise<boolean> {
  let current = result;
  for (;;) {
    if (!current) return true;
    const leavers = pageOf(current, "the filter's leavers query");
    if (!leavers.ok) {
      const { error } = leavers;
      if (!(error instanceof SalesforceError)) fail(t, 'malformed_response', `${error.message} Nothing was lost: the next run reads the filter's leavers again.`);
      else fail(t, salesforceCode(error.errorCode), `Salesforce refused the ${TABLES[t.table].source} filter (${t.filter}): ${error.message.trim()} Fix the filter in the Connectors panel; nothing was deleted.`);
      return false;
    }
    const { page } = leavers;
    const cursor = t.cursor;
    if (page.records.length > 0) await commitPage(inv, t, page.records.map((r) => ({ ...r, IsDeleted: true })), null);
    t.cursor = cursor;
    if (page.done || !page.nextRecordsUrl) return true;
    const before = inv.api.apiCalls;
    const answer = await fetchComposite(inv.api, [{ method: 'GET', url: page.nextRecordsUrl, referenceId: leaversRef(t) }]);
    charge(inv, t, before);
    current = answer.get(leaversRef(t));
  }
}
