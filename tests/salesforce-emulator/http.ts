/**
 * What the HTTP layers share: the Hono environment (Node bindings, the authenticated session, the API version of the
 * request), how to find the base URL a client used (so instance_url and identity URLs point back at it, over HTTP on
 * 127.0.0.1 or HTTPS on a mapped My Domain host), and the header that marks the emulator's own subrequests.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { getPath } from 'hono/utils/url';
import type { Session } from './org/sessions';

export type AppEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: { session: Session; version: string };
};

export type AppContext = Context<AppEnv>;

/** Composite subrequests carry this header with the emulator's secret: they neither count nor get faulted. */
export const SUBREQUEST_HEADER = 'x-emulator-subrequest';

/**
 * The path a request is routed by, read the way Salesforce's servers read it: a run of slashes counts as one
 * (`//services/data/v66.0//sobjects` is `/services/data/v66.0/sobjects`) and a trailing slash is ignored. Clients
 * that keep an instance URL with a trailing slash send such paths: the Salesforce CLI can store one
 * (https://github.com/forcedotcom/cli/issues/361) and then asks for `…:4455//services/data/…` (sf 2.150 does for
 * `sf org login access-token`; https://github.com/forcedotcom/sfdx-core/pull/1310 shows such a URL built in its
 * core library), which real orgs answer as usual. Only routing changes; the query string stays as sent.
 */
export function salesforcePath(request: Request): string {
  const path = getPath(request).replace(/\/{2,}/g, '/');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

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
