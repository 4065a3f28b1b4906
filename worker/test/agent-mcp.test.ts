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
import { beforeAll, describe, expect, it } from 'vitest';
import { CreatedAgentCredentialSchema } from '../../shared/agent-api';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { issueAccessToken } from '../src/agent/access-tokens';
import { DEFAULT_AGENT_CALLS_PER_MINUTE } from '../src/agent/credentials';
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
    const unknownMethod = await raw(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'records/delete' }));
    expect(((await unknownMethod.json()) as { error: { code: number } }).error.code).toBe(-32601);
    expect((await raw('{}', { Origin: 'https://evil.example' })).status).toBe(403);
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
    const access = (await (await call('/api/agent-access', { key: tenant.key })).json()) as { enabled: boolean; mcpUrl: string; lastUsedAt: string; recentCalls: { tool: string; arguments: string; outcome: string; salesforceApiCalls: number }[] };
    expect(access).toMatchObject({ enabled: true, mcpUrl: `${ORIGIN}/mcp` });
    expect(access.lastUsedAt).toBeTruthy();
    expect(access.recentCalls[0]).toMatchObject({ tool: 'search', arguments: expect.stringContaining('zzz'), outcome: 'ok' });
    expect(access.recentCalls.some((c) => c.tool === 'soqlQuery' && c.salesforceApiCalls === 1)).toBe(true);
    expect(access.recentCalls.some((c) => c.outcome === 'error')).toBe(true);

    await env.DB.prepare('UPDATE agent_credentials SET window_calls = ?2, window_started_at = ?3 WHERE id = ?1')
      .bind(agentId, DEFAULT_AGENT_CALLS_PER_MINUTE, new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString())
      .run();
    expect(await errorText(client, 'listTables')).toContain('Rate limit');
    await env.DB.prepare('UPDATE agent_credentials SET window_calls = 0 WHERE id = ?1').bind(agentId).run();
    await client.close();
  });
});
