/**
 * A property-based fuzz of every route the app registers, with fast-check driving the Worker inside workerd against
 * the emulated org and Dataverse environment: whatever the body, its Content-Type, the path segments or the query,
 * the answer is never a 5xx, and every 4xx is the route's documented error — on `/api` the `{ error: { code,
 * message } }` with a code from shared/errors.ts, on `/oauth` OAuth's `{ error, error_description }`, on `/mcp` a
 * JSON-RPC error. The requests per route are in fuzz-routes.ts; the first test here fails when the app has a route
 * that table lacks. Sized (FUZZ_RUNS per route) to keep the suite fast;
 * `FUZZ_RUNS=500 npx vitest run --project worker worker/test/fuzz.test.ts` digs deeper.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { app } from '../src/app';
import { defaultConnectionInput, resetDataverse } from './dataverse';
import { freshOrgAndTenants } from './emulator';
import { FUZZED_ROUTES, type ErrorShape, type FuzzFixture, type FuzzedRoute } from './fuzz-routes';
import { call } from './helpers';
import { connectedConnector } from './sync-fixtures';

const RUNS = Number((env as unknown as { FUZZ_RUNS?: string }).FUZZ_RUNS) || 30;

const fixture = {} as FuzzFixture;
let key: string;
const tally = new Map<string, Map<number, number>>();

beforeAll(async () => {
  await Promise.all([freshOrgAndTenants(), resetDataverse()]);
  const owner = await connectedConnector();
  key = owner.tenant.key;
  const dataverse = (await (await call('/api/dataverse-connections', { method: 'POST', key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(defaultConnectionInput()) })).json()) as { id: string };
  expect((await call(`/api/dataverse-connections/${dataverse.id}/test`, { method: 'POST', key })).status).toBe(200);
  const agent = (await (await call('/api/agent-credentials', { method: 'POST', key, headers: { 'Content-Type': 'application/json' }, body: '{"name":"fuzz"}' })).json()) as { id: string; key: string };
  Object.assign(fixture, { connectionId: owner.connection.id, connectorId: owner.connectorId, dataverseConnectionId: dataverse.id, agentCredentialId: agent.id, agentKey: agent.key });
  // Turning access on, signing in to Dataverse and minting a credential take longer than the 10 s hook default on a
  // loaded machine; a limit, not a timing claim.
}, 120_000);

afterAll(() => {
  const byStatus = new Map<number, number>();
  for (const statuses of tally.values()) for (const [status, n] of statuses) byStatus.set(status, (byStatus.get(status) ?? 0) + n);
  const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
  const fivexx = [...byStatus.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  console.log(`fuzz: ${total} requests over ${tally.size} routes; statuses ${[...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ')}; 5xx: ${fivexx}`);
});

/** The app's routes as `METHOD /path`, middleware (`/api/*`, `/mcp/*`) left out. */
const appRoutes = () => new Set(app.routes.filter((r) => !r.path.includes('*')).map((r) => `${r.method} ${r.path}`));

describe('the fuzz table', () => {
  it('names every route the app has, and only those', () => {
    const fuzzed = new Set(FUZZED_ROUTES.map((r) => r.route));
    const missing = [...appRoutes()].filter((route) => !fuzzed.has(route));
    expect(missing, 'routes of the app that fuzz-routes.ts does not fuzz: add them there').toEqual([]);
    expect([...fuzzed].filter((route) => !appRoutes().has(route)), 'routes in fuzz-routes.ts the app does not have').toEqual([]);
  });
});

const ApiCodes = new Set<string>(ERROR_CODES);
const OAuthCodes = new Set(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'unsupported_response_type']);

function expectDocumentedError(shape: ErrorShape, status: number, body: Record<string, unknown>, label: string) {
  const error = body.error as Record<string, unknown> | string | undefined;
  if (shape === 'oauth') {
    expect(OAuthCodes.has(String(error)), `${label}: OAuth error ${String(error)}`).toBe(true);
    expect(typeof body.error_description === 'string' && body.error_description.length > 0, `${label}: error_description`).toBe(true);
    return;
  }
  if (shape === 'mcp' && status !== 401) {
    // The transport's refusals are JSON-RPC errors: https://www.jsonrpc.org/specification#error_object
    expect(body.jsonrpc, `${label}: jsonrpc`).toBe('2.0');
    expect(typeof (error as { code?: unknown })?.code === 'number', `${label}: JSON-RPC code`).toBe(true);
    expect(typeof (error as { message?: unknown })?.message === 'string', `${label}: JSON-RPC message`).toBe(true);
    return;
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  expect(ApiCodes.has(String(code)), `${label}: code ${String(code)}`).toBe(true);
  expect(typeof message === 'string' && message.length > 0, `${label}: message`).toBe(true);
  expect(Object.keys(body), label).toEqual(['error']);
}

async function expectDocumentedAnswer(route: FuzzedRoute, response: Response, sent: string) {
  const statuses = tally.get(route.route) ?? new Map<number, number>();
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  tally.set(route.route, statuses);
  const text = await response.text();
  const label = `${sent} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, label).toBeLessThan(500);
  if (response.status >= 400) expectDocumentedError(route.errors, response.status, JSON.parse(text) as Record<string, unknown>, label);
}

describe('every route, fuzzed', () => {
  const named = FUZZED_ROUTES.map((route) => [route.variant ? `${route.route} (${route.variant})` : route.route, route] as const);
  it.each(named)('%s answers no 5xx and only documented errors', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(route.request(fixture), async (request) => {
        // The agent's per-minute limit is not what this test is about: let every /mcp call reach the tools.
        if (route.errors === 'mcp') await env.DB.prepare('UPDATE agent_credentials SET window_calls = 0').run();
        // /api takes the tenant key; /mcp carries the agent's own credential, /oauth none.
        const response = await call(request.path, { method: request.method, key: route.errors === 'api' ? key : undefined, headers: request.headers, body: request.body });
        await expectDocumentedAnswer(route, response, `${request.method} ${request.path.slice(0, 120)}`);
      }),
      { numRuns: RUNS },
    );
  });
});
