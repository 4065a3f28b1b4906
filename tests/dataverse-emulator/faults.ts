/**
 * Fault injection for the Entra and Web API surfaces (never the control API), with the Salesforce emulator's rule
 * matching (method, path regex or substring, `times`, `skip`): `error` answers a 5xx — 500 with Dataverse's
 * UnExpected body, other statuses with the plain gateway text a load balancer sends — `latency` waits `latencyMs`
 * first, `drop` sends the headers and half the body then destroys the socket, `malformed` sends half the body.
 */
import type { Context, Next } from 'hono';
import { FaultInjector, type FaultRule } from '../salesforce-emulator/faults';
import { unexpected } from './errors';
import type { AppEnv } from './http';

export { FaultInjector };
export type { FaultSpec } from '../salesforce-emulator/faults';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function faultMiddleware(faults: FaultInjector): (c: Context<AppEnv>, next: Next) => Promise<void> {
  return async function injectFaults(c, next) {
    let outcome: FaultRule | undefined;
    for (const rule of faults.take(c.req.method, c.req.path)) {
      if (rule.kind === 'latency') await sleep(rule.latencyMs ?? 1000);
      else outcome ??= rule;
    }
    if (!outcome) return next();
    if (outcome.kind === 'error') {
      const status = outcome.status ?? 500;
      if (outcome.body !== undefined || status === 500) {
        c.res = new Response(JSON.stringify(outcome.body ?? unexpected().body()), { status, headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' } });
      } else {
        c.res = new Response(status === 503 ? 'Service Unavailable' : 'Bad Gateway', { status, headers: { 'Content-Type': 'text/plain' } });
      }
      return;
    }
    await next();
    const bytes = new Uint8Array(await c.res.arrayBuffer());
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const headers = new Headers(c.res.headers);
    if (outcome.kind === 'malformed') {
      headers.delete('content-length');
      c.res = new Response(half, { status: c.res.status, headers });
      return;
    }
    const outgoing = c.env?.outgoing;
    if (!outgoing) throw new Error('Dropping a connection needs the Node.js server bindings (the emulator over HTTP).');
    const raw: Record<string, string> = {};
    headers.forEach((value, key) => (raw[key] = value));
    raw['content-length'] = String(bytes.length);
    outgoing.writeHead(c.res.status, raw);
    outgoing.write(half, () => outgoing.socket?.destroy());
    // @hono/node-server leaves a response carrying this marker alone.
    c.res = new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  };
}
