/**
 * A property-based fuzz of every JSON route (and the query parameters of the list and diagnostics routes), with
 * fast-check driving the Worker inside workerd against the emulated org: whatever the body, its Content-Type or the
 * parameters, the answer is never a 5xx, and every 4xx is the documented `{ error: { code, message } }` with a code
 * from shared/errors.ts and a message. Bodies are random JSON, random text, and the routes' own shapes with random
 * values, so both the parser and the schemas are reached. Sized (FUZZ_RUNS per route) to keep the suite fast;
 * `FUZZ_RUNS=500 npx vitest run --project worker worker/test/fuzz.test.ts` digs deeper.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { ORG_URL, freshOrgAndTenants } from './emulator';
import { call } from './helpers';
import { connectedConnector } from './sync-fixtures';

const RUNS = Number((env as unknown as { FUZZ_RUNS?: string }).FUZZ_RUNS) || 30;

let key: string;
let connectionId: string;
let connectorId: string;
const tally = new Map<string, Map<number, number>>();

beforeAll(async () => {
  await freshOrgAndTenants();
  const owner = await connectedConnector();
  key = owner.tenant.key;
  connectionId = owner.connection.id;
  connectorId = owner.connectorId;
});

afterAll(() => {
  const total = [...tally.values()].reduce((sum, statuses) => sum + [...statuses.values()].reduce((a, b) => a + b, 0), 0);
  const byStatus = new Map<number, number>();
  for (const statuses of tally.values()) for (const [status, n] of statuses) byStatus.set(status, (byStatus.get(status) ?? 0) + n);
  console.log(`fuzz: ${total} requests over ${tally.size} routes; statuses ${[...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ')}; 5xx: ${[...byStatus.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0)}`);
});

const ErrorCodes = new Set<string>(ERROR_CODES);

async function expectDocumentedAnswer(route: string, response: Response) {
  const statuses = tally.get(route) ?? new Map<number, number>();
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  tally.set(route, statuses);
  const text = await response.text();
  expect(response.status, `${route} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(ErrorCodes.has(String(body.error?.code)), `${route}: code ${String(body.error?.code)}`).toBe(true);
    expect(typeof body.error?.message === 'string' && body.error.message.length > 0, `${route}: message`).toBe(true);
    expect(Object.keys(body)).toEqual(['error']);
  }
}

// ── arbitraries ──────────────────────────────────────────────────────────────────────────────────────────────

/** Any host but Salesforce's own: the Worker would call those over the real network, which tests do not have. */
const notSalesforce = (url: string) => !/salesforce\.com|force\.com|cloudforce\.com/i.test(url);
const instanceUrl = fc.oneof(fc.constant(ORG_URL), fc.webUrl().filter(notSalesforce), fc.string(), fc.constant('https://acme.my.salesforce.com/extra/path?x=1'));
const token = fc.oneof(fc.string({ minLength: 10, maxLength: 40 }), fc.stringMatching(/^[\x21-\x7e]{10,60}$/), fc.constant('00D000000000001!AQ\r\nX: y'));
const sessionShape = fc.record({ session: fc.record({ instanceUrl, accessToken: token, source: fc.oneof(fc.constantFrom('browser_session', 'oauth'), fc.string()) }, { requiredKeys: [] }) }, { requiredKeys: [] });
const table = fc.oneof(fc.constantFrom('contact', 'account'), fc.string());
const mapping = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom('lastname', 'firstname', 'emailaddress1', 'name', '__proto__', 'constructor', 'contactid'), fc.string()), fc.oneof(fc.constantFrom('LastName', 'Email', 'Name', 'Id', 'Nope__c'), fc.string())),
  fc.constant({}),
  fc.anything(),
);
const tables = fc.array(fc.record({ table, mapping }, { requiredKeys: ['table'] }), { maxLength: 3 });
const connectorShape = fc.record(
  {
    connectionId: fc.oneof(fc.constant('CONNECTION'), fc.uuid(), fc.string()),
    name: fc.string(),
    team: fc.string(),
    tables,
    intervalMinutes: fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.double(), fc.string()),
    deleteMode: fc.oneof(fc.constantFrom('hard', 'soft'), fc.string()),
    budgetThreshold: fc.oneof(fc.double({ min: -1, max: 2 }), fc.string()),
  },
  { requiredKeys: [] },
);

/** A body as text: a route's own shape with random values, any JSON, or text that is not JSON at all. */
const bodyText = (shape: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: shape.map((value) => JSON.stringify(value).replaceAll('"CONNECTION"', JSON.stringify(connectionId))) },
    { weight: 2, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"__proto__":{"x":1}}', '[]', 'null', '{"session":{"__proto__":null}}', '\u0000') },
  );
const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '') });

interface JsonRoute {
  method: 'POST' | 'PATCH';
  path: () => string;
  body: fc.Arbitrary<string>;
}

const JSON_ROUTES: Record<string, JsonRoute> = {
  'PATCH /api/tenant': { method: 'PATCH', path: () => '/api/tenant', body: bodyText(fc.record({ name: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] })) },
  'POST /api/connections': { method: 'POST', path: () => '/api/connections', body: bodyText(sessionShape) },
  ...Object.fromEntries(
    ['advance', 'turn-off', 'reconnect', 'update-permissions', 'fields/refresh'].map((op) => [
      `POST /api/connections/:id/${op}`,
      { method: 'POST', path: () => `/api/connections/${connectionId}/${op}`, body: bodyText(sessionShape) } satisfies JsonRoute,
    ]),
  ),
  'POST /api/connectors': { method: 'POST', path: () => '/api/connectors', body: bodyText(connectorShape) },
  'PATCH /api/connectors/:id?dryRun=true': { method: 'PATCH', path: () => `/api/connectors/${connectorId}?dryRun=true`, body: bodyText(connectorShape) },
  'PATCH /api/connectors/:id': { method: 'PATCH', path: () => `/api/connectors/${connectorId}`, body: bodyText(connectorShape) },
  'POST /api/connectors/:id/reset': { method: 'POST', path: () => `/api/connectors/${connectorId}/reset`, body: bodyText(fc.record({ table }, { requiredKeys: [] })) },
};

describe('every JSON route, fuzzed', () => {
  it.each(Object.entries(JSON_ROUTES))('%s answers no 5xx and only documented errors', async (name, route) => {
    await fc.assert(
      fc.asyncProperty(route.body, contentType, async (body, type) => {
        const response = await call(route.path(), { method: route.method, key, headers: type ? { 'Content-Type': type } : {}, body });
        await expectDocumentedAnswer(name, response);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('query parameters and path segments, fuzzed', () => {
  const text = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('not-a-url', '%', '%E0%A4%A', '-1', '1e9', 'NaN', 'contact,account,lead', ''));
  const GETS: Record<string, (value: string) => string> = {
    'GET /api/connections?instanceUrl=': (v) => `/api/connections?instanceUrl=${encodeURIComponent(v)}`,
    'GET /api/connectors?connectionId=': (v) => `/api/connectors?connectionId=${encodeURIComponent(v)}`,
    'GET /api/connectors/:id/runs?limit=': (v) => `/api/connectors/${connectorId}/runs?limit=${encodeURIComponent(v)}`,
    'GET /api/connections/:id/estimate?tables=': (v) => `/api/connections/${connectionId}/estimate?tables=${encodeURIComponent(v)}`,
    'GET /api/connections/:id/fields/:table': (v) => `/api/connections/${connectionId}/fields/${encodeURIComponent(v)}`,
    'GET /api/connectors/:id': (v) => `/api/connectors/${encodeURIComponent(v)}`,
  };
  it.each(Object.entries(GETS))('%s answers no 5xx and only documented errors', async (name, path) => {
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        await expectDocumentedAnswer(name, await call(path(value), { key }));
      }),
      { numRuns: RUNS },
    );
  });
});
