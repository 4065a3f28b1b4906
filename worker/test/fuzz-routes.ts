/**
 * The fuzz test's table: for every route the app registers (`METHOD /path` as Hono lists it in `app.routes`), the
 * requests fast-check draws for it — a route's own body shape with random values, any JSON, text that is not JSON,
 * odd Content-Types, random path segments (valid ids among them) and query values. `fuzz.test.ts` checks that this
 * table and the app name the same routes, so a new route cannot be left out without the test saying so.
 */
import fc from 'fast-check';
import { ORG_URL } from './emulator';

/** Ids of real rows the requests may aim at (filled in by the test's set-up). */
export interface FuzzFixture {
  connectionId: string;
  connectorId: string;
  dataverseConnectionId: string;
  agentCredentialId: string;
  agentKey: string;
}

/** How a route answers errors: the API's `{error:{code,message}}`, OAuth's `{error,error_description}`, or JSON-RPC. */
export type ErrorShape = 'api' | 'oauth' | 'mcp';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzedRoute {
  /** The route as the app registers it, e.g. `POST /api/connectors/:id/reconcile`. */
  route: string;
  /** What varies besides the route (a query flag), when one route is fuzzed twice. */
  variant?: string;
  errors: ErrorShape;
  request: (fixture: FuzzFixture) => fc.Arbitrary<FuzzRequest>;
}

// ── values ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Any host but Salesforce's own: the Worker would call those over the real network, which tests do not have. */
const notSalesforce = (url: string) => !/salesforce\.com|force\.com|cloudforce\.com/i.test(url);
const instanceUrl = fc.oneof(fc.constant(ORG_URL), fc.webUrl().filter(notSalesforce), fc.string(), fc.constant('https://acme.my.salesforce.com/extra/path?x=1'));
const token = fc.oneof(fc.string({ minLength: 10, maxLength: 40 }), fc.stringMatching(/^[\x21-\x7e]{10,60}$/), fc.constant('00D000000000001!AQ\r\nX: y'));
const sessionShape = fc.record({ session: fc.record({ instanceUrl, accessToken: token, source: fc.oneof(fc.constantFrom('browser_session', 'oauth'), fc.string()) }, { requiredKeys: [] }) }, { requiredKeys: [] });
const table = fc.oneof(fc.constantFrom('contact', 'account'), fc.string());
const filter = fc.oneof(fc.constantFrom("Email != null AND MailingCountry = 'France'", 'Nope__c = 1', "LastName = 'x' OR", 'Id IN (SELECT Id FROM Contact)', '', 'x'.repeat(4001)), fc.string(), fc.constant(null));
const guid = fc.oneof(fc.uuid(), fc.string());
const mapping = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom('lastname', 'firstname', 'emailaddress1', 'name', '__proto__', 'constructor', 'contactid'), fc.string()), fc.oneof(fc.constantFrom('LastName', 'Email', 'Name', 'Id', 'Nope__c'), fc.string())),
  fc.constant({}),
  fc.anything(),
);
const tables = fc.array(fc.record({ table, mapping, filter }, { requiredKeys: ['table'] }), { maxLength: 3 });
const destination = fc.oneof(
  fc.constant({ kind: 'd1' }),
  fc.record({ kind: fc.constantFrom('dataverse', 'nope'), dataverseConnectionId: fc.oneof(fc.constant('DATAVERSE'), fc.string()), teamId: guid }, { requiredKeys: [] }),
  fc.anything(),
);
const connectorShape = fc.record(
  {
    connectionId: fc.oneof(fc.constant('CONNECTION'), fc.uuid(), fc.string()),
    name: fc.string(),
    team: fc.string(),
    tables,
    intervalMinutes: fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.double(), fc.string()),
    deleteMode: fc.oneof(fc.constantFrom('hard', 'soft'), fc.string()),
    budgetThreshold: fc.oneof(fc.double({ min: -1, max: 2 }), fc.string()),
    reconcileEveryDays: fc.oneof(fc.integer({ min: -1, max: 100 }), fc.double(), fc.string()),
    formulaRefreshHours: fc.oneof(fc.integer({ min: -1, max: 200 }), fc.double(), fc.string()),
    destination,
  },
  { requiredKeys: [] },
);
const dataverseConnectionShape = fc.record(
  {
    environmentUrl: fc.oneof(fc.constantFrom('https://acme.crm.dynamics.com', 'https://elsewhere.crm4.dynamics.com', 'https://evil.example', 'http://acme.crm.dynamics.com', 'acme'), fc.webUrl(), fc.string()),
    tenantId: fc.oneof(guid, fc.constant('contoso.onmicrosoft.com')),
    clientId: guid,
    clientSecret: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);

/** A body as text: a route's own shape with random values, any JSON, or text that is not JSON at all. */
const bodyText = (fixture: FuzzFixture, shape: fc.Arbitrary<unknown>) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: shape.map((value) =>
        JSON.stringify(value).replaceAll('"CONNECTION"', JSON.stringify(fixture.connectionId)).replaceAll('"DATAVERSE"', JSON.stringify(fixture.dataverseConnectionId)),
      ),
    },
    { weight: 2, arbitrary: fc.json() },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"__proto__":{"x":1}}', '[]', 'null', '{"session":{"__proto__":null}}', '\u0000') },
  );
const jsonType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '') });
const typed = (type: string): Record<string, string> => (type ? { 'Content-Type': type } : {});

/** A path segment: the real id, a GUID, any text (encoded), or percent-encoding that does not decode. */
const segment = (real: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(real) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.string({ minLength: 1 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%FF', '..', '%2F', 'a%00b', 'x'.repeat(3000)) },
  );
/** A segment that never names a real row: for routes that would destroy what the other routes aim at. */
const strangerSegment = segment('').filter((s) => s !== '');
const queryValue = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('not-a-url', '%', '%E0%A4%A', '-1', '1e9', 'NaN', 'true', 'contact,account,lead', ''));

// ── route kinds ──────────────────────────────────────────────────────────────────────────────────────────────

/** A JSON route: `path` builds the URL from the fixture (and a random segment where it has one). */
function jsonRoute(route: string, shape: fc.Arbitrary<unknown>, path: (f: FuzzFixture) => fc.Arbitrary<string> | string, variant?: string): FuzzedRoute {
  const method = route.split(' ')[0]!;
  return {
    route,
    variant,
    errors: 'api',
    request: (f) => {
      const p = path(f);
      return fc.record({ path: typeof p === 'string' ? fc.constant(p) : p, body: bodyText(f, shape), type: jsonType }).map(({ path, body, type }) => ({ method, path, headers: typed(type), body }));
    },
  };
}

/** A route without a body: random path segments and query values (and now and then a stray body). */
function plainRoute(route: string, path: (f: FuzzFixture) => fc.Arbitrary<string>): FuzzedRoute {
  const method = route.split(' ')[0]!;
  return {
    route,
    errors: 'api',
    request: (f) =>
      fc.record({ path: path(f), stray: fc.option(fc.string(), { freq: 4 }) }).map(({ path, stray }): FuzzRequest =>
        stray === null || method === 'GET' ? { method, path, headers: {} } : { method, path, headers: { 'Content-Type': 'application/json' }, body: stray },
      ),
  };
}

const q = (value: string) => encodeURIComponent(value);
const under = (prefix: string, id: fc.Arbitrary<string>, rest = '') => id.map((s) => `${prefix}/${s}${rest}`);

// ── the table ────────────────────────────────────────────────────────────────────────────────────────────────

const api: FuzzedRoute[] = [
  plainRoute('GET /api/health', () => queryValue.map((v) => `/api/health?verbose=${q(v)}`)),
  plainRoute('GET /api/tenant', () => queryValue.map((v) => `/api/tenant?x=${q(v)}`)),
  jsonRoute('PATCH /api/tenant', fc.record({ name: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }), () => '/api/tenant'),

  // Salesforce connections
  plainRoute('GET /api/connections', () => queryValue.map((v) => `/api/connections?instanceUrl=${q(v)}`)),
  plainRoute('GET /api/connections/:id', (f) => under('/api/connections', segment(f.connectionId))),
  jsonRoute('POST /api/connections', sessionShape, () => '/api/connections'),
  ...['advance', 'turn-off', 'reconnect', 'update-permissions', 'fields/refresh'].map((op) =>
    jsonRoute(`POST /api/connections/:id/${op}`, sessionShape, (f) => under('/api/connections', segment(f.connectionId), `/${op}`)),
  ),
  plainRoute('POST /api/connections/:id/verify', (f) => under('/api/connections', segment(f.connectionId), '/verify')),
  jsonRoute('POST /api/connections/:id/filter-check', fc.record({ table, filter }, { requiredKeys: [] }), (f) => under('/api/connections', segment(f.connectionId), '/filter-check')),
  plainRoute('GET /api/connections/:id/fields/:table', (f) => fc.tuple(segment(f.connectionId), fc.oneof(fc.constantFrom('contact', 'account'), segment('lead'))).map(([id, t]) => `/api/connections/${id}/fields/${t}`)),
  plainRoute('GET /api/connections/:id/estimate', (f) => fc.tuple(segment(f.connectionId), queryValue).map(([id, v]) => `/api/connections/${id}/estimate?tables=${q(v)}`)),

  // connectors
  plainRoute('GET /api/connectors', () => queryValue.map((v) => `/api/connectors?connectionId=${q(v)}`)),
  jsonRoute('POST /api/connectors', connectorShape, () => '/api/connectors'),
  jsonRoute('POST /api/connectors', connectorShape, () => '/api/connectors?dryRun=true', 'dryRun=true'),
  plainRoute('GET /api/connectors/:id', (f) => under('/api/connectors', segment(f.connectorId))),
  jsonRoute('PATCH /api/connectors/:id', connectorShape, (f) => under('/api/connectors', segment(f.connectorId), '?dryRun=true'), 'dryRun=true'),
  jsonRoute('PATCH /api/connectors/:id', connectorShape, (f) => under('/api/connectors', segment(f.connectorId))),
  ...['activate', 'deactivate', 'sync', 'reconcile'].map((op) => plainRoute(`POST /api/connectors/:id/${op}`, (f) => under('/api/connectors', segment(f.connectorId), `/${op}`))),
  jsonRoute('POST /api/connectors/:id/reset', fc.record({ table }, { requiredKeys: [] }), (f) => under('/api/connectors', segment(f.connectorId), '/reset')),
  plainRoute('GET /api/connectors/:id/runs', (f) => fc.tuple(segment(f.connectorId), queryValue).map(([id, v]) => `/api/connectors/${id}/runs?limit=${q(v)}`)),
  plainRoute('GET /api/connectors/:id/rejects', (f) => fc.tuple(segment(f.connectorId), queryValue).map(([id, v]) => `/api/connectors/${id}/rejects?names=${q(v)}`)),
  jsonRoute('POST /api/connectors/:id/rejects/retry', fc.record({ table }, { requiredKeys: [] }), (f) => under('/api/connectors', segment(f.connectorId), '/rejects/retry')),
  plainRoute('DELETE /api/connectors/:id', () => under('/api/connectors', strangerSegment)),

  // agent credentials and access
  jsonRoute('POST /api/agent-credentials', fc.record({ name: fc.oneof(fc.string(), fc.string({ minLength: 81 }), fc.integer()) }, { requiredKeys: [] }), () => '/api/agent-credentials'),
  plainRoute('GET /api/agent-credentials', () => queryValue.map((v) => `/api/agent-credentials?x=${q(v)}`)),
  plainRoute('DELETE /api/agent-credentials/:id', () => under('/api/agent-credentials', strangerSegment)),
  plainRoute('GET /api/agent-access', () => queryValue.map((v) => `/api/agent-access?x=${q(v)}`)),
  jsonRoute('PUT /api/agent-access/live-tools/:connectionId', fc.record({ enabled: fc.oneof(fc.boolean(), fc.string(), fc.integer()) }, { requiredKeys: [] }), (f) => under('/api/agent-access/live-tools', segment(f.connectionId))),

  // Dataverse connections
  plainRoute('GET /api/dataverse-connections', () => queryValue.map((v) => `/api/dataverse-connections?x=${q(v)}`)),
  jsonRoute('POST /api/dataverse-connections', dataverseConnectionShape, () => '/api/dataverse-connections'),
  plainRoute('GET /api/dataverse-connections/:id', (f) => under('/api/dataverse-connections', segment(f.dataverseConnectionId))),
  plainRoute('POST /api/dataverse-connections/:id/test', (f) => under('/api/dataverse-connections', segment(f.dataverseConnectionId), '/test')),
  plainRoute('DELETE /api/dataverse-connections/:id', () => under('/api/dataverse-connections', strangerSegment)),
  plainRoute('GET /api/dataverse-connections/:id/teams', (f) => under('/api/dataverse-connections', segment(f.dataverseConnectionId), '/teams')),
  plainRoute('GET /api/dataverse-connections/:id/access', (f) =>
    fc.tuple(segment(f.dataverseConnectionId), fc.oneof(fc.uuid(), queryValue)).map(([id, team]) => `/api/dataverse-connections/${id}/access?teamId=${q(team)}`),
  ),
  plainRoute('GET /api/dataverse-connections/:id/columns/:table', (f) =>
    fc.tuple(segment(f.dataverseConnectionId), fc.oneof(fc.constantFrom('contact', 'account'), segment('lead'))).map(([id, t]) => `/api/dataverse-connections/${id}/columns/${t}`),
  ),
];

// ── agent protocols: MCP (JSON-RPC) and OAuth ─────────────────────────────────────────────────────────────────

const TOOLS = ['listTables', 'describeTable', 'search', 'getRecord', 'queryRecords', 'syncStatus', 'dropTables'];
const toolArguments = fc.oneof(
  fc.record({ table: table, query: fc.string(), id: fc.oneof(fc.uuid(), fc.string()), limit: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.string()), cursor: fc.string(), filters: fc.anything(), sort: fc.anything() }, { requiredKeys: [] }),
  fc.anything(),
);
const jsonRpc = fc.oneof(
  fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), method: fc.constant('tools/call'), params: fc.record({ name: fc.oneof(fc.constantFrom(...TOOLS), fc.string()), arguments: toolArguments }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), fc.string()), id: fc.anything(), method: fc.oneof(fc.constantFrom('initialize', 'tools/list', 'ping', 'resources/list', 'notifications/initialized'), fc.string()), params: fc.anything() }, { requiredKeys: [] }),
  fc.array(fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: fc.constantFrom('tools/list', 'ping') }), { maxLength: 3 }),
);
const mcpRoute: FuzzedRoute = {
  route: 'ALL /mcp',
  errors: 'mcp',
  request: (f) =>
    fc
      .record({
        method: fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH') }),
        accept: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json, text/event-stream') }, { weight: 1, arbitrary: fc.constantFrom('', 'application/json', 'text/html', '*/*') }),
        type: jsonType,
        body: fc.oneof({ weight: 4, arbitrary: jsonRpc.map((value) => JSON.stringify(value)) }, { weight: 1, arbitrary: fc.json() }, { weight: 1, arbitrary: fc.string() }),
      })
      .map(({ method, accept, type, body }) => ({
        method,
        path: '/mcp',
        headers: { Authorization: `Bearer ${f.agentKey}`, ...(accept ? { Accept: accept } : {}), ...typed(type) },
        body: method === 'GET' ? undefined : body,
      })),
};

const formType = fc.oneof({ weight: 5, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', '', 'application/x-www-form-urlencoded; charset=utf-8') });
const tokenRoute: FuzzedRoute = {
  route: 'POST /oauth/token',
  errors: 'oauth',
  request: (f) =>
    fc
      .record({
        form: fc.oneof(
          fc
            .record(
              {
                grant_type: fc.oneof(fc.constantFrom('client_credentials', 'authorization_code', 'password'), fc.string()),
                client_id: fc.oneof(fc.constant(f.agentCredentialId), fc.uuid(), fc.string()),
                client_secret: fc.oneof(fc.constant(f.agentKey), fc.string()),
                scope: fc.oneof(fc.constantFrom('mcp', 'mcp admin', ''), fc.string()),
              },
              { requiredKeys: [] },
            )
            .map((fields) => new URLSearchParams(fields).toString()),
          fc.string(),
          fc.constantFrom('%', 'grant_type=%E0%A4%A', '=&=&'),
        ),
        type: formType,
        basic: fc.option(fc.oneof(fc.tuple(fc.oneof(fc.constant(f.agentCredentialId), fc.string()), fc.oneof(fc.constant(f.agentKey), fc.string())).map(([id, secret]) => `Basic ${btoa(unescape(encodeURIComponent(`${id}:${secret}`)))}`), fc.constantFrom('Basic !!!', 'Basic ', `Basic ${btoa('no-colon')}`, `Basic ${btoa('%E0%A4%A:x')}`), fc.string()), { freq: 3 }),
      })
      .map(({ form, type, basic }) => ({ method: 'POST', path: '/oauth/token', headers: { ...typed(type), ...(basic === null ? {} : { Authorization: basic }) }, body: form })),
};
const authorizeRoute: FuzzedRoute = {
  route: 'ALL /oauth/authorize',
  errors: 'oauth',
  request: () => fc.record({ method: fc.constantFrom('GET', 'POST'), v: queryValue }).map(({ method, v }) => ({ method, path: `/oauth/authorize?response_type=code&client_id=${q(v)}`, headers: {} })),
};
const wellKnown = ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource', '/.well-known/oauth-authorization-server'].map(
  (path): FuzzedRoute => ({ route: `GET ${path}`, errors: 'api', request: () => queryValue.map((v) => ({ method: 'GET', path: `${path}?resource=${q(v)}`, headers: {} })) }),
);

export const FUZZED_ROUTES: FuzzedRoute[] = [...api, mcpRoute, tokenRoute, authorizeRoute, ...wellKnown];
