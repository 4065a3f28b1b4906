/**
 * One step of a Bulk API 2.0 first load: start the job (from where the pass stands), wait for it, or stream one
 * results page into the destination a chunk at a time. The job's createdDate and each page's locator are kept in the
 * cursor, so a later invocation reads on without asking for the job's status again.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { TABLES } from '../../../shared/mapping/destination';
import { bulkJobState, createBulkQueryJob, jobCreatedAt, readBulkPage } from '../salesforce/bulk2';
import { asSalesforceError } from '../salesforce/errors';
import { bulkJobDropped, bulkJobStarted } from './cursor';
import { type Invocation, type TableRun, charge, fail, stopAll } from './invocation';
import { commitCursor, commitPage } from './page-commit';
import { passSoql } from './plan';

/** Records of a Bulk API 2.0 results page committed per destination commit, while the rest of the page streams in. */
const BULK_CHUNK_RECORDS = 5_000;

export async function bulkStep(inv: Invocation, t: TableRun): Promise<void> {
  const before = inv.api.apiCalls;
  try {
    inv.hooks?.at?.('before_fetch', t.table);
    if (!t.cursor.bulk_job_id) {
      const from = t.cursor.pass_max;
      const job = await createBulkQueryJob(inv.api, passSoql(t.table, t.mapping, from, { ordered: false }));
      await commitCursor(inv, t, (c, at) => bulkJobStarted(c, job.id, jobCreatedAt(job), from, at));
      return;
    }
    if (!t.cursor.next_page) {
      const job = await bulkJobState(inv.api, t.cursor.bulk_job_id);
      if (job.state === 'Failed' || job.state === 'Aborted') {
        await commitCursor(inv, t, bulkJobDropped);
        fail(t, 'bulk_job_failed', `Salesforce's Bulk API 2.0 job for ${TABLES[t.table].source} ${job.state.toLowerCase()}: ${job.errorMessage ?? 'no reason given'}. The next run starts a new one.`);
        return;
      }
      if (job.state !== 'JobComplete') {
        if (Date.now() + 1_000 >= inv.deadline) return stopAll([t], 'partial', null, 'Salesforce is still preparing the first load; the next tick picks it up.');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return;
      }
    }
    // next_page holds the results locator; null means the first page (after the job completed).
    const atPageStart = t.cursor;
    const page = await readBulkPage(inv.api, t.cursor.bulk_job_id, t.cursor.next_page, inv.limits.bulkPageSize, BULK_CHUNK_RECORDS, async (records, chunk) => {
      // A page read again after a failure part-way starts over from the cursor it began with.
      if (chunk.index === 0) t.cursor = atPageStart;
      inv.hooks?.at?.('after_fetch', t.table);
      await commitPage(inv, t, records, chunk.last ? { next_page: chunk.nextLocator } : null, chunk.last && !chunk.nextLocator);
    });
    if (!page.nextLocator) t.finished = true;
  } catch (error) {
    // Salesforce keeps a job's results for 7 days: a job gone (or a locator it no longer knows) is started again.
    const sf = asSalesforceError(error);
    if (sf?.errorCode !== 'NOT_FOUND' && sf?.errorCode !== 'INVALIDLOCATOR') throw error;
    await commitCursor(inv, t, bulkJobDropped);
  } finally {
    charge(inv, t, before);
  }
}
