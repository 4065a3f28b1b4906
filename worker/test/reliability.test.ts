/**
 * Findings of the reliability and security pass (issue 11), each driven through the path that showed it: the cron
 * tick and the queue consumer on a clock the Worker and the org share, a stalled Salesforce call, a failing token
 * endpoint, a crash after a table finished, and request bodies and sessions that must be refused before any call.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SyncHooks, syncConnector } from '../src/sync/run-connector';
import { turnOn } from './connection-driver';
import { adminSession, control, freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';
import { type ClockedWorld, clockedWorld } from './moving-clock';
import { clearLease, connectedConnector, expectDestinationEqualsSalesforce, runsOf } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const apiCalls = async () => Object.values((await control<Record<string, number>>('GET', '/calls')) ?? {}).reduce((sum, n) => sum + n, 0);
const usageRow = (connectionId: string) => env.DB.prepare('SELECT used, max, observed_at FROM api_usage WHERE connection_id = ?1').bind(connectionId).first<{ used: number; max: number; observed_at: string }>();

describe('a connector paused by the API budget, on a moving clock through the queue', () => {
  let world: ClockedWorld | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('backs off through the queue’s delay, re-checks the allowance once its reading is an interval old, and resumes by itself', async () => {
    const { tenant, connection, connectorId } = await connectedConnector();
    world = await clockedWorld(new Date());
    await world.tick();
    expect((await runsOf(connectorId)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

    // The org's usage climbs to 99 %, below the 20 % this connector keeps in reserve; the next run learns it.
    const { max } = await control<{ max: number }>('GET', '/api-usage');
    await control('PUT', '/api-usage', { used: Math.floor(max * 0.99) });
    const [contact] = (await control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact LIMIT 1' })).records;
    await control('PATCH', `/records/Contact/${contact!.Id}`, { LastName: 'Budgeted' });
    await world.advance(15);
    await world.tick();
    const learned = (await usageRow(connection.id))!;
    expect(learned.used).toBeGreaterThanOrEqual(Math.floor(max * 0.99));

    // An interval later, one call re-checks the reading (now an interval old): still short, so paused, and sent back
    // after a delay rather than at once.
    await world.advance(15);
    const sentBefore = world.sent.length;
    await world.tick();
    expect((await runsOf(connectorId)).slice(-2).map((r) => [r.status, r.error_code])).toEqual([
      ['rate_limited', 'api_budget_reserved'],
      ['rate_limited', 'api_budget_reserved'],
    ]);
    expect(world.sent.slice(sentBefore + 1).map((m) => m.delaySeconds)).toEqual([15 * 60]);
    const reading = (await usageRow(connection.id))!;
    expect(Date.parse(reading.observed_at)).toBeGreaterThan(Date.parse(learned.observed_at));

    // The allowance frees up (the rolling 24 hours moved on). While the back-off lasts, nothing is asked and the old
    // reading is not re-saved as if it were new.
    await control('PUT', '/api-usage', { used: 100 });
    const callsBefore = await apiCalls();
    for (let i = 0; i < 2; i++) {
      await world.advance(5);
      await world.tick();
    }
    expect(await apiCalls()).toBe(callsBefore);
    expect((await usageRow(connection.id))!.observed_at).toBe(reading.observed_at);

    // The delayed message comes back; the reading is now older than the interval: one call re-checks, and it resumes.
    await world.advance(5);
    await world.tick();
    await expectDestinationEqualsSalesforce(tenant.id);
    expect((await runsOf(connectorId)).slice(-2).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect((await usageRow(connection.id))!.used).toBeLessThan(200);
    expect(world.pending()).toEqual([]);
  });

  it('with no reserve, asks an exhausted org once per interval instead of once per delivery', async () => {
    const { connectorId } = await connectedConnector({ budgetThreshold: 0 });
    const { max } = await control<{ max: number }>('GET', '/api-usage');
    await control('PUT', '/api-usage', { used: max });
    world = await clockedWorld(new Date());
    await control('DELETE', '/calls');

    for (let minute = 0; minute < 60; minute += 5) {
      await world.tick();
      await world.advance(5);
    }
    // An hour at a 15-minute interval: a handful of refused calls, not hundreds.
    expect(await apiCalls()).toBeLessThanOrEqual(8);
    const runs = await runsOf(connectorId);
    expect(runs.every((r) => r.status === 'rate_limited')).toBe(true);
    expect(runs.length).toBeLessThanOrEqual(2 * 6);
  });
});

describe('a Salesforce call that stalls past the invocation’s deadline', () => {
  it('is abandoned at the deadline and the run says so; the next run completes', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await control('POST', '/faults', { kind: 'latency', path: '/composite', latencyMs: 120_000, times: 1 });
    const outcome = await syncConnector(env, connectorId, { limits: { maxMs: 2_000 } });
    expect(outcome.tables.map((t) => [t.status, t.errorCode])).toEqual([
      ['failed', 'salesforce_timeout'],
      ['failed', 'salesforce_timeout'],
    ]);
    expect(outcome.tables[0]!.errorMessage).toMatch(/did not answer before this invocation’s time limit/);
    await control('DELETE', '/faults');
    await clearLease();
    expect((await syncConnector(env, connectorId)).tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    await expectDestinationEqualsSalesforce(tenant.id);
  });
});

describe('a token endpoint that fails while signing in again', () => {
  it('is recorded with what the endpoint said, not as a malformed response', async () => {
    const { connectorId } = await connectedConnector();
    await control('POST', '/sessions/expire', {});
    await control('POST', '/faults', { kind: 'error', path: '/services/oauth2/token', status: 500, times: 0 });
    const outcome = await syncConnector(env, connectorId);
    for (const t of outcome.tables) {
      expect(t.status).toBe('failed');
      expect(t.errorCode).not.toBe('malformed_response');
      expect(t.errorMessage).toMatch(/signing in again as the integration user failed: \S+/i);
    }
    await control('DELETE', '/faults');
    await clearLease();
    expect((await syncConnector(env, connectorId)).tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('a crash after one table finished its pass', () => {
  it('leaves that table’s run succeeded and the interrupted one with the rows it committed', async () => {
    const { tenant, connectorId } = await connectedConnector();
    // Both tables' single pages arrive in one Composite call; account is written (and its pass ends), then the Worker dies.
    const crash: SyncHooks = {
      at(point, table) {
        if (point === 'after_fetch' && table === 'contact') throw new Error('crash injected');
      },
    };
    await expect(syncConnector(env, connectorId, { hooks: crash })).rejects.toThrow('crash injected');
    await clearLease();
    await syncConnector(env, connectorId, { continuing: true });
    const runs = await runsOf(connectorId);
    const accounts = (await env.DB.prepare('SELECT COUNT(*) AS n FROM account WHERE tenant_id = ?1').bind(tenant.id).first<{ n: number }>())!.n;
    expect(accounts).toBeGreaterThan(0);
    expect(runs[0]).toMatchObject({ table_name: 'account', status: 'succeeded', records_upserted: accounts });
    expect(runs[1]).toMatchObject({ table_name: 'contact', status: 'failed', error_code: 'interrupted', records_upserted: 0 });
  });
});

describe('requests refused before any call to Salesforce', () => {
  const BAD_TOKENS = {
    'a line break': '00D000000000001!AQ\r\nX-Injected: 1',
    'a NUL': '00D000000000001!AQ\u0000abcdef',
    'a megabyte': 'A'.repeat(1024 * 1024),
  };

  it.each(Object.entries(BAD_TOKENS))('an admin session with %s answers 400 on every route that takes one', async (_, accessToken) => {
    const tenant = await newTenant();
    const connection = await turnOn(tenant.key);
    const before = await apiCalls();
    const session = { instanceUrl: 'https://acme.my.salesforce.com', accessToken };
    for (const path of ['/api/connections', ...['advance', 'turn-off', 'reconnect', 'update-permissions', 'fields/refresh'].map((p) => `/api/connections/${connection.id}/${p}`)]) {
      const response = await call(path, { method: 'POST', key: tenant.key, ...json({ session }) });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect(await apiCalls()).toBe(before);
  });

  it('answers 400 to an instanceUrl filter that is not a URL', async () => {
    const tenant = await newTenant();
    await turnOn(tenant.key);
    const response = await call('/api/connections?instanceUrl=not-a-url', { key: tenant.key });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('not a URL') });
  });

  it('refuses the same table twice on PATCH, as on POST', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const response = await call(`/api/connectors/${connectorId}`, {
      method: 'PATCH',
      key: tenant.key,
      ...json({ tables: [{ table: 'contact', mapping: { lastname: 'LastName' } }, { table: 'contact', mapping: { firstname: 'FirstName' } }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/each table at most once/);
  });

  it('refuses a __proto__ key and an empty mapping instead of dropping them', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const patch = (body: string) => call(`/api/connectors/${connectorId}`, { method: 'PATCH', key: tenant.key, headers: { 'Content-Type': 'application/json' }, body });
    const proto = await patch('{"tables":[{"table":"contact","mapping":{"__proto__":"Email","lastname":"LastName"}}]}');
    expect(proto.status).toBe(400);
    expect(((await proto.json()) as { error: { message: string } }).error.message).toMatch(/__proto__/);
    const empty = await patch('{"tables":[{"table":"contact","mapping":{}}]}');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/map at least one column/);
  });

  it('answers 415 to a JSON route sent without Content-Type: application/json', async () => {
    const tenant = await newTenant();
    for (const contentType of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const response = await call('/api/tenant', { method: 'PATCH', key: tenant.key, headers: contentType ? { 'Content-Type': contentType } : {}, body: JSON.stringify({ name: 'Acme Corp' }) });
      expect(response.status, contentType).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    }
    const ok = await call('/api/tenant', { method: 'PATCH', key: tenant.key, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ name: 'Acme Corp' }) });
    expect(ok.status).toBe(200);
  });

  it('still turns access on with a real session', async () => {
    const tenant = await newTenant();
    expect((await turnOn(tenant.key, await adminSession())).status).toBe('connected');
  });
});
