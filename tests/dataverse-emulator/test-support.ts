/**
 * Helpers for the emulator's own tests: a token from the emulated Entra endpoint, Web API calls, and replaying a
 * recorded exchange (placeholders pointed at the emulator, LF turned into CRLF for `$batch` bodies).
 */
import type { RunningDataverseEmulator } from './server';
import type { Exchange } from './recordings';

export async function tokenFor(emulator: RunningDataverseEmulator, form: Record<string, string> = {}): Promise<string> {
  const response = await fetch(emulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: `${emulator.environmentUrl}/.default`, ...form }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`No token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export type Answer = { status: number; headers: Headers; text: string; json: any };

export async function call(emulator: RunningDataverseEmulator, token: string, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(path.startsWith('http') ? path : `${emulator.url}/api/data/v9.2/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'OData-Version': '4.0', 'OData-MaxVersion': '4.0', ...(body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Microsoft's placeholders for the environment, longest first. */
const PLACEHOLDERS = ['https://[Organization URI]', '[Organization Uri]', '[Organization URI]'];

export const withEmulator = (text: string, base: string) => PLACEHOLDERS.reduce((out, p) => out.split(p).join(base), text);

/** Sends a recorded request to the emulator as recorded (plus a token); `$batch` bodies travel with CRLF. */
export async function replay(emulator: RunningDataverseEmulator, token: string, exchange: Exchange): Promise<Answer> {
  const request = exchange.request;
  if (!request) throw new Error(`${exchange.title} has no request.`);
  const [method = 'GET', url = ''] = withEmulator(request.startLine, emulator.url).trim().split(/\s+/);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) if (!/^(content-length|host)$/i.test(name)) headers[name] = value;
  const batch = /multipart\/mixed/i.test(headers['Content-Type'] ?? '');
  const body = request.body ? (batch ? withEmulator(request.body, emulator.url).replace(/\r?\n/g, '\r\n') + '\r\n' : withEmulator(request.body, emulator.url)) : undefined;
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return call(emulator, token, method, url, { headers, body });
}

/** Status code of a recorded status line (`HTTP/1.1 204 NoContent` → 204). */
export const recordedStatus = (exchange: Exchange) => Number(/^HTTP\/1\.1 (\d{3})/.exec(exchange.response?.startLine ?? '')?.[1]);

export const recordedHeader = (exchange: Exchange, name: string) => exchange.response?.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** A compact JSON text of a recorded body, as Dataverse sends it on the wire (the docs pretty-print). */
export const compact = (text: string) => JSON.stringify(JSON.parse(text));

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A multipart text with ids, ETags and boundaries made comparable. */
export function normalizeMultipart(text: string, base: string): string {
  return withEmulator(text, base)
    .replace(/\r?\n/g, '\r\n')
    .replace(/(batchresponse|changesetresponse)_[0-9a-f-]{36}/g, '$1_B')
    .replace(GUID, 'G')
    .replace(/W\/\\"\d+\\"/g, 'W/\\"E\\"')
    .replace(/\r\n+$/, '');
}
