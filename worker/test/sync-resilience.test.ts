/**
 * The sync engine under crashes and faults: a Worker dying at any point of a page, Salesforce failing, stalling,
 * cutting connections, garbling bodies, expiring the session or refusing requests — and records that cannot be
 * converted. After each, the destination must equal Salesforce (every live record once, with its current values,
 * nothing deleted left behind) and every run must say truthfully what happened.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DestinationTable } from '../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { type CrashPoint, type SyncHooks, type SyncOptions, syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { crashAt, syncUntilDone } from './sync-helpers';
import { clearLease, connectedConnector, expectDestinationEqualsSalesforce, runsOf } from './sync-fixtures';

const BOTH: DestinationTable[] = ['account', 'contact'];

beforeEach(freshOrgAndTenants);

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

const seed = (accounts: number, contacts: number, more: { seed?: number; spacingMs?: number } = {}) => control('POST', '/seed', { accounts, contacts, ...more });
const addFault = (fault: Record<string, unknown>) => control('POST', '/faults', fault);
const clearFaults = () => control('DELETE', '/faults');

async function rowCount(table: DestinationTable, tenantId: string) {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?1`).bind(tenantId).first<{ n: number }>())!.n;
}

async function cursorOf(connectorId: string, table: DestinationTable) {
  return (await env.DB.prepare('SELECT * FROM sync_cursors WHERE connector_id = ?1 AND table_name = ?2').bind(connectorId, table).first<Record<string, unknown>>())!;
}

const total = (outcome: Awaited<ReturnType<typeof syncConnector>>, key: 'read' | 'upserted' | 'deleted' | 'apiCalls') => outcome.tables.reduce((sum, t) => sum + t[key], 0);

// ── crashes ─────────────────────────────────────────────────────────────────────────────────────────────────

describe('a crash during a first load', () => {
  // 4,100 of each: three 2,000-record pages per table. The first Composite call carries two pages of each table,
  // the second the last page of each, so the second time a point is reached some pages are already committed.
  const ACCOUNTS = 4100;
  const CONTACTS = 4100;
  const cases = (['before_fetch', 'after_fetch', 'mid_batch', 'after_commit'] as const).flatMap((point) => BOTH.map((table) => [point, table] as const));

  it.each(cases)('at %s of %s loses and duplicates nothing, and the interrupted run says so', async (point, table) => {
    await seed(ACCOUNTS, CONTACTS);
    const { tenant, connectorId } = await connectedConnector();
    const crash = crashAt(point, table, 2);

    await expect(syncConnector(env, connectorId, { hooks: crash })).rejects.toThrow();
    expect(crash.fired()).toBe(true);

    // What the crash left: each table's cursor agrees with its rows (page and cursor were committed together).
    const committed: Record<string, number> = {};
    for (const t of BOTH) {
      committed[t] = await rowCount(t, tenant.id);
      expect((await cursorOf(connectorId, t)).loaded, `${t}: cursor and rows disagree`).toBe(committed[t]);
    }
    expect(committed.account! + committed.contact!).toBeLessThan(ACCOUNTS + CONTACTS);
    // A table whose pass ended before the crash has its run closed as succeeded; the others were cut short.
    const finished = Object.fromEntries(await Promise.all(BOTH.map(async (t) => [t, (await cursorOf(connectorId, t)).phase === 'incremental'] as const)));
    expect((await runsOf(connectorId)).map((r) => r.status)).toEqual(BOTH.map((t) => (finished[t] ? 'succeeded' : 'running')));

    const recovery = await syncUntilDone(connectorId);
    await expectDestinationEqualsSalesforce(tenant.id);

    const runs = await runsOf(connectorId);
    const interrupted = runs.slice(0, 2);
    expect(interrupted.map((r) => [r.status, r.error_code])).toEqual(BOTH.map((t) => (finished[t] ? ['succeeded', null] : ['failed', 'interrupted'])));
    expect(interrupted.every((r) => r.finished_at !== null)).toBe(true);
    expect(runs.slice(2).every((r) => r.status === 'succeeded' || r.status === 'partial')).toBe(true);
    expect(recovery.at(-1)!.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);

    // Every record was written exactly once, and the runs say so: the interrupted run counts what it committed before
    // the crash, the recovery precisely the rest, read on from where the crash left off (at most one page again, when
    // a spent locator makes it restart from its last stamp).
    const records = { account: ACCOUNTS, contact: CONTACTS };
    for (const t of BOTH) {
      expect(Number(interrupted.find((r) => r.table_name === t)!.records_upserted), `${t}: upserts the interrupted run recorded`).toBe(committed[t]);
      const upserted = runs.filter((r) => r.table_name === t).reduce((sum, r) => sum + Number(r.records_upserted), 0);
      expect(upserted, `${t}: upserts recorded`).toBe(records[t]);
      const read = recovery.reduce((sum, o) => sum + o.tables.find((x) => x.table === t)!.read, 0);
      expect(read, `${t}: records read again`).toBeGreaterThanOrEqual(records[t] - committed[t]!);
      expect(read, `${t}: records read again`).toBeLessThanOrEqual(records[t] - committed[t]! + 2000);
    }
  });
});

describe('an incremental pass cut short', () => {
  // The org's clock is frozen and moved by the test, and each invocation is told the same time, so the timeline is
  // the real one: ticks minutes apart, edits between them.
  const orgNow = async () => new Date((await control<{ now: string }>('GET', '/clock')).now);
  const advance = async (minutes: number) => new Date((await control<{ now: string }>('PUT', '/clock', { advanceMs: minutes * 60_000 })).now);
  const contactsInPassOrder = async () =>
    (await control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact ORDER BY SystemModstamp ASC, Id ASC', includeDeleted: true })).records.map((r) => r.Id);

  it.each([
    ['crashed', 'resumes by its page locator', 4],
    ['crashed', 'restarts from what it committed when the locator has expired', 20], // after 15 idle minutes
    ['stopped at its work limit', 'resumes by its page locator', 4],
  ] as const)('%s, with updates and deletes in flight, %s, and the destination equals Salesforce', async (interruption, _, resumeAfterMinutes) => {
    await control('PUT', '/clock', { time: Date.now() - 3 * 60 * 60_000, frozen: true });
    await seed(100, 5000);
    const { tenant, connectorId } = await connectedConnector();
    await syncUntilDone(connectorId, { now: await advance(1) });
    await expectDestinationEqualsSalesforce(tenant.id);

    // A mass update (every record rewritten with new values, 100 ms apart) and some deletes: a 3-page pass.
    await advance(15);
    await seed(100, 5000, { seed: 2, spacingMs: 100 });
    let ids = await contactsInPassOrder();
    for (const id of [ids[5], ids[2500], ids[4900]]) await control('DELETE', `/records/Contact/${id}`);
    ids = await contactsInPassOrder();

    if (interruption === 'crashed') {
      await expect(syncConnector(env, connectorId, { now: await advance(1), hooks: crashAt('after_commit', 'contact', 1) })).rejects.toThrow('crash injected');
    } else {
      const partial = await syncConnector(env, connectorId, { now: await advance(1), limits: { maxRecords: 1000 } });
      expect(partial.tables.map((t) => [t.table, t.status])).toEqual([
        ['account', 'succeeded'],
        ['contact', 'partial'],
      ]);
    }
    expect((await cursorOf(connectorId, 'contact')).next_page).toMatch(/\/query\//); // the pass is under way

    // While the Worker is down, Salesforce moves on: records the pass already wrote change, and so do records it
    // has yet to read, in that order; one deleted record comes back, another record is created.
    await advance(1);
    await control('PATCH', `/records/Contact/${ids[10]}`, { LastName: 'Edited after it was read' });
    await control('DELETE', `/records/Contact/${ids[20]}`);
    await control('PATCH', `/records/Account/${(await control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Account' })).records[0]!.Id}`, { Name: 'Renamed account' });
    await advance(0.5);
    await control('POST', `/records/Contact/${ids[5]}/undelete`);
    await control('PATCH', `/records/Contact/${ids[4500]}`, { LastName: 'Edited before it was read' });
    await control('DELETE', `/records/Contact/${ids[3000]}`);
    await control('POST', '/records/Contact', { LastName: 'Created during the pass' });

    await advance(resumeAfterMinutes);
    await syncUntilDone(connectorId, { now: await orgNow() });
    // The next scheduled tick, a connector interval later.
    await syncUntilDone(connectorId, { now: await advance(15) });
    await expectDestinationEqualsSalesforce(tenant.id);

    const runs = await runsOf(connectorId);
    // The crash came after account's pass had ended: only contact's run was interrupted.
    expect(runs.filter((r) => r.error_code === 'interrupted').map((r) => r.table_name)).toEqual(interruption === 'crashed' ? ['contact'] : []);
    expect(runs.filter((r) => r.status === 'failed' && r.error_code !== 'interrupted')).toEqual([]);
  });
});

// ── Salesforce failing ──────────────────────────────────────────────────────────────────────────────────────

describe('Salesforce failing', () => {
  const COMPOSITE = '^/services/data/v[0-9.]+/composite$';
  const appliedFaults = async () => (await control<{ applied: number }[]>('GET', '/faults')).reduce((sum, f) => sum + f.applied, 0);

  async function firstLoadSucceedsDespite(fault: Record<string, unknown>) {
    const { tenant, connectorId } = await connectedConnector();
    await addFault(fault);
    const outcome = await syncConnector(env, connectorId);
    expect(await appliedFaults()).toBeGreaterThan(0);
    await clearFaults();
    expect(outcome.tables.map((t) => [t.table, t.status, t.errorCode])).toEqual([
      ['account', 'succeeded', null],
      ['contact', 'succeeded', null],
    ]);
    expect(outcome.more).toBe(false);
    await expectDestinationEqualsSalesforce(tenant.id);
    return outcome;
  }

  it('retries a server error once and succeeds', async () => {
    const outcome = await firstLoadSucceedsDespite({ kind: 'error', path: COMPOSITE, status: 500, times: 1 });
    // One Composite call reads both tables; the failed attempt is a request Salesforce counted too.
    expect(total(outcome, 'apiCalls')).toBe(2);
  });

  it('retries a dropped connection and succeeds', () => firstLoadSucceedsDespite({ kind: 'drop', path: COMPOSITE, times: 1 }));

  it('retries a truncated body and succeeds', () => firstLoadSucceedsDespite({ kind: 'malformed', path: COMPOSITE, times: 1 }));

  it('waits out a slow answer below the time limit and succeeds', async () => {
    const started = Date.now();
    await firstLoadSucceedsDespite({ kind: 'latency', path: COMPOSITE, latencyMs: 1500, times: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('retries a Bulk API 2.0 results page cut off or refused, and commits each page once', async () => {
    // A first REST page of 2,000, then Bulk API 2.0 from its last stamp (that record read twice): 1,001 in pages of 200.
    await seed(20, 3000);
    const { tenant, connectorId } = await connectedConnector({ tables: ['contact'] });
    await addFault({ kind: 'drop', path: '/results$', times: 1, skip: 1 }); // page 2, first try
    await addFault({ kind: 'error', path: '/results$', status: 500, times: 1, skip: 3 }); // page 3, first try
    const outcome = await syncConnector(env, connectorId, { limits: { bulkThreshold: 100, bulkPageSize: 200 } });
    expect(await appliedFaults()).toBe(2);
    expect(outcome.tables).toMatchObject([{ table: 'contact', status: 'succeeded', read: 3001, upserted: 3000 }]);
    await expectDestinationEqualsSalesforce(tenant.id, ['contact']);
  });

  it('signs in again when the session expired and succeeds', async () => {
    const { tenant, connection, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId); // a token is cached from here on
    await control('PATCH', `/records/Contact/${(await control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact LIMIT 1' })).records[0]!.Id}`, { LastName: 'Changed' });
    const { expired } = await control<{ expired: number }>('POST', '/sessions/expire', { username: connection.integrationUsername });
    expect(expired).toBeGreaterThan(0);
    await control('DELETE', '/calls');

    const outcome = await syncConnector(env, connectorId);
    expect(outcome.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(outcome.tables.find((t) => t.table === 'contact')!.upserted).toBe(1);
    const calls = await control<Record<string, number>>('GET', '/calls');
    expect(calls['POST /services/oauth2/token']).toBe(1);
    await expectDestinationEqualsSalesforce(tenant.id);
  });

  it('fails with Salesforce’s code when a server error persists, loses nothing, and the next run completes', async () => {
    await seed(50, 4100); // contact: 3 pages; the call after the first page fails for good
    const { tenant, connectorId } = await connectedConnector();
    await addFault({ kind: 'error', path: COMPOSITE, status: 503, times: 0, skip: 1 });
    const failed = await syncConnector(env, connectorId);
    expect(failed.tables.map((t) => [t.table, t.status, t.errorCode])).toEqual([
      ['account', 'succeeded', null],
      ['contact', 'failed', 'SERVER_UNAVAILABLE'],
    ]);
    expect(failed.tables.find((t) => t.table === 'contact')!.errorMessage).toMatch(/Nothing was lost/);
    const run = await env.DB.prepare("SELECT status, error_code, records_upserted FROM sync_runs WHERE connector_id = ?1 AND table_name = 'contact'").bind(connectorId).first();
    expect(run).toEqual({ status: 'failed', error_code: 'SERVER_UNAVAILABLE', records_upserted: 2000 });
    expect(await rowCount('contact', tenant.id)).toBe(2000);

    await clearFaults();
    const next = await syncConnector(env, connectorId);
    expect(next.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(next.tables.find((t) => t.table === 'contact')!.upserted).toBe(2100);
    await expectDestinationEqualsSalesforce(tenant.id);
  });

  it('fails with malformed_response when bodies stay garbled, writes nothing from them, and the next run completes', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await addFault({ kind: 'malformed', path: COMPOSITE, times: 0 });
    const failed = await syncConnector(env, connectorId);
    expect(failed.tables.map((t) => [t.status, t.errorCode])).toEqual([
      ['failed', 'malformed_response'],
      ['failed', 'malformed_response'],
    ]);
    expect((await runsOf(connectorId)).map((r) => [r.status, r.error_code])).toEqual([
      ['failed', 'malformed_response'],
      ['failed', 'malformed_response'],
    ]);
    expect(await rowCount('contact', tenant.id)).toBe(0);
    expect(await rowCount('account', tenant.id)).toBe(0);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM sync_rejects').first<{ n: number }>())!.n).toBe(0);

    await clearFaults();
    const next = await syncConnector(env, connectorId);
    expect(next.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    await expectDestinationEqualsSalesforce(tenant.id);
  });

  it('is rate limited, never succeeded, when Salesforce refuses requests, and resumes when it accepts them again', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const { max } = await control<{ max: number }>('GET', '/api-usage');
    await control('PUT', '/api-usage', { used: max });

    const limited = await syncConnector(env, connectorId);
    expect(limited.tables.map((t) => [t.table, t.status, t.errorCode])).toEqual([
      ['account', 'rate_limited', 'REQUEST_LIMIT_EXCEEDED'],
      ['contact', 'rate_limited', 'REQUEST_LIMIT_EXCEEDED'],
    ]);
    expect([limited.more, limited.backoffSeconds]).toEqual([false, 15 * 60]);
    // The next tick is paused too (Salesforce said the allowance is spent, so it need not ask again).
    const paused = await syncConnector(env, connectorId);
    expect(paused.tables.map((t) => t.status)).toEqual(['rate_limited', 'rate_limited']);
    expect(await rowCount('contact', tenant.id)).toBe(0);
    expect((await runsOf(connectorId)).every((r) => r.status === 'rate_limited')).toBe(true);

    // A connector interval later, with the allowance freed, it carries on by itself.
    await control('PUT', '/api-usage', { used: 100 });
    const resumed = await syncConnector(env, connectorId, { now: new Date(Date.now() + 16 * 60_000) });
    expect(resumed.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    await expectDestinationEqualsSalesforce(tenant.id);
  });
});

// ── records that cannot be converted ────────────────────────────────────────────────────────────────────────

describe('a record that cannot be converted', () => {
  // Salesforce's Email holds 80 characters, less than emailaddress1's 100, so no email can overflow; LastName holds
  // 80 where lastname holds 50: a 60-character last name is valid in Salesforce and cannot be written here.
  const LONG_NAME = 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh-Smythe'; // 60 characters
  const rejects = () => env.DB.prepare('SELECT table_name, salesforce_id, reason, run_id FROM sync_rejects').all<Record<string, string>>().then((r) => r.results);
  const lastNameOf = async (tenantId: string, id: string) =>
    (await env.DB.prepare('SELECT lastname FROM contact WHERE tenant_id = ?1 AND contactid = ?2').bind(tenantId, guidFromSalesforceId(id)).first<{ lastname: string }>())?.lastname;

  it('is rejected with a reason, the rest is written, the run still succeeds, and fixing it clears the reject', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const [bad, later] = (await control<{ records: { Id: string; LastName: string }[] }>('POST', '/query', { soql: 'SELECT Id, LastName FROM Contact LIMIT 2' })).records;
    expect(LONG_NAME).toHaveLength(60);
    await control('PATCH', `/records/Contact/${bad!.Id}`, { LastName: LONG_NAME });

    const first = await syncConnector(env, connectorId);
    const contacts = (await control<{ count: number }>('GET', '/records/Contact')).count;
    expect(first.tables.find((t) => t.table === 'contact')).toMatchObject({ status: 'succeeded', read: contacts, upserted: contacts - 1, rejected: 1 });
    const [reject] = await rejects();
    expect(reject).toMatchObject({ table_name: 'contact', salesforce_id: bad!.Id });
    expect(reject!.reason).toBe('LastName is 60 characters long; lastname holds at most 50');
    const run = await env.DB.prepare("SELECT id, status, records_rejected FROM sync_runs WHERE table_name = 'contact'").first();
    expect(run).toEqual({ id: reject!.run_id, status: 'succeeded', records_rejected: 1 });
    expect(await rowCount('contact', tenant.id)).toBe(contacts - 1);
    expect(await lastNameOf(tenant.id, bad!.Id)).toBeUndefined();

    // A record already copied that becomes unconvertible keeps its last good version and is rejected too.
    await control('PATCH', `/records/Contact/${later!.Id}`, { LastName: LONG_NAME });
    const second = await syncConnector(env, connectorId);
    expect(second.tables.find((t) => t.table === 'contact')).toMatchObject({ status: 'succeeded', rejected: 2, upserted: 0 });
    expect((await rejects()).map((r) => r.salesforce_id).sort()).toEqual([bad!.Id, later!.Id].sort());
    expect(await lastNameOf(tenant.id, later!.Id)).toBe(later!.LastName);

    // Fixed in Salesforce: written, and no longer a reject.
    await control('PATCH', `/records/Contact/${bad!.Id}`, { LastName: 'Smythe' });
    await control('PATCH', `/records/Contact/${later!.Id}`, { LastName: 'Featherstonehaugh' });
    const fixed = await syncConnector(env, connectorId);
    expect(fixed.tables.find((t) => t.table === 'contact')).toMatchObject({ status: 'succeeded', rejected: 0 });
    expect(await rejects()).toEqual([]);
    await expectDestinationEqualsSalesforce(tenant.id);
  });
});
