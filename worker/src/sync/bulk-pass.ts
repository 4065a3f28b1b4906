/**
 * One step of a Bulk API 2.0 first load: start the job (from where the pass stands), wait for it, or stream one
 * results page into the destination a chunk at a time. The job's createdDate and each page's locator are kept in the
 * cursor, so a later invocation reads on without asking for the job's status again.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { TABLES } from '../../../shared/mapping/destination';
import { bulkJobState, createBulkQueryJob, dropRequestedPage, jobCreatedAt, readBulkPage, requestResultsPage } from '../salesforce/bulk2';
import { asSalesforceError } from '../salesforce/errors';
import { budgetLeft } from './budget';
import { bulkCheckWaitMs } from './bulk-wait';
import { bulkJobDropped, bulkJobStarted, readsInBulk } from './cursor';
import { type Invocation, type TableRun, charge, fail, stopAll } from './invocation';
import { commitCursor, commitPage } from './page-commit';
import { BULK_CHUNK_RECORDS, passSoql } from './plan';

export async function bulkStep(inv: Invocation, t: TableRun): Promise<void> {
  const before = inv.api.apiCalls;
  try {
    inv.hooks?.at?.('before_fetch', t.table);
    if (!t.cursor.bulk_job_id) {
      const from = t.cursor.pass_max;
      const job = await createBulkQueryJob(inv.api, passSoql(t.table, t.mapping, from, { ordered: false, filter: t.filter }));
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
        t.bulkChecks = (t.bulkChecks ?? 0) + 1;
        const wait = bulkCheckWaitMs(t.bulkChecks);
        if (Date.now() + wait >= inv.deadline) return stopAll([t], 'partial', null, 'Salesforce is still preparing the first load; the next tick picks it up.');
        await new Promise((resolve) => setTimeout(resolve, wait));
        return;
      }
    }
    // next_page holds the results locator; null means the first page (after the job completed).
    const atPageStart = t.cursor;
    const jobId = t.cursor.bulk_job_id;
    const readBefore = totalRead(inv);
    const page = await readBulkPage(
      inv.api,
      jobId,
      t.cursor.next_page,
      inv.limits.bulkPageSize,
      BULK_CHUNK_RECORDS,
      async (records, chunk) => {
        // A page read again after a failure part-way starts over from the cursor it began with.
        if (chunk.index === 0) t.cursor = atPageStart;
        inv.hooks?.at?.('after_fetch', t.table);
        await commitPage(inv, t, records, chunk.last ? { next_page: chunk.nextLocator } : null, chunk.last && !chunk.nextLocator);
      },
      {
        requested: takeRequestedPage(inv, jobId, t.cursor.next_page),
        // While the page's last chunk is written, the next page is asked for when it is surely the next step.
        onBodyRead: ({ count, nextLocator }) => {
          if (nextLocator && !inv.nextBulkPage && nextStepIsPageOf(inv, t, readBefore + count)) {
            inv.nextBulkPage = requestResultsPage(inv.api, jobId, nextLocator, inv.limits.bulkPageSize);
          }
        },
      },
    );
    if (!page.nextLocator) t.finished = true;
  } catch (error) {
    // Salesforce keeps a job's results for 7 days: a job gone, or results refused for a locator we sent, is started
    // again from the committed stamp. Any 400 or 404 on a locator counts: the error code of an expired locator is
    // not documented, so none is relied on.
    const sf = asSalesforceError(error);
    const locatorRefused = t.cursor.next_page !== null && (sf?.status === 400 || sf?.status === 404);
    if (sf?.errorCode !== 'NOT_FOUND' && sf?.errorCode !== 'INVALIDLOCATOR' && !locatorRefused) throw error;
    await commitCursor(inv, t, bulkJobDropped);
  } finally {
    charge(inv, t, before);
  }
}

const totalRead = (inv: Invocation) => inv.tables.reduce((sum, t) => sum + t.outcome.read, 0);

/** The page asked for ahead of time, when it is this one; one asked for another page is let go. */
function takeRequestedPage(inv: Invocation, jobId: string, locator: string | null) {
  const requested = inv.nextBulkPage;
  inv.nextBulkPage = undefined;
  if (requested && requested.jobId === jobId && requested.locator === locator) return requested;
  if (requested) dropRequestedPage(requested);
  return undefined;
}

/**
 * The loop's next step will read `t`'s next results page: every other table with work is reading through a Bulk job
 * already and comes after `t` (so no REST step or new job goes first), and no limit will stop the invocation. Asked
 * ahead only then, so no call is made that the sync would not make anyway.
 */
function nextStepIsPageOf(inv: Invocation, t: TableRun, readAfter: number): boolean {
  const pending = inv.tables.filter((x) => !x.finished);
  if (pending[0] !== t || pending.some((x) => x !== t && !(readsInBulk(x.cursor, inv.limits.bulkThreshold) && x.cursor.bulk_job_id))) return false;
  return inv.api.apiCalls + 1 < inv.limits.maxApiCalls && readAfter < inv.limits.maxRecords && Date.now() < inv.deadline && budgetLeft(inv);
}
