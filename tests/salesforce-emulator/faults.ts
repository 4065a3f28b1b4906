/**
 * Fault injection for the Salesforce surface (never the control API): a rule matches requests by method and path
 * (a regular expression, or a plain substring) and, for the next `times` matches after `skip`, answers with a 5xx
 * and Salesforce's body, waits `latencyMs` first, drops the connection halfway through the response (the socket is
 * destroyed after the headers and half the body), or sends the body truncated. A rule with `subrequest` matches the
 * subrequests of a Composite call instead (only `error` and `latency` there: the subrequest answers with that status
 * and body inside an otherwise successful Composite response, as Salesforce reports a failed subrequest).
 */
import type { Context, Next } from 'hono';
import { z } from 'zod';
import { errors } from './errors';
import type { AppEnv } from './http';

export type FaultKind = 'error' | 'latency' | 'drop' | 'malformed';

export type FaultSpec = {
  kind: FaultKind;
  /** Regular expression (or substring) matched against the request path, e.g. `/query` or `^/services/oauth2/token$`. */
  path: string;
  method?: string;
  /** For `error`: the status (default 500) and body (default Salesforce's UNKNOWN_EXCEPTION / SERVER_UNAVAILABLE). */
  status?: number;
  body?: unknown;
  /** For `latency`. */
  latencyMs?: number;
  /** How many matching requests to affect; 0 = every one. Default 1. */
  times?: number;
  /** Let this many matching requests through untouched first. Default 0. */
  skip?: number;
  /** Match Composite subrequests (and only those) rather than requests made to the org. */
  subrequest?: boolean;
};

export type FaultRule = FaultSpec & { id: string; seen: number; applied: number };

const count = z.number().int().min(0);

/** A fault as the control API takes it (`POST /__emulator/faults`), for both emulators. */
export const faultBody = z.strictObject({
  kind: z.enum(['error', 'latency', 'drop', 'malformed']),
  path: z.string().min(1),
  method: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  body: z.unknown().optional(),
  latencyMs: count.optional(),
  times: count.optional(),
  skip: count.optional(),
  subrequest: z.boolean().optional(),
}).refine((f) => !f.subrequest || f.kind === 'error' || f.kind === 'latency', { message: 'a subrequest fault is an error or latency: drop and malformed would break the whole Composite response' }) satisfies z.ZodType<FaultSpec>;

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = { times: 1, skip: 0, ...spec, id: `fault-${this.nextId++}`, seen: 0, applied: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules that apply to this request (counting it), latency rules first. */
  take(method: string, path: string, subrequest = false): FaultRule[] {
    const applied: FaultRule[] = [];
    for (const rule of this.rules) {
      if (Boolean(rule.subrequest) !== subrequest) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!matches(rule.path, path)) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.times && rule.applied >= rule.times) continue;
      rule.applied++;
      applied.push(rule);
    }
    return applied.sort((a, b) => Number(b.kind === 'latency') - Number(a.kind === 'latency'));
  }
}

function matches(pattern: string, path: string): boolean {
  try {
    return new RegExp(pattern).test(path);
  } catch {
    return path.includes(pattern);
  }
}

export function faultMiddleware(faults: () => FaultInjector, subrequest = false): (c: Context<AppEnv>, next: Next) => Promise<void> {
  return async function injectFaults(c, next) {
    const rules = faults().take(c.req.method, c.req.path, subrequest);
    let outcome: FaultRule | undefined;
    for (const rule of rules) {
      if (rule.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000));
      else outcome ??= rule;
    }
    if (!outcome) {
      await next();
      return;
    }
    if (outcome.kind === 'error') {
      const status = outcome.status ?? 500;
      const body = outcome.body ?? (status === 503 ? errors.serverUnavailable() : errors.unknownException()).body();
      c.res = new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
      return;
    }
    await next();
    const bytes = new Uint8Array(await c.res.arrayBuffer());
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    if (outcome.kind === 'malformed') {
      const headers = new Headers(c.res.headers);
      headers.delete('content-length');
      c.res = new Response(half, { status: c.res.status, headers });
      return;
    }
    c.res = dropMidResponse(c, bytes.length, half);
  };
}

/** Sends the headers (announcing the full length) and half the body, then kills the socket. */
function dropMidResponse(c: Context<AppEnv>, fullLength: number, half: Uint8Array): Response {
  const outgoing = c.env?.outgoing;
  if (!outgoing) throw new Error('Dropping a connection needs the Node.js server bindings (the emulator over HTTP).');
  const headers: Record<string, string> = {};
  c.res.headers.forEach((value, key) => (headers[key] = value));
  headers['content-length'] = String(fullLength);
  outgoing.writeHead(c.res.status, headers);
  outgoing.write(half, () => outgoing.socket?.destroy());
  // A fresh response carrying @hono/node-server's "already sent" marker, so it leaves the socket alone.
  return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
}
