/**
 * Bulk API 2.0 query jobs, over the same session, retries and usage reading as the REST calls (rest.ts): create a
 * job, read its state, and stream one CSV results page by its locator.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 */
import { z } from 'zod';
import { API_VERSION } from './api';
import { salesforceDateTime } from '../../../shared/salesforce-datetime';
import { csvRows } from './csv-stream';
import { MalformedResponse } from './errors';
import { type ApiSession, open, sendForJson, withRetries } from './rest';


const JobSchema = z.object({ id: z.string(), state: z.string(), createdDate: z.string().optional(), numberRecordsProcessed: z.number().optional(), errorMessage: z.string().nullish() });

export type BulkJob = z.infer<typeof JobSchema>;

/** `queryAll` (the sync: deleted rows too) or `query` (live rows only: what an Id reconciliation compares against). */
export async function createBulkQueryJob(state: ApiSession, soql: string, operation: 'queryAll' | 'query' = 'queryAll'): Promise<BulkJob> {
  return withRetries(state, async () => {
    const parsed = JobSchema.safeParse(await sendForJson(state, 'POST', `/services/data/v${API_VERSION}/jobs/query`, 'the Bulk API 2.0 job request', { operation, query: soql }));
    if (!parsed.success) throw new MalformedResponse('Salesforce answered the Bulk API 2.0 job request with an unexpected body.');
    return parsed.data;
  });
}

/** A job's createdDate (`2026-11-21T10:00:00.000+0000`) as ISO 8601 UTC, or null when it is missing or unreadable. */
export function jobCreatedAt(job: BulkJob): string | null {
  return salesforceDateTime(job.createdDate ?? '') ?? null;
}

export async function bulkJobState(state: ApiSession, jobId: string): Promise<BulkJob> {
  return withRetries(state, async () => {
    const parsed = JobSchema.safeParse(await sendForJson(state, 'GET', `/services/data/v${API_VERSION}/jobs/query/${jobId}`, 'a Bulk API 2.0 job status'));
    if (!parsed.success) throw new MalformedResponse('Salesforce answered a Bulk API 2.0 job status with an unexpected body.');
    return parsed.data;
  });
}

const resultsPath = (jobId: string, locator: string | null, maxRecords: number) =>
  `/services/data/v${API_VERSION}/jobs/query/${jobId}/results?${new URLSearchParams({ maxRecords: String(maxRecords), ...(locator ? { locator } : {}) })}`;

/** A results page asked for ahead of time (one API call, counted now); readBulkPage reads it when it gets there. */
export interface RequestedPage {
  jobId: string;
  locator: string;
  response: Promise<Response>;
}

export function requestResultsPage(state: ApiSession, jobId: string, locator: string, maxRecords: number): RequestedPage {
  state.apiCalls++;
  const response = open(state, 'GET', resultsPath(jobId, locator, maxRecords), { accept: 'text/csv' });
  // Read (or dropped) later; a failure until then is not unhandled, and readBulkPage retries it.
  response.catch(() => undefined);
  return { jobId, locator, response };
}

/** A page asked for and not read: its body is let go. */
export function dropRequestedPage(page: RequestedPage): void {
  page.response.then((response) => response.body?.cancel(), () => undefined);
}

export interface BulkPage {
  /** records in the page */
  count: number;
  /** the locator of the next page, or null after the last */
  nextLocator: string | null;
}

/**
 * One page of a job's CSV results, by its `Sforce-Locator` (the locator is what lets a crash resume at a page),
 * read as a stream: every `chunkSize` records go to `onChunk` while the rest of the page is still arriving, so
 * memory holds a chunk or two whatever the page size. `onChunk` runs one at a time and in order, and is told which
 * chunk ends the page. A page that fails part-way is read again from its start (its chunks are idempotent upserts).
 */
export async function readBulkPage(
  state: ApiSession,
  jobId: string,
  locator: string | null,
  maxRecords: number,
  chunkSize: number,
  onChunk: (records: Record<string, string>[], chunk: { index: number; last: boolean; nextLocator: string | null }) => Promise<void>,
  options: { requested?: RequestedPage; onBodyRead?: (page: BulkPage) => void } = {},
): Promise<BulkPage> {
  let requested = options.requested;
  const firstCounted = requested !== undefined;
  return withRetries(
    state,
    async () => {
      const ahead = requested;
      requested = undefined;
      const response = await (ahead?.response ?? open(state, 'GET', resultsPath(jobId, locator, maxRecords), { accept: 'text/csv' }));
      const next = response.headers.get('Sforce-Locator');
      const nextLocator = next && next !== 'null' ? next : null;
      const expected = response.headers.get('Sforce-NumberOfRecords');

      let count = 0;
      let index = 0;
      let pending: Record<string, string>[] = [];
      let writing: Promise<void> | undefined;
      const hand = async (last: boolean) => {
        await writing;
        const records = pending;
        pending = [];
        count += records.length;
        if (last && expected !== null && Number(expected) !== count) {
          throw new MalformedResponse(`Salesforce sent a results page of ${count} records where it announced ${expected}.`);
        }
        writing = onChunk(records, { index: index++, last, nextLocator });
        // Awaited before the next chunk (or at the end); until then a failure must not count as unhandled.
        writing.catch(() => undefined);
      };
      for await (const rows of csvRows(response.body!, (problem) => new MalformedResponse(`Salesforce sent a results page that ${problem}.`))) {
        pending.push(...rows);
        if (pending.length >= chunkSize) await hand(false);
      }
      // The whole page is in: the next one may be asked for while its last chunk is written.
      options.onBodyRead?.({ count: count + pending.length, nextLocator });
      await hand(true);
      await writing;
      return { count, nextLocator };
    },
    { firstCounted },
  );
}

