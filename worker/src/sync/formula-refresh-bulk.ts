/**
 * A formula refresh through Bulk API 2.0, for a table above the sync's Bulk threshold: one query job reading Id +
 * the formulas, its results streamed a page at a time and written a chunk at a time, the job and the page locator
 * kept in formula_refreshes so a later invocation reads on. A job that failed, or whose results are gone (Salesforce
 * keeps them 7 days), is dropped and the next run starts another.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { bulkJobState, createBulkQueryJob, readBulkPage } from '../salesforce/bulk2';
import { asSalesforceError } from '../salesforce/errors';
import { budgetLeft } from './budget';
import type { FormulaRefresh } from './formula-refresh-context';

/** Records of a results page written per D1 batch while the rest of the page streams in. */
const CHUNK_RECORDS = 5_000;

export async function refreshInBulk(r: FormulaRefresh): Promise<void> {
  const { inv, run } = r;
  const counted = async <T>(call: () => Promise<T>) => {
    const before = inv.api.apiCalls;
    try {
      return await call();
    } finally {
      run.calls += inv.api.apiCalls - before;
    }
  };
  if (!r.state.bulk_job_id) {
    const job = await counted(() => createBulkQueryJob(inv.api, r.soql));
    await r.save({ bulk_job_id: job.id, next_page: null }, false);
  }
  const jobId = r.state.bulk_job_id!;
  while (run.status === 'partial' && inv.api.apiCalls < inv.limits.maxApiCalls && Date.now() + 1_000 < inv.deadline && budgetLeft(inv)) {
    if (!r.state.next_page) {
      const job = await counted(() => bulkJobState(inv.api, jobId));
      if (job.state === 'Failed' || job.state === 'Aborted') {
        await r.save({ bulk_job_id: null, next_page: null }, false);
        run.status = 'failed';
        run.code = 'bulk_job_failed';
        run.message = `Salesforce's Bulk API 2.0 job for the formula refresh ${job.state.toLowerCase()}: ${job.errorMessage ?? 'no reason given'}.`;
        return;
      }
      if (job.state !== 'JobComplete') {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
    }
    try {
      // next_page holds the results locator; null is the first page (after the job completed).
      const page = await counted(() =>
        readBulkPage(inv.api, jobId, r.state.next_page, inv.limits.bulkPageSize, CHUNK_RECORDS, async (records) => {
          await r.write(records);
        }),
      );
      await r.save({ next_page: page.nextLocator }, page.nextLocator === null);
    } catch (error) {
      const sf = asSalesforceError(error);
      // Results gone or a locator refused: start a new job next time (the writes so far are idempotent).
      if (sf && (sf.status === 400 || sf.status === 404)) {
        await r.save({ bulk_job_id: null, next_page: null }, false);
        run.message = `Salesforce no longer has the formula refresh's Bulk API 2.0 results (${sf.message}); the next run starts a new job.`;
        return;
      }
      throw error;
    }
  }
}
