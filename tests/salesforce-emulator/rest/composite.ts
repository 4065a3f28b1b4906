/**
 * `POST /composite`: up to 25 subrequests run in order as the same user, later ones referring to earlier results
 * with `@{referenceId.field}` (or `@{ref.records[0].Id}`); at most 5 of them may be query, queryAll or query-more.
 * The whole request counts as one API call. With `allOrNone`, a failing subrequest rolls every change back and the
 * others answer PROCESSING_HALTED. Response `{compositeResponse: [{body, httpHeaders, httpStatusCode, referenceId}]}`
 * (errors/composite_*.cumulusci.json).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { errors, SalesforceError } from '../errors';
import { baseUrl, sfJson, SUBREQUEST_HEADER, type AppEnv } from '../http';

type Subrequest = { method?: string; url?: string; referenceId?: string; body?: unknown; httpHeaders?: Record<string, string> };
type SubResponse = { body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string };

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;

/** Resolves `@{ref.path}` against earlier responses; throws a PROCESSING_HALTED error naming what was missing. */
function substitute(text: string, results: Map<string, unknown>): string {
  return text.replace(/@\{([^}.[\]]+)((?:\.[^}.[\]]+|\[\d+\])*)\}/g, (whole, ref: string, path: string) => {
    if (!results.has(ref)) {
      throw new SalesforceError('PROCESSING_HALTED', `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') must be defined before it is referenced.`, 400);
    }
    let value: unknown = results.get(ref);
    for (const part of path.match(/\.[^.[\]]+|\[\d+\]/g) ?? []) {
      const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
      value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
    }
    if (value === undefined) {
      throw new SalesforceError('PROCESSING_HALTED', `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId was ${whole}.`, 400);
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function isQuery(url: string): boolean {
  return /\/services\/data\/v\d+\.\d\/(?:query|queryAll)(?:\/|\?|$)/.test(url);
}

export function compositeRoutes(emulator: Emulator, dispatch: (request: Request) => Promise<Response>): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  routes.post('/', async function composite(c) {
    let payload: { allOrNone?: boolean; compositeRequest?: Subrequest[] };
    try {
      payload = (await c.req.json()) as typeof payload;
    } catch {
      throw errors.jsonParser('Unexpected end-of-input: expected close marker for OBJECT');
    }
    const requests = payload.compositeRequest;
    if (!Array.isArray(requests) || requests.length === 0) throw new SalesforceError('INVALID_INPUT', 'compositeRequest must contain at least one subrequest', 400);
    if (requests.length > MAX_SUBREQUESTS) {
      throw new SalesforceError('LIMIT_EXCEEDED', `The composite request has ${requests.length} subrequests; a composite request can have at most ${MAX_SUBREQUESTS}.`, 400);
    }
    const queries = requests.filter((r) => isQuery(String(r.url ?? ''))).length;
    if (queries > MAX_QUERIES) {
      throw new SalesforceError('LIMIT_EXCEEDED', `The composite request has ${queries} query subrequests; at most ${MAX_QUERIES} subrequests can be query, queryAll or query-more requests.`, 400);
    }

    const journal = payload.allOrNone ? emulator.org.startJournal() : undefined;
    const results = new Map<string, unknown>();
    const responses: SubResponse[] = [];
    let failed = false;
    for (const sub of requests) {
      const referenceId = String(sub.referenceId ?? '');
      if (failed && payload.allOrNone) {
        responses.push({ body: errors.processingHalted().body(), httpHeaders: {}, httpStatusCode: 400, referenceId });
        continue;
      }
      let response: SubResponse;
      try {
        const url = substitute(String(sub.url ?? ''), results);
        const body = sub.body === undefined ? undefined : substitute(JSON.stringify(sub.body), results);
        const headers = new Headers({ ...sub.httpHeaders, authorization: c.req.header('authorization') ?? '', [SUBREQUEST_HEADER]: emulator.internalSecret });
        if (body !== undefined) headers.set('content-type', 'application/json');
        const answer = await dispatch(new Request(`${baseUrl(c)}${url}`, { method: (sub.method ?? 'GET').toUpperCase(), headers, body }));
        const text = await answer.text();
        const httpHeaders: Record<string, string> = {};
        const parsed: unknown = text ? JSON.parse(text) : null;
        if (answer.status === 201 && parsed && typeof parsed === 'object' && 'id' in parsed) {
          httpHeaders.Location = `${url.replace(/\?.*$/, '').replace(/\/$/, '')}/${String((parsed as { id: unknown }).id)}`;
        }
        response = { body: parsed, httpHeaders, httpStatusCode: answer.status, referenceId };
      } catch (error) {
        if (!(error instanceof SalesforceError)) throw error;
        response = { body: error.body(), httpHeaders: {}, httpStatusCode: error.status, referenceId };
      }
      responses.push(response);
      if (response.httpStatusCode >= 400) failed = true;
      else results.set(referenceId, response.body);
    }

    if (journal && failed) {
      journal.rollback();
      for (const response of responses) {
        if (response.httpStatusCode < 400) Object.assign(response, { body: errors.processingHalted().body(), httpHeaders: {}, httpStatusCode: 400 });
      }
    } else journal?.end();
    return sfJson(c, { compositeResponse: responses });
  });
  return routes;
}
