/**
 * What the HTTP layers share: the Hono environment (Node bindings, the authenticated session, the API version of the
 * request), how to find the base URL a client used (so instance_url and identity URLs point back at it, over HTTP on
 * 127.0.0.1 or HTTPS on a mapped My Domain host), and the header that marks the emulator's own subrequests.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Session } from './org/sessions';

export type AppEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: { session: Session; version: string };
};

export type AppContext = Context<AppEnv>;

/** Composite subrequests carry this header with the emulator's secret: they neither count nor get faulted. */
export const SUBREQUEST_HEADER = 'x-emulator-subrequest';

/** `http://127.0.0.1:4455` or `https://acme.my.salesforce.com`: the origin the client called. */
export function baseUrl(c: Context): string {
  const url = new URL(c.req.url);
  const encrypted = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket && 'encrypted' in (c.env as HttpBindings).incoming.socket;
  const proto = c.req.header('x-forwarded-proto') ?? (encrypted ? 'https' : url.protocol.replace(':', ''));
  const host = c.req.header('host') ?? url.host;
  return `${proto}://${host}`;
}

/** The access token of a request: `Authorization: Bearer …` (or the older `OAuth …`). */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization') ?? '';
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** JSON the way Salesforce sends it (`application/json;charset=UTF-8`, as in the recorded cassettes). */
export function sfJson(c: Context, body: unknown, status = 200): Response {
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': 'application/json;charset=UTF-8' });
}
