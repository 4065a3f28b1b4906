/** A formula refresh through REST: query pages of Id + formulas, chained five to a Composite call, until done or a limit. */
import { API_VERSION } from '../salesforce/api';
import { MalformedResponse } from '../salesforce/errors';
import { fetchComposite, pageOf } from '../salesforce/rest';
import { budgetLeft } from './budget';
import type { FormulaRefresh } from './formula-refresh-context';
import { QUERY_SUBREQUESTS_PER_CALL, pageChain } from './plan';

export async function refreshThroughRest(r: FormulaRefresh): Promise<void> {
  const { inv, t, run } = r;
  const firstPage = `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(r.soql)}`;
  while (run.status === 'partial' && inv.api.apiCalls < inv.limits.maxApiCalls && Date.now() < inv.deadline && budgetLeft(inv)) {
    const chain = pageChain(t.table, r.state.next_page ?? firstPage, QUERY_SUBREQUESTS_PER_CALL).map((s) => ({ ...s, referenceId: `formula_${s.referenceId}` }));
    const before = inv.api.apiCalls;
    const results = await fetchComposite(inv.api, chain);
    run.calls += inv.api.apiCalls - before;
    for (const { referenceId } of chain) {
      const result = results.get(referenceId);
      if (!result) break;
      const answer = pageOf(result, 'a formula refresh query');
      if (!answer.ok) {
        if (answer.error instanceof MalformedResponse) throw answer.error;
        // An expired locator starts the refresh over (its writes are idempotent); anything else fails it.
        if (answer.error.errorCode === 'INVALID_QUERY_LOCATOR') await r.save({ next_page: null }, false);
        else throw answer.error;
        break;
      }
      const { page } = answer;
      await r.write(page.records);
      const ended = page.done || !page.nextRecordsUrl;
      await r.save({ next_page: ended ? null : page.nextRecordsUrl! }, ended);
      if (ended) break;
    }
  }
}
