/**
 * Every Salesforce call the sync makes, as the integration user: Composite page fetches, counts, and Bulk API 2.0
 * query jobs. Each call is counted (a Composite request is one call, as Salesforce counts it), the org's usage is
 * read from `Sforce-Limit-Info`, responses are parsed before use, and passing failures (5xx, timeouts, dropped
 * connections, malformed bodies) are retried with backoff. INVALID_SESSION_ID is handled by jsforce's refresh (a
 * new JWT-bearer token); REQUEST_LIMIT_EXCEEDED is never retried.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { API_VERSION, type Connection } from '../salesforce/api';
import { SalesforceError, asSalesforceError } from '../salesforce/errors';
import type { CompositeSubrequest } from './plan';

const BACKOFF_MS = [250, 1_000, 4_000];

export interface ApiUsage {
  used: number;
  max: number;
}

export interface ReaderState {
  conn: Connection;
  apiCalls: number;
  usage: ApiUsage | undefined;
  /** epoch ms: retries never wait past it */
  deadline: number;
  /** a fresh access token (JWT bearer), for the one call made outside jsforce */
  refreshToken: () => Promise<string>;
}

/** A response that is not what Salesforce sends: retried like a server error, then reported. */
export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
}

function retryable(error: unknown): boolean {
  if (error instanceof MalformedResponse || error instanceof TypeError) return true;
  const sf = asSalesforceError(error);
  if (sf) return (sf.status ?? 0) >= 500 || /^ERROR_HTTP_5/.test(sf.errorCode) || sf.errorCode === 'SERVER_UNAVAILABLE';
  return error instanceof Error && /socket|network|ECONNRESET|terminated|fetch failed|Unexpected end|JSON/i.test(error.message);
}

async function withRetries<T>(state: ReaderState, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      state.apiCalls++;
      const result = await call();
      const info = (state.conn as unknown as { limitInfo?: { apiUsage?: { used: number; limit: number } } }).limitInfo?.apiUsage;
      if (info) state.usage = { used: info.used, max: info.limit };
      return result;
    } catch (error) {
      const wait = BACKOFF_MS[attempt];
      if (wait === undefined || !retryable(error) || Date.now() + wait > state.deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

const QueryPageSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});
export type QueryPage = z.infer<typeof QueryPageSchema>;

const CompositeSchema = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })),
});

const SalesforceErrorBody = z.array(z.object({ errorCode: z.string(), message: z.string() })).min(1);

export type SubrequestResult = { ok: true; page: QueryPage } | { ok: false; error: SalesforceError };

/** One Composite call; answers each subrequest's page or error, by referenceId. */
export async function fetchComposite(state: ReaderState, subrequests: CompositeSubrequest[]): Promise<Map<string, SubrequestResult>> {
  const body = await withRetries(state, async () => {
    const raw = await state.conn.requestPost(`/services/data/v${API_VERSION}/composite`, { allOrNone: false, compositeRequest: subrequests });
    const parsed = CompositeSchema.safeParse(raw);
    if (!parsed.success) throw new MalformedResponse(`Salesforce answered the Composite request with an unexpected body (${parsed.error.issues[0]?.message}).`);
    return parsed.data;
  });
  const results = new Map<string, SubrequestResult>();
  for (const response of body.compositeResponse) {
    if (response.httpStatusCode < 300) {
      const page = QueryPageSchema.safeParse(response.body);
      results.set(
        response.referenceId,
        page.success ? { ok: true, page: page.data } : { ok: false, error: new SalesforceError('MALFORMED_RESPONSE', 'Salesforce answered a query with an unexpected body.', 502) },
      );
    } else {
      const error = SalesforceErrorBody.safeParse(response.body);
      const first = error.success ? error.data[0]! : { errorCode: `ERROR_HTTP_${response.httpStatusCode}`, message: JSON.stringify(response.body) };
      results.set(response.referenceId, { ok: false, error: new SalesforceError(first.errorCode, first.message, response.httpStatusCode) });
    }
  }
  return results;
}

export const queryAllUrl = (soql: string) => `/services/data/v${API_VERSION}/queryAll?q=${encodeURIComponent(soql)}`;

// ── Bulk API 2.0 ────────────────────────────────────────────────────────────────────────────────────────────

const JobSchema = z.object({ id: z.string(), state: z.string(), numberRecordsProcessed: z.number().optional(), errorMessage: z.string().nullish() });

export async function createBulkQueryJob(state: ReaderState, soql: string): Promise<string> {
  return withRetries(state, async () => {
    const parsed = JobSchema.safeParse(await state.conn.requestPost(`/services/data/v${API_VERSION}/jobs/query`, { operation: 'queryAll', query: soql }));
    if (!parsed.success) throw new MalformedResponse('Salesforce answered the Bulk API 2.0 job request with an unexpected body.');
    return parsed.data.id;
  });
}

export async function bulkJobState(state: ReaderState, jobId: string): Promise<z.infer<typeof JobSchema>> {
  return withRetries(state, async () => {
    const parsed = JobSchema.safeParse(await state.conn.request(`/services/data/v${API_VERSION}/jobs/query/${jobId}`));
    if (!parsed.success) throw new MalformedResponse('Salesforce answered a Bulk API 2.0 job status with an unexpected body.');
    return parsed.data;
  });
}

export interface BulkPage {
  records: Record<string, string>[];
  /** the locator of the next page, or null after the last */
  nextLocator: string | null;
}

/**
 * One page of a job's CSV results. jsforce offers no way to read a single page with its `Sforce-Locator` (its
 * result() streams every page), and the locator is what lets a crash resume at a page, so this one request is
 * made with fetch, on the integration user's session.
 */
export async function fetchBulkPage(state: ReaderState, jobId: string, locator: string | null, maxRecords: number): Promise<BulkPage> {
  return withRetries(state, async () => {
    const url = new URL(`/services/data/v${API_VERSION}/jobs/query/${jobId}/results`, state.conn.instanceUrl);
    url.searchParams.set('maxRecords', String(maxRecords));
    if (locator) url.searchParams.set('locator', locator);
    const send = (token: string) => fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv' } });
    let response = await send(state.conn.accessToken!);
    if (response.status === 401) {
      state.conn.accessToken = await state.refreshToken();
      response = await send(state.conn.accessToken);
    }
    const usage = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get('Sforce-Limit-Info') ?? '');
    if (usage) state.usage = { used: Number(usage[1]), max: Number(usage[2]) };
    const text = await response.text();
    if (!response.ok) {
      const error = SalesforceErrorBody.safeParse(safeJson(text));
      const first = error.success ? error.data[0]! : { errorCode: `ERROR_HTTP_${response.status}`, message: text.slice(0, 200) };
      throw new SalesforceError(first.errorCode, first.message, response.status);
    }
    const next = response.headers.get('Sforce-Locator');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const expected = response.headers.get('Sforce-NumberOfRecords');
    if (parsed.errors.length > 0 || (expected !== null && Number(expected) !== parsed.data.length)) {
      throw new MalformedResponse(`Salesforce sent a results page that does not parse as the CSV it announced (${parsed.errors[0]?.message ?? `${parsed.data.length} of ${expected} records`}).`);
    }
    return { records: parsed.data, nextLocator: next && next !== 'null' ? next : null };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
