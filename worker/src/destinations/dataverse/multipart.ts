/**
 * The `$batch` wire format, both ways, pure: a `multipart/mixed` body of change sets (or single requests) and the
 * answer's parts read back in order, each with its status, `Content-ID` and error body. CRLF line ends, as OData
 * and MIME require.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { WEB_API_PATH } from '../../dataverse/client';

export interface BatchRequest {
  method: 'GET' | 'PATCH' | 'DELETE';
  /** relative to the Web API root: `contacts(<guid>)` */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface PartAnswer {
  status: number;
  contentId: string | null;
  /** the Web API error of a refused part, when it sent one */
  error: { code: string; message: string } | null;
  /** the JSON body of a part that succeeded with one (a GET's row), else null */
  json: unknown;
}

/** A body of `groups`: each group of more than one request is a change set (atomic), a group of one a plain part. */
export function batchBody(boundary: string, groups: { contentId: string; request: BatchRequest }[][]): string {
  const out: string[] = [];
  for (const [index, group] of groups.entries()) {
    if (group.length === 1) {
      out.push(`--${boundary}\r\n${httpPart(group[0]!.request, null)}`);
      continue;
    }
    const changeset = `changeset_${boundary.slice(6)}_${index}`;
    out.push(`--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n`);
    for (const { contentId, request } of group) out.push(`--${changeset}\r\n${httpPart(request, contentId)}`);
    out.push(`--${changeset}--\r\n`);
  }
  out.push(`--${boundary}--\r\n`);
  return out.join('');
}

function httpPart(request: BatchRequest, contentId: string | null): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `${request.method} ${WEB_API_PATH}${request.path} HTTP/1.1`);
  if (request.body !== undefined) lines.push('Content-Type: application/json');
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
  lines.push('', request.body === undefined ? '' : JSON.stringify(request.body));
  return `${lines.join('\r\n')}\r\n`;
}

/** The boundary a `multipart/mixed` Content-Type names, or null. */
export function boundaryOf(contentType: string | null): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return /^multipart\/mixed/i.test(contentType ?? '') && match ? (match[1] ?? match[2])! : null;
}

/** Every `application/http` answer in the body, change sets flattened, in order. Throws on text that is not one. */
export function readBatchAnswer(body: string, boundary: string): PartAnswer[] {
  const answers: PartAnswer[] = [];
  for (const part of segments(body, boundary)) {
    const { headers, rest } = splitHead(part);
    const inner = boundaryOf(headers.get('content-type') ?? null);
    if (inner) {
      answers.push(...readBatchAnswer(rest, inner));
      continue;
    }
    const { headers: _responseHeaders, rest: responseBody, statusLine } = splitResponse(rest);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
    if (!status) throw new Error(`a $batch answer part has no HTTP status line: ${statusLine.slice(0, 80)}`);
    const code = Number(status);
    answers.push({ status: code, contentId: headers.get('content-id') ?? null, error: errorOf(responseBody), json: code === 200 ? jsonOf(responseBody) : null });
  }
  return answers;
}

function segments(body: string, boundary: string): string[] {
  const pieces = body.split(`--${boundary}`);
  // pieces[0] is the preamble; the piece after the closing delimiter starts with "--".
  return pieces.slice(1).filter((piece) => !piece.startsWith('--')).map((piece) => piece.replace(/^\r?\n/, ''));
}

function splitHead(text: string): { headers: Map<string, string>; rest: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, rest: end < 0 ? '' : text.slice(end + 4) };
}

function splitResponse(text: string): { statusLine: string; headers: Map<string, string>; rest: string } {
  const trimmed = text.replace(/^(\r\n)+/, '');
  const lineEnd = trimmed.indexOf('\r\n');
  const statusLine = lineEnd < 0 ? trimmed : trimmed.slice(0, lineEnd);
  const { headers, rest } = splitHead(lineEnd < 0 ? '' : trimmed.slice(lineEnd + 2));
  return { statusLine, headers, rest };
}

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body.trim());
  } catch {
    throw new Error(`a $batch answer part's body is not JSON: ${body.slice(0, 80)}`);
  }
}

function errorOf(body: string): PartAnswer['error'] {
  const text = body.trim();
  if (!text.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    return typeof message === 'string' ? { code: typeof code === 'string' ? code : '', message } : null;
  } catch {
    return null;
  }
}
