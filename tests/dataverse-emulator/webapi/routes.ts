/**
 * The Web API over HTTP: `/api/data/v9.0|v9.1|v9.2/…`. Each request is authenticated (a token this tenant issued for
 * this environment, else 401 with `WWW-Authenticate`, GAPS §9), mapped to the app's application user (none: 403
 * 0x80072560), admitted by service protection (or 429), delayed by the latency switches, then served by `dispatch` —
 * or, for `$batch`, by `executeBatch`. Every answer carries `OData-Version: 4.0` and the rate-limit headers.
 */
import type { Context } from 'hono';
import type { DataverseEmulator } from '../emulator';
import { verifyAccessToken } from '../entra/token';
import { DataverseError, notAMember, segmentNotFound } from '../errors';
import { baseUrl, type AppEnv } from '../http';
import { executeBatch } from './batch';
import { dispatch, errorOutcome } from './dispatch';
import type { Operation, Outcome } from './operation';

const sleep = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** Verified tokens, so 100k requests do not verify 100k RSA signatures. Bounded: cleared when full. */
const MAX_CACHED_TOKENS = 1000;

export function webApiHandler(emulator: DataverseEmulator) {
  const tokens = new Map<string, { appid: string; expiresAt: number }>();

  async function caller(token: string): Promise<string | undefined> {
    const cached = tokens.get(token);
    if (cached && cached.expiresAt > emulator.clock.now()) return cached.appid;
    const claims = await verifyAccessToken(emulator, token);
    if (!claims) return undefined;
    if (tokens.size >= MAX_CACHED_TOKENS) tokens.clear();
    const payload = token.split('.')[1] ?? '';
    const exp = Number(JSON.parse(Buffer.from(payload, 'base64url').toString()).exp) * 1000;
    tokens.set(token, { appid: claims.appid, expiresAt: exp });
    return claims.appid;
  }

  function respond(c: Context<AppEnv>, outcome: Outcome, extra: Record<string, string> = {}): Response {
    const headers = new Headers();
    for (const [name, value] of outcome.headers) headers.append(name, value);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return new Response(outcome.body ?? null, { status: outcome.status, headers });
  }

  return async function webApi(c: Context<AppEnv>): Promise<Response> {
    const url = new URL(c.req.url);
    const match = /^\/api\/data\/(v9\.[0-2])\/(.*)$/.exec(url.pathname);
    if (!match) return respond(c, errorOutcome(segmentNotFound(url.pathname.split('/')[3] ?? '')));
    const [, version = 'v9.2', encodedPath = ''] = match;
    let rawPath: string;
    try {
      rawPath = decodeURIComponent(encodedPath);
    } catch {
      return respond(c, errorOutcome(segmentNotFound(encodedPath)));
    }

    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const appid = token ? await caller(token) : undefined;
    if (!appid) {
      return new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/${emulator.tenantId}/oauth2/authorize, resource_id=${emulator.environment.url}`, 'OData-Version': '4.0' },
      });
    }
    const callerId = emulator.environment.applicationUser(appid);
    if (!callerId) return respond(c, errorOutcome(notAMember()));

    let admission: ReturnType<typeof emulator.protection.admit>;
    try {
      admission = emulator.protection.admit(callerId);
    } catch (error) {
      if (error instanceof DataverseError) {
        emulator.metrics.throttled++;
        return respond(c, errorOutcome(error));
      }
      throw error;
    }
    try {
      await sleep(emulator.switches.requestLatencyMs);
      const base = `${baseUrl(c)}/api/data/${version}/`;
      const ctx = { env: emulator.environment, callerId, base };
      const headers = new Map<string, string>();
      c.req.raw.headers.forEach((value, name) => headers.set(name.toLowerCase(), value));
      let outcome: Outcome;
      let operations = 1;
      if (rawPath === '$batch') {
        if (c.req.method !== 'POST') throw new DataverseError(405, '0x80060888', 'A $batch request must be a POST.');
        const body = new Uint8Array(await c.req.arrayBuffer());
        try {
          const result = executeBatch(ctx, headers.get('content-type'), body, headers.get('prefer'));
          outcome = result.outcome;
          operations = result.operations;
          emulator.metrics.batchOperations += operations;
        } catch (error) {
          if (!(error instanceof DataverseError)) throw error;
          outcome = errorOutcome(error);
        }
      } else {
        const op: Operation = { method: c.req.method, url, headers, body: c.req.method === 'GET' || c.req.method === 'DELETE' ? '' : await c.req.text() };
        outcome = dispatch(ctx, rawPath, op);
      }
      await sleep(emulator.switches.operationLatencyMs * operations);
      return respond(c, outcome, admission.headers());
    } finally {
      admission.release();
    }
  };
}
