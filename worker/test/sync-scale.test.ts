/**
 * The sync engine at volume and under contention: a 100,000-contact first load through Bulk API 2.0 spread over
 * bounded invocations, a Bulk job resumed page by page after a crash, the org's API budget, and two invocations of
 * one connector at once. Each ends with the destination equal to Salesforce and runs that tell the truth.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationTable } from '../../shared/mapping/destination';
import { type CrashPoint, type SyncHooks, type SyncLimits, type SyncOutcome, syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { crashAt, syncUntilDone } from './sync-helpers';
import { clearLease, connectedConnector, expectDestinationEqualsSalesforce, runsOf } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

afterEach(async () => {
  // Neither survives a reset: put them back for the files after this one.
  await control('PUT', '/steps', { bulkJob: 1 });
  await control('DELETE', '/faults');
});

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

const seed = (accounts: number, contacts: number) => control('POST', '/seed', { accounts, contacts });
const calls = () => control<Record<string, number>>('GET', '/calls');
const sum = (outcome: SyncOutcome, key: 'read' | 'upserted' | 'deleted' | 'apiCalls') => outcome.tables.reduce((total, t) => total + t[key], 0);
const of = (outcome: SyncOutcome, table: DestinationTable) => outcome.tables.find((t) => t.table === table)!;

const JOB = 'POST /services/data/vXX.X/jobs/query';
const JOB_STATUS = 'GET /services/data/vXX.X/jobs/query/:id';
const RESULTS = 'GET /services/data/vXX.X/jobs/query/:id/results';

const upsertedIn = (runs: Record<string, unknown>[], table: DestinationTable) => runs.filter((r) => r.table_name === table).reduce((total, r) => total + Number(r.records_upserted), 0);

// ── volume ──────────────────────────────────────────────────────────────────────────────────────────────────

describe('a 100,000-contact first load', () => {
  it(
    'goes through Bulk API 2.0 over bounded invocations, each partial until the last, and copies every record once',
    async () => {
      const CONTACTS = 100_000;
      const ACCOUNTS = 10_000;
      const limits = { maxApiCalls: 20, maxRecords: 30_000, bulkPageSize: 10_000 } satisfies Partial<SyncLimits>;
      await seed(ACCOUNTS, CONTACTS);
      const { tenant, connectorId } = await connectedConnector();
      await control('DELETE', '/calls');

      const started = Date.now();
      const outcomes = await syncUntilDone(connectorId, { limits, asQueue: true });
      const elapsed = Date.now() - started;

      // Each invocation stayed within its bounds, and said whether it finished.
      for (const outcome of outcomes) {
        expect(sum(outcome, 'apiCalls')).toBeLessThanOrEqual(limits.maxApiCalls);
        expect(sum(outcome, 'read')).toBeLessThanOrEqual(limits.maxRecords + limits.bulkPageSize);
      }
      for (const outcome of outcomes.slice(0, -1)) {
        expect(outcome.more).toBe(true);
        expect(outcome.tables.every((t) => t.status === 'partial' || t.status === 'succeeded')).toBe(true);
        expect(outcome.tables.some((t) => t.status === 'partial')).toBe(true);
      }
      expect(outcomes.at(-1)!.tables.every((t) => t.status === 'succeeded')).toBe(true);
      // Accounts are done in the first invocation; the ones that carry on leave them alone.
      expect(of(outcomes[0]!, 'account').status).toBe('succeeded');
      for (const outcome of outcomes.slice(1)) expect(outcome.tables.map((t) => t.table)).toEqual(['contact']);
      expect(outcomes.length).toBeGreaterThanOrEqual(Math.ceil((CONTACTS + ACCOUNTS) / (limits.maxRecords + limits.bulkPageSize)));

      // Every record written once and read once (the contact that ends the first REST page is read again by the Bulk
      // job, which starts at its stamp). Tables already done sit out the invocations that carry on.
      const read = (table: DestinationTable) => outcomes.reduce((total, o) => total + (o.tables.find((t) => t.table === table)?.read ?? 0), 0);
      const upserted = (table: DestinationTable) => outcomes.reduce((total, o) => total + (o.tables.find((t) => t.table === table)?.upserted ?? 0), 0);
      expect([read('contact'), upserted('contact')]).toEqual([CONTACTS + 1, CONTACTS]);
      expect([read('account'), upserted('account')]).toEqual([ACCOUNTS, ACCOUNTS]);
      const runs = await runsOf(connectorId);
      expect(runs.filter((r) => r.status === 'partial').length).toBe(runs.length - 2);
      expect(upsertedIn(runs, 'contact')).toBe(CONTACTS);

      // Contacts through a first REST page then one Bulk API 2.0 job, read page by page; accounts (below the threshold)
      // through Composite.
      const made = await calls();
      expect(made[JOB]).toBe(1);
      expect(made[RESULTS]).toBe(CONTACTS / limits.bulkPageSize);
      expect(made['POST /services/data/vXX.X/composite']).toBeGreaterThanOrEqual(ACCOUNTS / 2000 / 5);
      expect(made['GET /services/data/vXX.X/queryAll']).toBeUndefined();
      const apiCalls = outcomes.reduce((total, o) => total + sum(o, 'apiCalls'), 0);

      await expectDestinationEqualsSalesforce(tenant.id, ['account', 'contact'], 97);

      // The watermark stands where the load ended: the next tick reads the re-read window, not the tables again.
      await clearLease();
      const next = await syncConnector(env, connectorId, { limits });
      expect(next.tables.map((t) => [t.status, t.upserted])).toEqual([
        ['succeeded', 0],
        ['succeeded', 0],
      ]);
      expect(sum(next, 'read')).toBeLessThan(1000);
      console.info(
        `100k first load: ${elapsed} ms, ${outcomes.length} invocations, ${apiCalls} API calls, ${Math.round((CONTACTS + ACCOUNTS) / apiCalls)} records per call; calls ${JSON.stringify(made)}`,
      );
    },
    180_000,
  );
});

// ── Bulk API 2.0 ────────────────────────────────────────────────────────────────────────────────────────────

describe('a Bulk API 2.0 first load', () => {
  // A first REST page of 2,000 contacts leaves 1,199 above a threshold of 100: one job from that page's last stamp
  // (1,200 records, that one again), waited for over two status checks, read in six pages of 200.
  const CONTACTS = 3199;
  const REST_PAGE = 2000;
  const BULK_ROWS = CONTACTS - REST_PAGE + 1;
  const limits = { bulkThreshold: 100, bulkPageSize: 200 } satisfies Partial<SyncLimits>;
  const PAGES = BULK_ROWS / limits.bulkPageSize;

  it.each([
    ['after the second page', 2],
    ['after the last page', PAGES],
  ])('crashed %s resumes at the next locator of the same job, and writes no page twice', async (_, page) => {
    await seed(20, CONTACTS);
    await control('PUT', '/steps', { bulkJob: 2 });
    const { tenant, connectorId } = await connectedConnector();
    await control('DELETE', '/calls');

    // The REST page is the first commit of contacts.
    await expect(syncConnector(env, connectorId, { limits, hooks: crashAt('after_commit', 'contact', 1 + page) })).rejects.toThrow('crash injected');
    const bulkCommitted = page * limits.bulkPageSize;
    const committed = REST_PAGE + bulkCommitted;
    const cursor = await env.DB.prepare("SELECT * FROM sync_cursors WHERE table_name = 'contact'").first<Record<string, unknown>>();
    if (page < PAGES) expect(cursor).toMatchObject({ phase: 'initial', loaded: committed, next_page: expect.any(String), bulk_job_id: expect.any(String) });
    else expect(cursor).toMatchObject({ phase: 'incremental', next_page: null, bulk_job_id: null });
    const afterCrash = await calls();
    expect(afterCrash[JOB]).toBe(1);
    expect(afterCrash[JOB_STATUS]).toBe(3); // in progress, in progress, complete
    // The pages committed, and — when a page followed — the next one, asked for while the crashed page was written.
    const askedAhead = page < PAGES ? 1 : 0;
    expect(afterCrash[RESULTS]).toBe(page + askedAhead);

    const recovery = await syncUntilDone(connectorId, { limits, asQueue: true });
    const reread = recovery.reduce((total, o) => total + of(o, 'contact').read, 0);
    // The rest of the job, and nothing more; once the job was done, only the next pass's re-read window.
    if (page < PAGES) expect(reread).toBe(BULK_ROWS - bulkCommitted);
    else expect(reread).toBeLessThan(limits.bulkPageSize);
    const made = await calls();
    expect(made[JOB]).toBe(1);
    // Every page once, but for the one asked ahead of the crash, whose answer the crash dropped.
    expect(made[RESULTS]).toBe(PAGES + askedAhead);

    await expectDestinationEqualsSalesforce(tenant.id);
    const runs = await runsOf(connectorId);
    // Only a table whose pass was under way at the crash is interrupted (account's was done, and so was contact's after
    // its last page); every record is counted once across the runs, the interrupted one included.
    expect(runs.filter((r) => r.error_code === 'interrupted').map((r) => r.table_name)).toEqual(page < PAGES ? ['contact'] : []);
    expect(upsertedIn(runs, 'contact')).toBe(CONTACTS);
  });

  it('starts a job Salesforce no longer has again, from where the REST page ended, and loses nothing', async () => {
    await seed(20, CONTACTS);
    const { tenant, connectorId } = await connectedConnector({ tables: ['contact'] });
    const first = await syncConnector(env, connectorId, { limits: { ...limits, maxRecords: REST_PAGE + 400 } });
    expect(of(first, 'contact')).toMatchObject({ status: 'partial', read: REST_PAGE + 400 });
    // Salesforce deletes a job's results after seven days: the next page answers 404 NOT_FOUND.
    const gone = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
    await control('POST', '/faults', { kind: 'error', path: '/results$', status: 404, body: gone, times: 1 });

    await syncUntilDone(connectorId, { limits, asQueue: true });
    expect((await calls())[JOB]).toBe(2);
    const cursor = await env.DB.prepare("SELECT phase, bulk_job_id, queried_at FROM sync_cursors WHERE table_name = 'contact'").first();
    expect(cursor).toEqual({ phase: 'incremental', bulk_job_id: null, queried_at: null });
    await expectDestinationEqualsSalesforce(tenant.id, ['contact']);
  });

  it('moves the watermark only as far as the job saw, so edits made while it was read are picked up', async () => {
    await seed(20, CONTACTS);
    const { tenant, connectorId } = await connectedConnector({ tables: ['contact'] });
    const { records } = await control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact ORDER BY Id' });
    // The REST page and the job's first pages are read; then a record in them and a record in a later page change, in
    // that order.
    const first = await syncConnector(env, connectorId, { limits: { ...limits, maxRecords: REST_PAGE + 400 } });
    expect(of(first, 'contact')).toMatchObject({ status: 'partial', read: REST_PAGE + 400 });
    await control('PATCH', `/records/Contact/${records[REST_PAGE + 10]!.Id}`, { LastName: 'Changed after it was copied' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await control('PATCH', `/records/Contact/${records[CONTACTS - 100]!.Id}`, { LastName: 'Changed before it was copied' });
    await syncUntilDone(connectorId, { limits, asQueue: true });
    // The next tick, well past the re-read window.
    await clearLease();
    await syncConnector(env, connectorId, { limits, now: new Date(Date.now() + 16 * 60_000) });
    await expectDestinationEqualsSalesforce(tenant.id, ['contact']);
  });
});

// ── contention and budget ───────────────────────────────────────────────────────────────────────────────────

describe('two invocations of one connector at once', () => {
  it('run as one: the other stands back, and nothing is processed twice', async () => {
    await seed(200, 6000);
    const { tenant, connectorId } = await connectedConnector();
    const [a, b] = await Promise.all([syncConnector(env, connectorId), syncConnector(env, connectorId)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const ran = a.ran ? a : b;
    const stoodBack = a.ran ? b : a;
    expect(stoodBack).toEqual({ connectorId, ran: false, more: false, backoffSeconds: null, tables: [] });
    expect(ran.tables.map((t) => [t.table, t.status, t.read, t.upserted])).toEqual([
      ['account', 'succeeded', 200, 200],
      ['contact', 'succeeded', 6000, 6000],
    ]);
    const runs = await runsOf(connectorId);
    expect(runs).toHaveLength(2);
    expect(upsertedIn(runs, 'contact') + upsertedIn(runs, 'account')).toBe(6200);
    expect((await env.DB.prepare('SELECT lease_until FROM connectors WHERE id = ?1').bind(connectorId).first())!.lease_until).toBeNull();
    await expectDestinationEqualsSalesforce(tenant.id);
  });
});

describe('the org’s API budget', () => {
  it('pauses the sync below the reserve without writing, and resumes when usage falls', async () => {
    const { max } = await control<{ max: number }>('GET', '/api-usage');
    await control('PUT', '/api-usage', { used: Math.round(max * 0.6) }); // 40 % left, the connector keeps 50 %
    // Turning access on reads the usage (its last check runs as the integration user), so the sync knows it up front.
    const { tenant, connectorId } = await connectedConnector({ budgetThreshold: 0.5 });

    const paused = await syncConnector(env, connectorId);
    expect(paused.tables.map((t) => [t.table, t.status, t.errorCode, t.read, t.upserted])).toEqual([
      ['account', 'rate_limited', 'api_budget_reserved', 0, 0],
      ['contact', 'rate_limited', 'api_budget_reserved', 0, 0],
    ]);
    // Not "more work now": the queue sends it back after the connector's interval.
    expect([paused.more, paused.backoffSeconds]).toEqual([false, 15 * 60]);
    expect(paused.tables[0]!.errorMessage).toMatch(/50 %/);
    expect(sum(paused, 'apiCalls')).toBeLessThanOrEqual(1); // at most the call that read the usage
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM contact').first<{ n: number }>())!.n).toBe(0);
    expect((await runsOf(connectorId)).map((r) => [r.status, r.error_code])).toEqual([
      ['rate_limited', 'api_budget_reserved'],
      ['rate_limited', 'api_budget_reserved'],
    ]);

    // Next tick, same usage: still paused, and no call spent finding that out again.
    const still = await syncConnector(env, connectorId);
    expect(still.tables.map((t) => t.status)).toEqual(['rate_limited', 'rate_limited']);
    expect(sum(still, 'apiCalls')).toBe(0);

    // Usage falls (the 24-hour window moves on); a connector interval later the sync notices and completes.
    await control('PUT', '/api-usage', { used: Math.round(max * 0.1) });
    const resumed = await syncConnector(env, connectorId, { now: new Date(Date.now() + 16 * 60_000) });
    expect(resumed.tables.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(resumed.more).toBe(false);
    await expectDestinationEqualsSalesforce(tenant.id);
    expect((await env.DB.prepare('SELECT used, max FROM api_usage').first())).toEqual({ used: expect.any(Number), max });
  });
});
