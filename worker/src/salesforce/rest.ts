/**
 * The REST side of every Salesforce call the sync and the estimate make, as the integration user: the session they
 * share, Composite page fetches and counts (Bulk API 2.0 jobs are in bulk2.ts, over the same plumbing). Each call is counted (a Composite request is one call, as Salesforce counts it), the org's usage is
 * read from `Sforce-Limit-Info`, responses are parsed before use, and passing failures (5xx, timeouts, dropped
 * connections, malformed bodies) are retried with backoff. INVALID_SESSION_ID gets one new JWT-bearer token and
 * one more try; REQUEST_LIMIT_EXCEEDED is never retried.
 *
 * These calls are made with fetch on the jsforce session's token rather than through jsforce: jsforce 3's browser
 * transport (the one workerd loads, browser/browser/request.js) neither awaits nor catches the response body
 * stream, so a connection dropped mid-response leaves the call pending for ever (and leaks an unhandled
 * rejection) instead of failing it, and its errors do not carry the HTTP status that tells a 5xx from a 4xx.
 */
import { z } from 'zod';
import type { ConnectionRow } from '../db/connections';
import { API_VERSION, type CompositeSubrequest, type Connection } from './api';

export type { CompositeSubrequest };
import { DeadlineReached, MalformedResponse, SalesforceError, asSalesforceError } from './errors';
import { freshIntegrationToken, integrationSession } from './integration-session';

const BACKOFF_MS = [250, 1_000, 4_000];

export interface ApiUsage {
  used: number;
  max: number;
}

export interface ApiSession {
  conn: Connection;
  apiCalls: number;
  usage: ApiUsage | undefined;
  /** true once a response of this invocation told the org's usage (only then is the reading saved as new) */
  usageAnswered?: boolean;
  /** epoch ms: no request outlives it, and retries never wait past it */
  deadline: number;
  /** a fresh access token (JWT bearer), after Salesforce answered INVALID_SESSION_ID */
  refreshToken: () => Promise<string>;
}

/**
 * The integration user's session for calls bounded by `deadline` (epoch ms); `clock` is the invocation's time, which
 * the JWT assertion's expiry is counted from.
 */
export async function openApiSession(env: Env, connection: ConnectionRow, deadline: number, clock: () => Date = () => new Date()): Promise<ApiSession> {
  const options = () => ({ signal: signalUntil(deadline), now: clock() });
  const conn = await integrationSession(env, connection, options());
  return { conn, apiCalls: 0, usage: undefined, deadline, refreshToken: () => freshIntegrationToken(env, connection, options()) };
}

/** Aborts at the deadline: every request (and its body) is bounded by the invocation's time. */
export const signalUntil = (deadline: number) => AbortSignal.timeout(Math.max(1, deadline - Date.now()));

/** An abort or timeout of our own signal: fetch rejects with a DOMException whose name says which. */
const aborted = (error: unknown) => error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');

function retryable(error: unknown): boolean {
  if (error instanceof MalformedResponse || error instanceof TypeError) return true;
  const sf = asSalesforceError(error);
  if (sf) return (sf.status ?? 0) >= 500 || /^ERROR_HTTP_5/.test(sf.errorCode) || sf.errorCode === 'SERVER_UNAVAILABLE';
  return error instanceof Error && /socket|network|ECONNRESET|terminated|fetch failed|Unexpected end|JSON/i.test(error.message);
}

export async function withRetries<T>(state: ApiSession, call: () => Promise<T>, options: { firstCounted?: boolean } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A request asked for ahead of time (firstCounted) was counted when it was sent.
      if (attempt > 0 || !options.firstCounted) state.apiCalls++;
      return await call();
    } catch (error) {
      if (aborted(error) || error instanceof DeadlineReached) {
        throw new DeadlineReached('Salesforce did not answer before this invocation’s time limit; the request was abandoned.', { cause: error });
      }
      const wait = BACKOFF_MS[attempt];
      if (wait === undefined || !retryable(error) || Date.now() + wait > state.deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * One request on the integration user's session, answered with its headers and its body still to read: the org's
 * usage taken from `Sforce-Limit-Info`, and an error answer turned into a SalesforceError with its status.
 */
export async function open(state: ApiSession, method: 'GET' | 'POST', path: string, options: { json?: unknown; accept?: string } = {}): Promise<Response> {
  const url = new URL(path, state.conn.instanceUrl);
  const attempt = (token: string) =>
    fetch(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: options.accept ?? 'application/json', ...(options.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      // Covers the body too: a stream still arriving at the deadline fails instead of holding the invocation.
      signal: signalUntil(state.deadline),
    });
  let response = await attempt(state.conn.accessToken!);
  if (response.status === 401) {
    await response.body?.cancel();
    try {
      state.conn.accessToken = await state.refreshToken();
    } catch (error) {
      const sf = asSalesforceError(error);
      if (!sf) throw error;
      // Said as what it is: the session expired and signing in again failed (a 5xx here is retried like any other).
      throw new SalesforceError(sf.errorCode, `The session expired and signing in again as the integration user failed: ${sf.message}`, sf.status, { cause: error });
    }
    response = await attempt(state.conn.accessToken);
  }
  const usage = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get('Sforce-Limit-Info') ?? '');
  if (usage) {
    state.usage = { used: Number(usage[1]), max: Number(usage[2]) };
    state.usageAnswered = true;
  }
  if (!response.ok) {
    const text = await response.text();
    const error = SalesforceErrorBody.safeParse(safeJson(text));
    const first = error.success ? error.data[0]! : { errorCode: `ERROR_HTTP_${response.status}`, message: text.slice(0, 200) };
    throw new SalesforceError(first.errorCode, first.message, response.status);
  }
  return response;
}

/** A request whose body is read in full before use (a connection dropped mid-body fails here). */
async function send(state: ApiSession, method: 'GET' | 'POST', path: string, options: { json?: unknown } = {}): Promise<string> {
  return (await open(state, method, path, options)).text();
}

export async function sendForJson(state: ApiSession, method: 'GET' | 'POST', path: string, what: string, json?: unknown): Promise<unknown> {
  const body = safeJson(await send(state, method, path, { json }));
  if (body === undefined) throw new MalformedResponse(`Salesforce answered ${what} with a body that is not JSON.`);
  return body;
}

const QueryPageSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  // Checked, not copied: a page holds up to 2,000 records and a Composite answer five pages.
  records: z.array(z.custom<Record<string, unknown>>((record) => typeof record === 'object' && record !== null && !Array.isArray(record), 'a record is an object')),
});
export type QueryPage = z.infer<typeof QueryPageSchema>;

const CompositeSchema = z.object({
  compositeResponse: z.array(z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })),
});

const SalesforceErrorBody = z.array(z.object({ errorCode: z.string(), message: z.string() })).min(1);

/**
 * The deleted-records log of an object over a window (sObject Get Deleted), which a Composite call may carry beside
 * its queries: "all sObject resources" are supported subrequests, and only query, queryAll and query-more count
 * towards the five query subrequests.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 */
const DeletedRecordsSchema = z.object({
  deletedRecords: z.array(z.object({ id: z.string(), deletedDate: z.string() })),
  earliestDateAvailable: z.string().nullish(),
  latestDateCovered: z.string().nullish(),
});
export type DeletedRecords = z.infer<typeof DeletedRecordsSchema>;

const isDeletedRecordsUrl = (url: string) => /\/sobjects\/[^/?]+\/deleted\/?(\?|$)/.test(url);

type Refused = { ok: false; error: SalesforceError | MalformedResponse };
export type QueryPageResult = { ok: true; page: QueryPage } | Refused;
export type DeletedRecordsResult = { ok: true; deleted: DeletedRecords } | Refused;
/** A Composite subrequest's answer: a query page or a deleted-records log (by the URL asked), or the refusal. */
export type SubrequestResult = QueryPageResult | DeletedRecordsResult;

/** A query subrequest's answer as a page; any other kind of answer is a MalformedResponse about `what`. */
export function pageOf(result: SubrequestResult, what: string): QueryPageResult {
  return !result.ok || 'page' in result ? result : { ok: false, error: new MalformedResponse(`Salesforce answered ${what} with an unexpected body.`) };
}

/** A deleted-records subrequest's answer as the log; any other kind of answer is a MalformedResponse. */
export function deletedOf(result: SubrequestResult): DeletedRecordsResult {
  return !result.ok || 'deleted' in result ? result : { ok: false, error: new MalformedResponse('Salesforce answered the deleted-records request with an unexpected body.') };
}

/** One Composite call; answers each subrequest's page or error, by referenceId. */
export async function fetchComposite(state: ApiSession, subrequests: CompositeSubrequest[]): Promise<Map<string, SubrequestResult>> {
  const body = await withRetries(state, async () => {
    const raw = await sendForJson(state, 'POST', `/services/data/v${API_VERSION}/composite`, 'the Composite request', { allOrNone: false, compositeRequest: subrequests });
    const parsed = CompositeSchema.safeParse(raw);
    if (!parsed.success) throw new MalformedResponse(`Salesforce answered the Composite request with an unexpected body (${parsed.error.issues[0]?.message}).`);
    return parsed.data;
  });
  const results = new Map<string, SubrequestResult>();
  const deletedRefs = new Set(subrequests.filter((s) => isDeletedRecordsUrl(s.url)).map((s) => s.referenceId));
  for (const response of body.compositeResponse) {
    if (response.httpStatusCode < 300 && deletedRefs.has(response.referenceId)) {
      const deleted = DeletedRecordsSchema.safeParse(response.body);
      results.set(
        response.referenceId,
        deleted.success ? { ok: true, deleted: deleted.data } : { ok: false, error: new MalformedResponse('Salesforce answered the deleted-records request with an unexpected body.') },
      );
    } else if (response.httpStatusCode < 300) {
      const page = QueryPageSchema.safeParse(response.body);
      results.set(
        response.referenceId,
        page.success ? { ok: true, page: page.data } : { ok: false, error: new MalformedResponse('Salesforce answered a query with an unexpected body.') },
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

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Record counts of several objects in one Composite call (`SELECT COUNT()` answers its count as totalSize). With a
 * condition for an object (a row filter), only live records matching it are counted (`query`, not `queryAll`).
 */
export async function countRecords(session: ApiSession, objects: readonly string[], where: Record<string, string> = {}): Promise<Map<string, number>> {
  const results = await fetchComposite(
    session,
    objects.map((object) => ({
      method: 'GET',
      url: where[object] ? `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(`SELECT COUNT() FROM ${object} WHERE ${where[object]}`)}` : queryAllUrl(`SELECT COUNT() FROM ${object}`),
      referenceId: object,
    })),
  );
  const counts = new Map<string, number>();
  for (const object of objects) {
    const result = results.get(object);
    if (!result) throw new MalformedResponse(`Salesforce's Composite answer has no count of ${object}.`);
    const counted = pageOf(result, `the count of ${object}`);
    if (!counted.ok) throw counted.error;
    counts.set(object, counted.page.totalSize);
  }
  return counts;
}
