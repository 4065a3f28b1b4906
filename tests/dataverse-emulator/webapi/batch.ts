/**
 * `POST $batch` (execute-batch-operations-using-web-api.md; batch-changeset.http, batch-continue-on-error.http,
 * batch-error-400.http): a `multipart/mixed` body of requests and change sets, at most 1,000 requests in all, run in
 * order. A change set is atomic — one failing request undoes the others — and its requests may refer to earlier
 * ones as `$<Content-ID>` in URLs and `@odata.bind` values. Without `Prefer: odata.continue-on-error` the batch
 * stops at the first failure and answers 400 with only that failure; with it, every part answers and the batch 200.
 * The answer uses its own `batchresponse_<guid>` / `changesetresponse_<guid>` boundaries, CRLF line ends.
 */
import { MultipartParseError, parseMultipart, type MultipartPart } from '@remix-run/multipart-parser';
import { DataverseError } from '../errors';
import { newGuid } from '../ids';
import { dispatch } from './dispatch';
import type { Operation, OperationContext, Outcome } from './operation';

export const MAX_BATCH_REQUESTS = 1000;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

type Request = { method: string; target: string; headers: Map<string, string>; body: string; contentId?: string };
type Part = { kind: 'request'; request: Request } | { kind: 'changeset'; requests: Request[] };

const batchError = (message: string) => new DataverseError(400, '0x0', message);

function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!/^multipart\/mixed/i.test(contentType ?? '') || !match) throw batchError('A $batch request needs Content-Type: multipart/mixed with a boundary.');
  return (match[1] ?? match[2])!;
}

function parts(body: Uint8Array, boundary: string): MultipartPart[] {
  try {
    return [...parseMultipart(body, { boundary, maxParts: MAX_BATCH_REQUESTS + 1, maxFileSize: 64 * 1024 * 1024 })];
  } catch (error) {
    if (error instanceof MultipartParseError) throw batchError(`The $batch body is not valid multipart/mixed: ${error.message}`);
    throw error;
  }
}

/** An `application/http` part: request line, headers, blank line, body. */
function httpRequest(part: MultipartPart): Request {
  if (!/^application\/http/i.test(part.headers['content-type'] ?? '')) throw batchError('Each $batch part must be Content-Type: application/http or a multipart/mixed change set.');
  const text = part.text;
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const [requestLine = '', ...headerLines] = head.split('\r\n');
  const line = /^(GET|POST|PATCH|PUT|DELETE) (\S+) HTTP\/1\.1$/.exec(requestLine.trim());
  if (!line) throw batchError(`The $batch part's request line is not "METHOD URL HTTP/1.1": ${requestLine}`);
  const headers = new Map<string, string>();
  for (const headerLine of headerLines) {
    const colon = headerLine.indexOf(':');
    if (colon > 0) headers.set(headerLine.slice(0, colon).trim().toLowerCase(), headerLine.slice(colon + 1).trim());
  }
  return { method: line[1]!, target: line[2]!, headers, body, contentId: part.headers['content-id']?.trim() };
}

function readParts(body: Uint8Array, contentType: string | undefined): Part[] {
  const out: Part[] = [];
  let count = 0;
  for (const part of parts(body, boundaryOf(contentType))) {
    if (/^multipart\/mixed/i.test(part.headers['content-type'] ?? '')) {
      const requests = parts(part.bytes, boundaryOf(part.headers['content-type'])).map(httpRequest);
      if (requests.some((r) => r.method === 'GET')) throw batchError('GET requests are not allowed inside a change set.');
      count += requests.length;
      out.push({ kind: 'changeset', requests });
    } else {
      count++;
      out.push({ kind: 'request', request: httpRequest(part) });
    }
    if (count > MAX_BATCH_REQUESTS) throw batchError(`A $batch can contain up to ${MAX_BATCH_REQUESTS} requests; this one has more. Split it into several batches.`);
  }
  return out;
}

/** Resolves a part's URL (absolute, `/api/data/v9.2/…`, relative, or `$1/…`) to the path after the version segment. */
function resolveTarget(ctx: OperationContext, target: string): { url: URL; path: string } {
  let text = target;
  const reference = /^\$(\w+)(.*)$/.exec(text);
  if (reference) {
    const resolved = ctx.contentIds?.get(reference[1]!);
    if (!resolved) throw new DataverseError(400, '0x0', `Content-ID Reference: '$${reference[1]}' does not exist in the batch context.`);
    text = resolved + (reference[2] ?? '');
  }
  const url = new URL(text, ctx.base);
  const version = /\/api\/data\/v9\.[0-2]\/(.*)$/.exec(url.pathname);
  if (!version) throw batchError(`The $batch part's URL is not a Web API URL: ${target}`);
  return { url, path: decodeURIComponent(version[1] ?? '') };
}

function run(ctx: OperationContext, request: Request): Outcome {
  let resolved: { url: URL; path: string };
  try {
    resolved = resolveTarget(ctx, request.target);
  } catch (error) {
    if (error instanceof DataverseError) return { status: error.status, headers: [['Content-Type', 'application/json; odata.metadata=minimal'], ['OData-Version', '4.0']], body: JSON.stringify(error.body()) };
    throw error;
  }
  const op: Operation = { method: request.method, url: resolved.url, headers: request.headers, body: request.body };
  return dispatch(ctx, resolved.path, op);
}

/** One response part: `application/http` wrapping a status line, headers and body, as the traces show them. */
function responsePart(outcome: Outcome, method: string, contentId?: string): string {
  const headers: string[] = [];
  if (outcome.status >= 400) headers.push(`REQ_ID: ${newGuid()}`);
  for (const [name, value] of outcome.headers) {
    if (name === 'OData-EntityId') headers.push(`Location: ${value}`);
    headers.push(`${name}: ${name === 'Content-Type' && method === 'GET' && outcome.status === 200 ? `${value}; odata.streaming=true` : value}`);
  }
  return [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId ? [`Content-ID: ${contentId}`] : []),
    '',
    `HTTP/1.1 ${outcome.status} ${STATUS_TEXT[outcome.status] ?? 'Unknown'}`,
    ...headers,
    '',
    outcome.body ?? '',
  ].join('\r\n');
}

function multipart(boundary: string, bodies: string[]): string {
  return `${bodies.map((body) => `--${boundary}\r\n${body}\r\n`).join('')}--${boundary}--\r\n`;
}

class ChangeSetFailed extends Error {
  constructor(readonly part: string) {
    super('change set failed');
  }
}

export type BatchResult = { outcome: Outcome; operations: number };

export function executeBatch(ctx: OperationContext, contentType: string | undefined, body: Uint8Array, prefer: string | undefined): BatchResult {
  const continueOnError = /odata\.continue-on-error/i.test(prefer ?? '');
  const batchParts = readParts(body, contentType);
  const responses: string[] = [];
  let operations = 0;
  let failed: string | undefined;
  for (const part of batchParts) {
    if (part.kind === 'request') {
      operations++;
      const outcome = run({ ...ctx, contentIds: undefined }, part.request);
      const text = responsePart(outcome, part.request.method);
      if (outcome.status >= 400) failed = text;
      responses.push(text);
    } else {
      const boundary = `changesetresponse_${newGuid()}`;
      const contentIds = new Map<string, string>();
      const inner: string[] = [];
      try {
        ctx.env.store.atomically(() => {
          for (const request of part.requests) {
            operations++;
            const outcome = run({ ...ctx, contentIds }, request);
            const text = responsePart(outcome, request.method, request.contentId);
            if (outcome.status >= 400) throw new ChangeSetFailed(text);
            const entityId = outcome.headers.find(([name]) => name === 'OData-EntityId')?.[1];
            if (request.contentId && entityId) contentIds.set(request.contentId, entityId);
            inner.push(text);
          }
        });
        responses.push(`Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${multipart(boundary, inner).replace(/\r\n$/, '')}`);
      } catch (error) {
        if (!(error instanceof ChangeSetFailed)) throw error;
        failed = `Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${multipart(boundary, [error.part]).replace(/\r\n$/, '')}`;
        responses.push(failed);
      }
    }
    if (failed && !continueOnError) break;
  }
  const boundary = `batchresponse_${newGuid()}`;
  const stopped = failed !== undefined && !continueOnError;
  return {
    operations,
    outcome: {
      status: stopped ? 400 : 200,
      headers: [['Content-Type', `multipart/mixed; boundary=${boundary}`], ['OData-Version', '4.0']],
      body: multipart(boundary, stopped ? [failed!] : responses),
    },
  };
}
