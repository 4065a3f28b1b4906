/**
 * Agent access end to end inside workerd: the MCP SDK's own client (Streamable HTTP) against the Worker's /mcp, with
 * a Bearer agent key and with OAuth client credentials (discovered from the 401, as clients do); every tool over a
 * synced copy of the emulated org; tenant isolation; the bad inputs an agent may send; rate limit and audit.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CreatedAgentCredentialSchema } from '../../shared/agent-api';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { issueAccessToken } from '../src/agent/access-tokens';
import { DEFAULT_AGENT_CALLS_PER_MINUTE } from '../src/agent/credentials';
import { openCursor, signCursor } from '../src/agent/page-cursor';
import { syncConnector } from '../src/sync/run-connector';
import { freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';
import { connectedConnector, salesforceRecords } from './sync-fixtures';

const ORIGIN = 'https://forcebridge.test';
const workerFetch = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init));

async function createCredential(tenantKey: string, name = 'Sales agent') {
  const response = await call('/api/agent-credentials', { method: 'POST', key: tenantKey, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
  expect(response.status).toBe(201);
  return CreatedAgentCredentialSchema.parse(await response.json());
}

async function connectWithKey(key: string) {
  const client = new Client({ name: 'forcebridge-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { fetch: workerFetch, requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

const tool = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const structured = async <T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}) => {
  const result = await tool(client, name, args);
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as T;
};
const errorText = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
  const result = await tool(client, name, args);
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  return (result.content[0] as { text: string }).text;
};

let tenant: { id: string; key: string };
let connectionId: string;
let agentKey: string;
let agentId: string;
let contacts: Record<string, unknown>[];

beforeAll(async () => {
  await freshOrgAndTenants();
  const setup = await connectedConnector({ deleteMode: 'soft' });
  tenant = setup.tenant;
  connectionId = setup.connection.id;
  await syncConnector(env, setup.connectorId);
  const credential = await createCredential(tenant.key);
  agentKey = credential.key;
  agentId = credential.id;
  contacts = await salesforceRecords('Contact', ['Id', 'FirstName', 'LastName', 'Email', 'AccountId']);
});

describe('credentials and auth', () => {
  it('answers 401 with WWW-Authenticate pointing at the protected-resource metadata, which names the token endpoint', async () => {
    const response = await workerFetch(`${ORIGIN}/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    const metadata = (await (await workerFetch(`${ORIGIN}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
    expect(metadata).toMatchObject({ resource: `${ORIGIN}/mcp`, authorization_servers: [ORIGIN] });
    const server = (await (await workerFetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string; grant_types_supported: string[] };
    expect(server).toMatchObject({ token_endpoint: `${ORIGIN}/oauth/token`, grant_types_supported: ['client_credentials'] });
  });

  it('lets the SDK client in with OAuth client credentials discovered from the 401', async () => {
    const client = new Client({ name: 'copilot-like', version: '1.0.0' });
    const authProvider = new ClientCredentialsProvider({ clientId: agentId, clientSecret: agentKey, expectedIssuer: ORIGIN });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { fetch: workerFetch, authProvider }));
    expect((await structured<{ tables: unknown[] }>(client, 'listTables')).tables).toHaveLength(2);
    await client.close();
  });

  it('refuses a tenant API key on /mcp, an agent key on /api, a wrong client secret, a revoked key and its tokens, and an expired token', async () => {
    const mcpWith = (token: string) =>
      workerFetch(`${ORIGIN}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    const admin = await mcpWith(tenant.key);
    expect(admin.status).toBe(401);
    expect(((await admin.json()) as { error: { message: string } }).error.message).toContain('tenant API key');

    const onApi = await call('/api/tenant', { key: agentKey });
    expect(onApi.status).toBe(401);
    expect(((await onApi.json()) as { error: { code: string } }).error.code).toBe('agent_credential_wrong_route');

    const token = (secret: string) =>
      workerFetch(`${ORIGIN}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: agentId, client_secret: secret }) });
    expect((await token(tenant.key)).status).toBe(401);
    expect(await (await token(tenant.key)).json()).toMatchObject({ error: 'invalid_client' });
    const unsupported = await workerFetch(`${ORIGIN}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
    for (const basic of [btoa('no-colon-here'), btoa(`${agentId}:%E0%A4%A`), '***']) {
      const malformed = await workerFetch(`${ORIGIN}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
      expect(malformed.status, basic).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: 'invalid_request' });
    }

    const doomed = await createCredential(tenant.key, 'to revoke');
    // Another credential's key does not pass for this client_id.
    expect(await (await token(doomed.key)).json()).toMatchObject({ error: 'invalid_client' });
    const doomedToken = (await (
      await workerFetch(`${ORIGIN}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${btoa(`${doomed.id}:${doomed.key}`)}` }, body: 'grant_type=client_credentials' })
    ).json()) as { access_token: string };
    expect((await mcpWith(doomedToken.access_token)).status).toBe(200);
    expect((await mcpWith(doomed.key)).status).toBe(200);
    expect((await call(`/api/agent-credentials/${doomed.id}`, { method: 'DELETE', key: tenant.key })).status).toBe(200);
    expect((await mcpWith(doomed.key)).status).toBe(401);
    expect((await mcpWith(doomedToken.access_token)).status).toBe(401);

    const old = await issueAccessToken(env.ENCRYPTION_KEY, ORIGIN, agentId, new Date(Date.now() - 60 * 60_000));
    const expired = await mcpWith(old.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    expect(((await expired.json()) as { error: { message: string } }).error.message).toContain('expired');
  });

  it('lists credentials with their last use, never their keys', async () => {
    const list = (await (await call('/api/agent-credentials', { key: tenant.key })).json()) as Record<string, unknown>[];
    expect(list.find((c) => c.id === agentId)).toBeDefined();
    expect(JSON.stringify(list)).not.toContain('fba_');
    expect((await call('/api/agent-credentials', { method: 'POST', key: tenant.key, headers: { 'Content-Type': 'application/json' }, body: '{"name":""}' })).status).toBe(400);
    expect((await call('/api/agent-credentials/agc_nope', { method: 'DELETE', key: tenant.key })).status).toBe(404);
  });
});

describe('tools over the synced copy', () => {
  it('lists six read-only tools with input schemas, and no live tools until they are switched on', async () => {
    const client = await connectWithKey(agentKey);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['describeTable', 'getRecord', 'listTables', 'queryRecords', 'search', 'syncStatus']);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint).toBe(true);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
    }
    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id FROM Contact' })).toContain('not found');
    await client.close();
  });

  it('answers listTables, describeTable, search, getRecord, queryRecords and syncStatus from D1', async () => {
    const client = await connectWithKey(agentKey);
    const { tables } = await structured<{ tables: { table: string; rows: number; lastSuccessfulSync: string | null }[] }>(client, 'listTables');
    expect(tables.find((t) => t.table === 'contact')).toMatchObject({ rows: contacts.length });
    expect(tables.every((t) => t.lastSuccessfulSync)).toBe(true);

    const described = await structured<{ columns: { name: string; salesforceField: string | null }[] }>(client, 'describeTable', { table: 'contact' });
    expect(described.columns).toContainEqual(expect.objectContaining({ name: 'emailaddress1', salesforceField: 'Email' }));

    const sample = contacts.find((c) => c.Email && c.AccountId)!;
    const { hits } = await structured<{ hits: { salesforceId: string; table: string }[] }>(client, 'search', { query: String(sample.Email) });
    expect(hits[0]).toMatchObject({ salesforceId: sample.Id, table: 'contact' });

    const bySalesforceId = await structured<{ found: boolean; record: Record<string, unknown>; account: Record<string, unknown> }>(client, 'getRecord', { id: String(sample.Id) });
    expect(bySalesforceId.record.emailaddress1).toBe(sample.Email);
    expect(bySalesforceId.account.forcebridge_salesforce_id).toBe(sample.AccountId);
    const account = await structured<{ table: string; contacts: Record<string, unknown>[] }>(client, 'getRecord', { id: guidFromSalesforceId(String(sample.AccountId)) });
    expect(account.table).toBe('account');
    expect(account.contacts.map((c) => c.forcebridge_salesforce_id)).toContain(sample.Id);
    expect(await structured(client, 'getRecord', { id: '003000000000000AAA' })).toMatchObject({ found: false });

    const firstPage = await structured<{ records: Record<string, unknown>[]; nextCursor: string | null }>(client, 'queryRecords', { table: 'contact', sort: { column: 'lastname', direction: 'asc' }, limit: 3 });
    expect(firstPage.records).toHaveLength(3);
    const second = await structured<{ records: Record<string, unknown>[] }>(client, 'queryRecords', { table: 'contact', sort: { column: 'lastname', direction: 'asc' }, limit: 3, cursor: firstPage.nextCursor });
    expect(second.records.map((r) => r.contactid)).not.toContain(firstPage.records[0]!.contactid);
    const lastNames = [...firstPage.records, ...second.records].map((r) => String(r.lastname));
    expect(lastNames).toEqual([...lastNames].sort());
    const filtered = await structured<{ records: Record<string, unknown>[] }>(client, 'queryRecords', {
      table: 'contact',
      filters: [{ column: 'emailaddress1', op: 'in', value: [sample.Email, 'nobody@example.com'] }],
    });
    expect(filtered.records.map((r) => r.forcebridge_salesforce_id)).toEqual([sample.Id]);
    const prefix = await structured<{ records: Record<string, unknown>[] }>(client, 'queryRecords', { table: 'contact', filters: [{ column: 'lastname', op: 'prefix', value: String(sample.LastName).slice(0, 3) }], limit: 50 });
    expect(prefix.records.every((r) => String(r.lastname).startsWith(String(sample.LastName).slice(0, 3)))).toBe(true);

    const status = await structured<{ connectors: { tables: { lastRun: { status: string } }[] }[] }>(client, 'syncStatus');
    expect(status.connectors[0]!.tables.map((t) => t.lastRun.status)).toEqual(['succeeded', 'succeeded']);
    await client.close();
  });

  it('never returns soft-deleted rows unless asked', async () => {
    const victim = contacts[contacts.length - 1]!;
    await env.DB.prepare('UPDATE contact SET forcebridge_deleted_at = ?3 WHERE tenant_id = ?1 AND contactid = ?2').bind(tenant.id, guidFromSalesforceId(String(victim.Id)), new Date().toISOString()).run();
    const client = await connectWithKey(agentKey);
    expect(await structured(client, 'getRecord', { id: String(victim.Id) })).toMatchObject({ found: false });
    expect(await structured(client, 'getRecord', { id: String(victim.Id), includeDeleted: true })).toMatchObject({ found: true });
    const page = await structured<{ records: unknown[] }>(client, 'queryRecords', { table: 'contact', filters: [{ column: 'contactid', op: 'equals', value: guidFromSalesforceId(String(victim.Id)) }] });
    expect(page.records).toEqual([]);
    await env.DB.prepare('UPDATE contact SET forcebridge_deleted_at = NULL WHERE tenant_id = ?1').bind(tenant.id).run();
    await client.close();
  });

  it("keeps tenants apart: another tenant's credential sees none of these rows", async () => {
    const other = await newTenant('Globex');
    const client = await connectWithKey((await createCredential(other.key)).key);
    expect(await structured(client, 'listTables')).toEqual({ tables: [] });
    expect(await structured(client, 'search', { query: String(contacts[0]!.Email) })).toEqual({ hits: [], nextCursor: null });
    expect(await structured(client, 'getRecord', { id: String(contacts[0]!.Id) })).toMatchObject({ found: false });
    expect(await errorText(client, 'queryRecords', { table: 'contact' })).toContain('No connector syncs the contact table');
    await client.close();
  });
});

describe('bad input', () => {
  it('answers tool errors an agent can act on, never a 500', async () => {
    const client = await connectWithKey(agentKey);
    expect(await errorText(client, 'dropTables')).toContain('not found');
    expect(await errorText(client, 'describeTable', { table: 'user' })).toMatch(/table/);
    expect(await errorText(client, 'queryRecords', { table: 'contact', limit: 'ten' })).toMatch(/limit/);
    expect(await errorText(client, 'queryRecords', { table: 'contact', limit: 500 })).toMatch(/limit/);
    expect(await errorText(client, 'search', { query: 'x'.repeat(5000) })).toMatch(/query/);
    expect(await errorText(client, 'queryRecords', { table: 'contact', filters: [{ column: 'ownerid', op: 'equals', value: 'x' }] })).toContain('not a mapped column');
    expect(await errorText(client, 'queryRecords', { table: 'contact', filters: [{ column: 'lastname; DROP TABLE contact', op: 'equals', value: 'x' }] })).toContain('not a mapped column');
    expect(await errorText(client, 'queryRecords', { table: 'contact', sort: { column: '(SELECT 1)', direction: 'asc' } })).toContain('not a mapped column');
    expect(await errorText(client, 'queryRecords', { table: 'contact', cursor: 'bm9wZQ' })).toContain('cursor');
    expect(await errorText(client, 'queryRecords', { table: 'contact', filters: [{ column: 'lastname', op: 'in', value: 'x' }] })).toContain('list');
    expect(await errorText(client, 'getRecord', { id: "' OR 1=1 --" })).toContain('neither a GUID nor a Salesforce Id');
    const injected = await structured<{ records: unknown[] }>(client, 'queryRecords', { table: 'contact', filters: [{ column: 'lastname', op: 'equals', value: "x' OR '1'='1" }] });
    expect(injected.records).toEqual([]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM contact').first<{ n: number }>())!.n).toBe(contacts.length);
    await client.close();
  });

  it('speaks the protocol on raw requests: JSON-RPC errors for malformed bodies, 406 without the Accept header, 413 when oversize', async () => {
    const raw = (body: string, headers: Record<string, string> = {}) =>
      workerFetch(`${ORIGIN}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${agentKey}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers }, body });
    const list = await raw(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { id: number; result: { tools: unknown[] } }).result.tools).toHaveLength(6);
    const malformed = await raw('{"jsonrpc":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: number } }).error.code).toBe(-32700);
    expect((await raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { Accept: 'text/html' })).status).toBe(406);
    expect((await raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'x'.repeat(100_000) } } }))).status).toBe(413);
    // The audit row is written after the answer (ctx.waitUntil), so it is waited for.
    await vi.waitFor(async () => {
      const unread = await env.DB.prepare('SELECT tool, outcome, error_message FROM agent_calls WHERE credential_id = ?1 ORDER BY id DESC LIMIT 1').bind(agentId).first();
      expect(unread).toMatchObject({ tool: '(request not read)', outcome: 'error', error_message: expect.stringContaining('64 KiB') });
    });
    const unknownMethod = await raw(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'records/delete' }));
    expect(((await unknownMethod.json()) as { error: { code: number } }).error.code).toBe(-32601);
    expect((await raw('{}', { Origin: 'https://evil.example' })).status).toBe(403);
  });
});

type Page = { records: Record<string, unknown>[]; nextCursor: string | null };

/** Every page of a query, following nextCursor to the end. */
async function allPages(client: Client, args: Record<string, unknown>) {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    // Each page is a tool call; the rate limit is not what these tests are about.
    await env.DB.prepare('UPDATE agent_credentials SET window_calls = 0 WHERE id = ?1').bind(agentId).run();
    const page: Page = await structured<Page>(client, 'queryRecords', { ...args, ...(cursor ? { cursor } : {}) });
    rows.push(...page.records);
    cursor = page.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error(`queryRecords did not reach its last page: ${rows.length} rows, ${new Set(rows.map((r) => r.contactid)).size} distinct`);
}

describe('queryRecords pages (keyset cursor)', () => {
  it('returns every row exactly once, NULLs where SQLite sorts them, whichever way and column it sorts on', async () => {
    // Three contacts without an email, so a page boundary falls among NULLs.
    const blanked = contacts.slice(0, 3).map((c) => guidFromSalesforceId(String(c.Id)));
    const before = await env.DB.prepare(`SELECT contactid, emailaddress1 FROM contact WHERE tenant_id = ?1 AND contactid IN (?2, ?3, ?4)`).bind(tenant.id, ...blanked).all<{ contactid: string; emailaddress1: string | null }>();
    await env.DB.prepare(`UPDATE contact SET emailaddress1 = NULL WHERE tenant_id = ?1 AND contactid IN (?2, ?3, ?4)`).bind(tenant.id, ...blanked).run();
    const client = await connectWithKey(agentKey);
    try {
      // Eight contacts (three without an email), paged two rows at a time so page boundaries fall among the NULLs: the
      // same rows in the same order as one page of the whole query.
      const few = { column: 'forcebridge_salesforce_id', op: 'in', value: contacts.slice(0, 8).map((c) => String(c.Id)) };
      for (const sort of [{ column: 'emailaddress1', direction: 'asc' }, { column: 'emailaddress1', direction: 'desc' }, { column: 'lastname', direction: 'desc' }]) {
        const whole = await structured<Page>(client, 'queryRecords', { table: 'contact', filters: [few], sort, limit: 50 });
        expect(whole.nextCursor).toBeNull();
        const paged = await allPages(client, { table: 'contact', filters: [few], sort, limit: 2 });
        expect(paged.map((r) => r.contactid), JSON.stringify(sort)).toEqual(whole.records.map((r) => r.contactid));
        if (sort.column === 'emailaddress1') {
          const nulls = paged.map((r, i) => (r.emailaddress1 === null ? i : -1)).filter((i) => i >= 0);
          expect(nulls).toEqual(sort.direction === 'asc' ? [0, 1, 2] : [paged.length - 3, paged.length - 2, paged.length - 1]);
        }
      }
      for (const sort of [{ column: 'lastname', direction: 'desc' }, undefined]) {
        const rows = await allPages(client, { table: 'contact', limit: 50, ...(sort ? { sort } : {}) });
        expect(rows, JSON.stringify(sort)).toHaveLength(contacts.length);
        expect(new Set(rows.map((r) => r.contactid)).size).toBe(contacts.length);
      }
    } finally {
      for (const row of before.results) await env.DB.prepare('UPDATE contact SET emailaddress1 = ?3 WHERE tenant_id = ?1 AND contactid = ?2').bind(tenant.id, row.contactid, row.emailaddress1).run();
      await client.close();
    }
  });

  it('goes on right after the last row it returned while the sync deletes rows already seen (an offset would skip)', async () => {
    const client = await connectWithKey(agentKey);
    const query = { table: 'contact', sort: { column: 'lastname', direction: 'asc' } };
    const everything = await allPages(client, { ...query, limit: 50 });
    const first = await structured<Page>(client, 'queryRecords', { ...query, limit: 5 });
    const gone = first.records.slice(0, 2).map((r) => String(r.contactid));
    await env.DB.prepare('UPDATE contact SET forcebridge_deleted_at = ?4 WHERE tenant_id = ?1 AND contactid IN (?2, ?3)').bind(tenant.id, ...gone, new Date().toISOString()).run();
    try {
      const second = await structured<Page>(client, 'queryRecords', { ...query, limit: 5, cursor: first.nextCursor });
      expect(second.records.map((r) => r.contactid)).toEqual(everything.slice(5, 10).map((r) => r.contactid));
    } finally {
      await env.DB.prepare('UPDATE contact SET forcebridge_deleted_at = NULL WHERE tenant_id = ?1').bind(tenant.id).run();
      await client.close();
    }
  });

  it('refuses a changed cursor, one made for another query, tool, tenant or set of connectors, and an old offset cursor', async () => {
    const client = await connectWithKey(agentKey);
    const query = { table: 'contact', sort: { column: 'lastname', direction: 'asc' }, limit: 3 };
    const { nextCursor } = await structured<Page>(client, 'queryRecords', query);
    const [version, payload, mac] = nextCursor!.split('.');
    const forged = `${version}.${btoa(JSON.stringify(['A', '00000000-0000-0000-0000-000000000000'])).replace(/=+$/, '')}.${mac}`;
    expect(await errorText(client, 'queryRecords', { ...query, cursor: forged })).toContain('does not belong to this query');
    expect(await errorText(client, 'queryRecords', { ...query, cursor: `${version}.${payload}.${mac!.slice(1)}A` })).toContain('does not belong to this query');
    expect(await errorText(client, 'queryRecords', { ...query, sort: { column: 'lastname', direction: 'desc' }, cursor: nextCursor })).toContain('does not belong to this query');
    expect(await errorText(client, 'queryRecords', { ...query, includeDeleted: true, cursor: nextCursor })).toContain('does not belong to this query');
    const offsetCursor = btoa(JSON.stringify({ o: 3, f: 'k2x9' })).replace(/=+$/, '');
    expect(await errorText(client, 'queryRecords', { ...query, cursor: offsetCursor })).toContain('unsigned offset cursors');

    // search's cursors are signed the same way, for its own arguments.
    const first = await structured<{ hits: { id: string }[]; nextCursor: string | null }>(client, 'search', { query: 'example', limit: 2 });
    const second = await structured<{ hits: { id: string }[] }>(client, 'search', { query: 'example', limit: 2, cursor: first.nextCursor });
    expect(second.hits).toHaveLength(2);
    expect(second.hits.map((h) => h.id)).not.toContain(first.hits[0]!.id);
    expect(await errorText(client, 'search', { query: 'other words', limit: 2, cursor: first.nextCursor })).toContain('does not belong to this query');
    expect(await errorText(client, 'search', { query: 'example', cursor: btoa('search:2') })).toContain('unsigned offset cursors');
    expect(await errorText(client, 'queryRecords', { ...query, cursor: first.nextCursor })).toContain('does not belong to this query');
    await client.close();

    const scope = { tool: 'queryRecords' as const, tenantId: tenant.id, connectorIds: ['c1'], query: { table: 'contact', filters: [], sort: null, includeDeleted: false } };
    const position = ['Smith', '00000000-0000-0000-0000-000000000001'];
    const cursor = await signCursor(env.ENCRYPTION_KEY, scope, position);
    expect(await openCursor(env.ENCRYPTION_KEY, scope, cursor)).toEqual(position);
    await expect(openCursor(env.ENCRYPTION_KEY, { ...scope, tenantId: 'another-tenant' }, cursor)).rejects.toThrow('does not belong to this query');
    await expect(openCursor(env.ENCRYPTION_KEY, { ...scope, connectorIds: ['c1', 'c2'] }, cursor)).rejects.toThrow('connectors have changed');
    await expect(openCursor(env.ENCRYPTION_KEY, { ...scope, tool: 'search' }, cursor)).rejects.toThrow('another tool');
  });
});

describe('live tools', () => {
  it('are off by default, and once switched on query Salesforce within the permission set, reporting the API calls spent', async () => {
    const switchLive = (enabled: boolean) =>
      call(`/api/agent-access/live-tools/${connectionId}`, { method: 'PUT', key: tenant.key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled }) });
    expect((await switchLive(true)).status).toBe(200);
    const client = await connectWithKey(agentKey);
    const { tools } = await client.listTools();
    expect(tools.filter((t) => t.name.endsWith('Live') || t.name === 'soqlQuery').every((t) => t.annotations?.readOnlyHint)).toBe(true);

    const result = await structured<{ records: Record<string, unknown>[]; apiCallsSpent: number; soql: string }>(client, 'soqlQuery', { soql: 'SELECT Id, LastName FROM Contact ORDER BY LastName LIMIT 5' });
    expect(result.records).toHaveLength(5);
    expect(result.apiCallsSpent).toBe(1);
    const sample = contacts[0]!;
    const live = await structured<{ record: Record<string, unknown> }>(client, 'getRecordLive', { object: 'Contact', id: String(sample.Id) });
    expect(live.record).toMatchObject({ Id: sample.Id, LastName: sample.LastName });

    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id FROM Opportunity' })).toContain('may not read Opportunity');
    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id, Secret__c FROM Contact' })).toContain('not a field the integration user may read');
    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id, Account.Name FROM Contact' })).toContain('plain fields');
    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)' })).toContain('subqueries');
    expect(await errorText(client, 'soqlQuery', { soql: "DELETE FROM Contact WHERE Name = 'x'" })).toContain('not a SOQL SELECT');
    expect(await errorText(client, 'soqlQuery', { soql: "SELECT Id FROM Contact WHERE LastName = 'x'; DELETE" })).toContain('not a SOQL SELECT');

    await env.DB.prepare('INSERT INTO api_usage (connection_id, used, max, observed_at) VALUES (?1, 14900, 15000, ?2) ON CONFLICT (connection_id) DO UPDATE SET used = 14900, max = 15000').bind(connectionId, new Date().toISOString()).run();
    expect(await errorText(client, 'soqlQuery', { soql: 'SELECT Id FROM Contact' })).toContain('reserve');
    await env.DB.prepare('DELETE FROM api_usage WHERE connection_id = ?1').bind(connectionId).run();
    await client.close();

    expect((await switchLive(false)).status).toBe(200);
    const after = await connectWithKey(agentKey);
    expect((await after.listTools()).tools.map((t) => t.name)).not.toContain('soqlQuery');
    await after.close();
  });
});

describe('audit and rate limit', () => {
  it('records every tool call and shows it to the admin; the credential past its limit gets a clear error', async () => {
    const client = await connectWithKey(agentKey);
    await structured(client, 'search', { query: 'zzz' });
    type Access = { enabled: boolean; mcpUrl: string; lastUsedAt: string; recentCalls: { tool: string; arguments: string; outcome: string; salesforceApiCalls: number }[] };
    // The audit row is written just after the answer (ctx.waitUntil): the panel shows it a moment later.
    const access = await vi.waitFor(async () => {
      const read = (await (await call('/api/agent-access', { key: tenant.key })).json()) as Access;
      expect(read.recentCalls[0]).toMatchObject({ tool: 'search', arguments: expect.stringContaining('zzz'), outcome: 'ok' });
      return read;
    });
    expect(access).toMatchObject({ enabled: true, mcpUrl: `${ORIGIN}/mcp` });
    expect(access.lastUsedAt).toBeTruthy();
    expect(access.recentCalls.some((c) => c.tool === 'soqlQuery' && c.salesforceApiCalls === 1)).toBe(true);
    expect(access.recentCalls.some((c) => c.outcome === 'error')).toBe(true);

    await env.DB.prepare('UPDATE agent_credentials SET window_calls = ?2, window_started_at = ?3 WHERE id = ?1')
      .bind(agentId, DEFAULT_AGENT_CALLS_PER_MINUTE, new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString())
      .run();
    expect(await errorText(client, 'listTables')).toContain('Rate limit');
    await env.DB.prepare('UPDATE agent_credentials SET window_calls = 0 WHERE id = ?1').bind(agentId).run();
    await client.close();
  });

  it('audits and counts the calls the SDK refuses before a tool runs, and keeps no key, token or cursor in the audit', async () => {
    const fresh = await createCredential(tenant.key, 'audited agent');
    const client = await connectWithKey(fresh.key);
    const audited = async () =>
      (await env.DB.prepare('SELECT tool, outcome, error_message, arguments FROM agent_calls WHERE credential_id = ?1 ORDER BY id').bind(fresh.id).all<{ tool: string; outcome: string; error_message: string | null; arguments: string }>()).results;
    const windowCalls = async () => (await env.DB.prepare('SELECT window_calls FROM agent_credentials WHERE id = ?1').bind(fresh.id).first<{ window_calls: number }>())!.window_calls;

    await errorText(client, 'dropTables', { table: 'contact' });
    await errorText(client, 'queryRecords', { table: 'contact', limit: 'ten' });
    const secretKey = `fba_${'k'.repeat(43)}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    await structured(client, 'search', { query: `${secretKey} ${jwt}` });
    const { nextCursor } = await structured<Page>(client, 'queryRecords', { table: 'contact', limit: 1 });
    await structured(client, 'queryRecords', { table: 'contact', limit: 1, cursor: nextCursor });
    const raw = await workerFetch(`${ORIGIN}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fresh.key}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { arguments: {} } }),
    });
    const nameless = (await raw.json()) as { error: { code: number; message: string } };
    expect(nameless.error.message).toBeTruthy();

    const rows = await vi.waitFor(async () => {
      const written = await audited();
      expect(written).toHaveLength(6);
      return written;
    });
    expect(rows.map((r) => [r.tool, r.outcome])).toEqual([
      ['dropTables', 'error'],
      ['queryRecords', 'error'],
      ['search', 'ok'],
      ['queryRecords', 'ok'],
      ['queryRecords', 'ok'],
      ['(no tool name)', 'error'],
    ]);
    expect(rows[0]!.error_message).toContain('not found');
    expect(rows[1]!.error_message).toMatch(/Input validation error.*limit/s);
    expect(rows[1]!.arguments).toContain('"limit":"ten"');
    expect(rows[5]!.error_message).toBe(nameless.error.message);
    expect(rows[2]!.arguments).toContain('fba_[redacted]');
    expect(rows[2]!.arguments).toContain('[token redacted]');
    expect(JSON.stringify(rows)).not.toContain(secretKey);
    expect(JSON.stringify(rows)).not.toContain(jwt);
    expect(rows[4]!.arguments).toContain(`[cursor, ${nextCursor!.length} characters]`);
    expect(JSON.stringify(rows)).not.toContain(nextCursor);
    // Counted after the answer, like the audit row.
    await vi.waitFor(async () => expect(await windowCalls()).toBe(6));

    // Past the limit, even a call the SDK would refuse is answered with the rate limit, counted and audited.
    await env.DB.prepare('UPDATE agent_credentials SET window_calls = ?2 WHERE id = ?1').bind(fresh.id, DEFAULT_AGENT_CALLS_PER_MINUTE).run();
    expect(await errorText(client, 'queryRecords', { table: 'contact', limit: 'ten' })).toContain('Rate limit');
    expect(await errorText(client, 'dropTables')).toContain('Rate limit');
    await vi.waitFor(async () =>
      expect((await audited()).slice(-2).map((r) => [r.tool, r.outcome])).toEqual([
        ['queryRecords', 'rate_limited'],
        ['dropTables', 'rate_limited'],
      ]),
    );
    // Refused calls are counted too.
    await vi.waitFor(async () => expect(await windowCalls()).toBe(DEFAULT_AGENT_CALLS_PER_MINUTE + 2));
    await client.close();
  });

  it('refuses the call after the limit without a write before any answer: the count from one call reaches the next', async () => {
    const fresh = await createCredential(tenant.key, 'limited agent');
    const client = await connectWithKey(fresh.key);
    const windowCalls = async () => (await env.DB.prepare('SELECT window_calls FROM agent_credentials WHERE id = ?1').bind(fresh.id).first<{ window_calls: number }>())!.window_calls;
    // One short of the limit in this minute: the next call runs, the one after it is refused.
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    await env.DB.prepare('UPDATE agent_credentials SET window_calls = ?2, window_started_at = ?3 WHERE id = ?1').bind(fresh.id, DEFAULT_AGENT_CALLS_PER_MINUTE - 1, minute).run();
    await structured(client, 'listTables');
    await vi.waitFor(async () => expect(await windowCalls()).toBe(DEFAULT_AGENT_CALLS_PER_MINUTE));
    expect(await errorText(client, 'listTables')).toContain('Rate limit');
    await client.close();
  });
});
