/**
 * Records purged from Salesforce (emptied from the recycle bin, or hard-deleted) leave the copy: while the connector
 * runs, through the deleted-records log read inside the pass's own Composite call (a quiet tick stays one API call);
 * after it was off longer than the log reaches back, through an Id reconciliation — which, cut short, deletes nothing.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { requestReconciliationStatement } from '../src/db/reconciliations';
import { type SyncOptions, syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { call } from './helpers';
import { clearLease, connectedConnector, destinationRows, expectDestinationEqualsSalesforce, salesforceRecords } from './sync-fixtures';
import { crashAt, orgClock, syncUntilDone } from './sync-helpers';

const MINUTE = 60_000;
const clock = orgClock();
const { at: clockAt, advance } = clock;
async function sync(connectorId: string, options: SyncOptions = {}) {
  await clearLease();
  return syncConnector(env, connectorId, { now: clock.now, ...options });
}
const callsMade = async () => Object.values(await control<Record<string, number>>('GET', '/calls')).reduce((sum, n) => sum + n, 0);
const runsOf = async (connectorId: string, mode: string) =>
  (await env.DB.prepare('SELECT * FROM sync_runs WHERE connector_id = ?1 AND mode = ?2 ORDER BY started_at').bind(connectorId, mode).all<Record<string, unknown>>()).results;

beforeEach(async () => {
  await freshOrgAndTenants();
  await clockAt(new Date(Math.floor(Date.now() / MINUTE) * MINUTE));
});
afterEach(() => control('PUT', '/clock', { time: new Date().toISOString(), frozen: false }));

describe('purged while the connector runs', () => {
  it('leaves the copy on the next tick, read in the same Composite call; a quiet tick is still one API call', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await sync(connectorId);
    await advance(5);
    await sync(connectorId); // describes cached from here on
    const [purged, binnedThenPurged] = await salesforceRecords('Contact', ['Id']);
    const [account] = await salesforceRecords('Account', ['Id']);
    await advance(5);
    await control('POST', `/records/Contact/${purged!.Id}/purge`);
    await control('POST', `/records/Account/${account!.Id}/purge`);
    await control('DELETE', `/records/Contact/${binnedThenPurged!.Id}`);
    await advance(5);
    await sync(connectorId);
    await control('POST', `/records/Contact/${binnedThenPurged!.Id}/purge`);
    await advance(5);

    await control('DELETE', '/calls');
    const outcome = await sync(connectorId);
    expect(await control('GET', '/calls')).toEqual({ 'POST /services/data/vXX.X/composite': 1 });
    expect(outcome.tables.every((t) => t.status === 'succeeded')).toBe(true);
    await expectDestinationEqualsSalesforce(tenant.id);
    const contacts = await destinationRows('contact', tenant.id);
    expect(contacts.some((r) => r.contactid === guidFromSalesforceId(String(purged!.Id)))).toBe(false);
    expect(outcome.reconciliations).toEqual([]);

    await advance(5);
    await control('DELETE', '/calls');
    const quiet = await sync(connectorId);
    expect(await callsMade()).toBe(1);
    expect(quiet.tables.reduce((sum, t) => sum + t.apiCalls, 0)).toBe(1);
    expect(quiet.tables.every((t) => t.upserted === 0 && t.deleted === 0)).toBe(true);
  });

  it('marks purged records deleted in soft mode, and keeps one undeleted since', async () => {
    const { tenant, connectorId } = await connectedConnector({ deleteMode: 'soft' });
    await sync(connectorId);
    const [purged, undeleted] = await salesforceRecords('Contact', ['Id']);
    await advance(5);
    await control('POST', `/records/Contact/${purged!.Id}/purge`);
    await control('DELETE', `/records/Contact/${undeleted!.Id}`);
    await advance(1);
    await control('POST', `/records/Contact/${undeleted!.Id}/undelete`);
    await advance(5);
    await sync(connectorId);
    const rows = await destinationRows('contact', tenant.id);
    expect(rows.find((r) => r.contactid === guidFromSalesforceId(String(purged!.Id)))!.forcebridge_deleted_at).not.toBeNull();
    expect(rows.find((r) => r.contactid === guidFromSalesforceId(String(undeleted!.Id)))!.forcebridge_deleted_at).toBeNull();
  });
});

describe('the delete log fails inside the pass', () => {
  it('keeps the window after a 5xx and reads it again on the next tick, without a reconciliation', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await sync(connectorId);
    await advance(5);
    await sync(connectorId);
    const [purged] = await salesforceRecords('Contact', ['Id']);
    await advance(5);
    await control('POST', `/records/Contact/${purged!.Id}/purge`);
    await advance(5);
    await control('POST', '/faults', { kind: 'error', path: '/sobjects/Contact/deleted', subrequest: true, status: 503 });

    const failed = await sync(connectorId);
    expect(failed.reconciliations).toEqual([]);
    expect((await env.DB.prepare('SELECT requested_at FROM reconciliations WHERE connector_id = ?1 AND table_name = ?2').bind(connectorId, 'contact').first())?.requested_at ?? null).toBeNull();
    const purgedGuid = guidFromSalesforceId(String(purged!.Id));
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === purgedGuid)).toBe(true);
    expect((await control<{ applied: number }[]>('GET', '/faults'))[0]!.applied).toBe(1);

    // Hours later (the watermark has moved past the purge), the log is read again from where it last answered.
    await advance(3 * 60);
    await control('DELETE', '/calls');
    const retried = await sync(connectorId);
    expect(await callsMade()).toBe(1);
    expect(retried.reconciliations).toEqual([]);
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === purgedGuid)).toBe(false);
    await expectDestinationEqualsSalesforce(tenant.id);
    expect(await runsOf(connectorId, 'reconcile')).toEqual([]);
  });

  it('asks for a reconciliation when Salesforce answers INVALID_REPLICATION_DATE', async () => {
    const { connectorId } = await connectedConnector();
    await sync(connectorId);
    await advance(5);
    await control('POST', '/faults', {
      kind: 'error',
      path: '/sobjects/Contact/deleted',
      subrequest: true,
      status: 400,
      body: [{ errorCode: 'INVALID_REPLICATION_DATE', message: 'startDate before org replication enabled date' }],
    });
    await syncUntilDone(connectorId, { now: clock.now });
    expect((await runsOf(connectorId, 'reconcile')).map((r) => r.table_name)).toEqual(['contact']);
  });
});

describe('purged while the connector was off longer than the delete log reaches back', () => {
  it('reconciles every Id with Bulk API 2.0 and the copy equals Salesforce, recorded as its own run', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await sync(connectorId);
    const [purged] = await salesforceRecords('Contact', ['Id']);
    await advance(60);
    await control('POST', `/records/Contact/${purged!.Id}/purge`);
    const added = await control<{ id: string }>('POST', '/records/Contact', { LastName: 'Arrived while off' });
    await advance(16 * 24 * 60);

    await syncUntilDone(connectorId, { now: clock.now });
    await expectDestinationEqualsSalesforce(tenant.id);
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === guidFromSalesforceId(added.id))).toBe(true);
    const run = (await runsOf(connectorId, 'reconcile')).find((r) => r.table_name === 'contact');
    expect(run).toMatchObject({ status: 'succeeded', records_deleted: 1, records_read: (await salesforceRecords('Contact', ['Id'])).length });
    const account = (await runsOf(connectorId, 'reconcile')).find((r) => r.table_name === 'account');
    expect(account).toMatchObject({ status: 'succeeded', records_deleted: 0 });

    // Done: the next tick is a plain pass again.
    await advance(5);
    const next = await sync(connectorId);
    expect(next.reconciliations).toEqual([]);
  });

  it('deletes nothing when the reconciliation is interrupted, and finishes on the next run', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await sync(connectorId);
    const [purged] = await salesforceRecords('Contact', ['Id']);
    await advance(5);
    await control('POST', `/records/Contact/${purged!.Id}/purge`);
    await requestReconciliationStatement(env.DB, connectorId, 'contact', 'requested', clock.now.toISOString()).run();
    // The pass would read the purge from the delete log: keep it out of the log's reach to leave it to the reconciliation.
    await env.DB.prepare("UPDATE sync_cursors SET watermark = ?1 WHERE connector_id = ?2").bind(new Date(clock.now.getTime() + MINUTE).toISOString(), connectorId).run();
    await advance(5);

    const hooks = crashAt('reconcile_staged', 'contact', 2);
    await expect(sync(connectorId, { hooks, limits: { bulkPageSize: 3 } })).rejects.toThrow(/crash injected/);
    expect(hooks.fired()).toBe(true);
    const purgedGuid = guidFromSalesforceId(String(purged!.Id));
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === purgedGuid)).toBe(true);

    await syncUntilDone(connectorId, { now: clock.now, limits: { bulkPageSize: 3 } });
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === purgedGuid)).toBe(false);
    await expectDestinationEqualsSalesforce(tenant.id);
    const runs = await runsOf(connectorId, 'reconcile');
    expect(runs[0]).toMatchObject({ status: 'failed', error_code: 'interrupted', records_deleted: 0 });
    expect(String(runs[0]!.error_message)).toMatch(/Nothing was deleted on partial evidence/);
    expect(runs.at(-1)).toMatchObject({ status: 'succeeded', records_deleted: 1 });
  });
});

describe('Reconcile now', () => {
  it('asks every table for a reconciliation and starts a run; the view shows its result', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await sync(connectorId);
    const answer = await call(`/api/connectors/${connectorId}/reconcile`, { method: 'POST', key: tenant.key });
    expect(answer.status).toBe(202);
    const asked = (await answer.json()) as { tables: { table: string; reconciliation: { requestedAt: string | null; reason: string | null } }[] };
    expect(asked.tables.map((t) => t.reconciliation.reason)).toEqual(['requested', 'requested']);
    await advance(5);
    await syncUntilDone(connectorId, { now: clock.now });
    const view = (await (await call(`/api/connectors/${connectorId}`, { key: tenant.key })).json()) as {
      reconcileEveryDays: number;
      tables: { lastRun: { mode: string }; reconciliation: { requestedAt: string | null; lastRun: { mode: string; status: string } | null } }[];
    };
    expect(view.reconcileEveryDays).toBe(7);
    for (const t of view.tables) {
      expect(t.lastRun.mode).not.toBe('reconcile');
      expect(t.reconciliation).toMatchObject({ requestedAt: null, lastRun: { mode: 'reconcile', status: 'succeeded' } });
    }
  });

  it('refuses an inactive connector and a schedule out of range, saying what to do', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await call(`/api/connectors/${connectorId}/deactivate`, { method: 'POST', key: tenant.key });
    const inactive = await call(`/api/connectors/${connectorId}/reconcile`, { method: 'POST', key: tenant.key });
    expect(inactive.status).toBe(409);
    expect(await inactive.json()).toMatchObject({ error: { code: 'connector_inactive' } });
    const bad = await call(`/api/connectors/${connectorId}`, { method: 'PATCH', key: tenant.key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reconcileEveryDays: 365 }) });
    expect(bad.status).toBe(400);
    const ok = await call(`/api/connectors/${connectorId}`, { method: 'PATCH', key: tenant.key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reconcileEveryDays: 1 }) });
    expect(((await ok.json()) as { effects: string[] }).effects).toContain('Compares every Id with Salesforce every 1 days, removing records purged there.');
  });
});
