/**
 * The sync into Dataverse end to end: the Worker in workerd reads the Salesforce emulator and writes the Dataverse
 * emulator, both over real HTTP. First load, incremental changes, deletes (hard and soft), records Dataverse refuses,
 * service protection's 429s, and crashes mid-page: afterwards Dataverse holds every live Salesforce record exactly
 * once, owned by the connector's team and linked to its account, and every run says what happened.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { syncConnector } from '../src/sync/run-connector';
import { dataverseControl, resetDataverse } from './dataverse';
import { dataverseConnector, dataverseRows, expectDataverseEqualsSalesforce } from './dataverse-connector';
import { control, freshOrgAndTenants } from './emulator';
import { call } from './helpers';
import { crashAt, syncUntilDone } from './sync-helpers';
import { clearLease, runsOf, salesforceRecords } from './sync-fixtures';

type Json = Record<string, any>;

beforeEach(async () => {
  await freshOrgAndTenants();
  await resetDataverse();
});

const totals = (outcomes: Awaited<ReturnType<typeof syncUntilDone>>, key: 'read' | 'upserted' | 'deleted' | 'rejected') => outcomes.flatMap((o) => o.tables).reduce((sum, t) => sum + t[key], 0);

describe('a connector writing to Dataverse', () => {
  it('lands a first load in Dataverse with owner and account links, in few $batch requests, then follows changes', async () => {
    await control('POST', '/seed', { accounts: 30, contacts: 300 });
    const { connectorId, teamId, tenant } = await dataverseConnector();
    await dataverseControl('DELETE', '/calls');
    const first = await syncUntilDone(connectorId);
    expect(totals(first, 'upserted')).toBe(330);
    expect(totals(first, 'rejected')).toBe(0);
    await expectDataverseEqualsSalesforce(teamId);
    // The card counts the rows written to Dataverse, not D1's (which a Dataverse connector leaves empty).
    const view = (await (await call(`/api/connectors/${connectorId}`, { key: tenant.key })).json()) as Json;
    expect(Object.fromEntries(view.tables.map((t: Json) => [t.table, t.rows]))).toEqual({ account: 30, contact: 300 });
    const calls = await dataverseControl<Json>('GET', '/calls');
    expect(calls.batchOperations).toBe(330);
    // One $batch per page (two tables, one page each) plus the columns' metadata: nowhere near one request per record.
    expect(calls.webApiRequests).toBeLessThan(12);

    // Incremental: an update, a new contact, nothing else sent again.
    const [contact] = await salesforceRecords('Contact', ['Id']);
    await control('PATCH', `/records/Contact/${contact!.Id}`, { LastName: 'Renamed' });
    const [account] = await salesforceRecords('Account', ['Id']);
    await control('POST', '/records/Contact', { LastName: 'Newcomer', AccountId: account!.Id });
    await dataverseControl('DELETE', '/calls');
    await clearLease();
    const next = await syncConnector(env, connectorId, { now: new Date(Date.now() + 16 * 60_000) });
    expect(next.tables.map((t) => [t.table, t.status, t.upserted])).toEqual([
      ['account', 'succeeded', 0],
      ['contact', 'succeeded', 2],
    ]);
    expect((await dataverseControl<Json>('GET', '/calls')).batchOperations).toBe(2);
    await expectDataverseEqualsSalesforce(teamId);
  });

  it.each(['hard', 'soft'] as const)('follows %s deletes: the row removed, or deactivated and kept', async (deleteMode) => {
    await control('POST', '/seed', { accounts: 3, contacts: 20 });
    const { connectorId, teamId } = await dataverseConnector({ deleteMode });
    await syncUntilDone(connectorId);
    const gone = (await salesforceRecords('Contact', ['Id'])).slice(0, 4).map((r) => String(r.Id));
    for (const id of gone) await control('DELETE', `/records/Contact/${id}`);
    // One of them was already removed in Dataverse by someone else: a 404 on delete is success.
    await dataverseControl('DELETE', `/rows/contact/${guidFromSalesforceId(gone[0]!)}`);
    await clearLease();
    const outcome = await syncConnector(env, connectorId, { now: new Date(Date.now() + 16 * 60_000) });
    const contact = outcome.tables.find((t) => t.table === 'contact')!;
    expect([contact.status, contact.deleted, contact.rejected]).toEqual(['succeeded', 3, 0]);
    await expectDataverseEqualsSalesforce(teamId, deleteMode === 'hard' ? 'absent' : 'inactive');
    const rows = await dataverseRows('contact');
    if (deleteMode === 'soft') for (const id of gone.slice(1)) expect(rows.get(guidFromSalesforceId(id))).toMatchObject({ statecode: 1, statuscode: 2 });
    else for (const id of gone) expect(rows.has(guidFromSalesforceId(id))).toBe(false);
  });

  it("records what Dataverse refuses as rejects with Dataverse's code and message; a contact waits for its account's link", async () => {
    await control('POST', '/seed', { accounts: 5, contacts: 10 });
    const accounts = await salesforceRecords('Account', ['Id']);
    const refusedAccount = String(accounts[0]!.Id);
    // Salesforce takes a negative head count; Dataverse's numberofemployees is 0 to 1,000,000,000.
    await control('PATCH', `/records/Account/${refusedAccount}`, { NumberOfEmployees: -5 });
    const { tenant, connectorId, teamId } = await dataverseConnector();
    const outcomes = await syncUntilDone(connectorId);
    const account = outcomes[0]!.tables.find((t) => t.table === 'account')!;
    expect([account.status, account.upserted, account.rejected]).toEqual(['succeeded', 4, 1]);
    expect((await dataverseRows('account')).size).toBe(4);
    const rejects = (await (await call(`/api/connectors/${connectorId}/rejects`, { key: tenant.key })).json()) as Json[];
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ table: 'account', salesforceId: refusedAccount });
    expect(rejects[0]!.reason).toMatch(/^Dataverse refused it \(0x80044331\): .*numberofemployees/);

    // Its contacts are written without the account link (Dataverse has no such account), not rejected...
    const contact = outcomes[0]!.tables.find((t) => t.table === 'contact')!;
    expect([contact.upserted, contact.rejected]).toEqual([10, 0]);
    const orphans = (await salesforceRecords('Contact', ['Id', 'AccountId'])).filter((c) => c.AccountId === refusedAccount).map((c) => guidFromSalesforceId(String(c.Id)));
    expect(orphans.length).toBeGreaterThan(0);
    const rows = await dataverseRows('contact');
    for (const guid of orphans) expect(rows.get(guid)?.parentcustomerid ?? null).toBeNull();

    // Fixed in Salesforce, the admin retries it: the retry writes to the connector's destination, Dataverse.
    await control('PATCH', `/records/Account/${refusedAccount}`, { NumberOfEmployees: 5 });
    await clearLease();
    const retried = await call(`/api/connectors/${connectorId}/rejects/retry`, { key: tenant.key, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(await retried.json()).toEqual({ tables: [{ table: 'account', retried: 1, written: 1, stillRejected: 0, notFound: 0 }] });
    expect((await dataverseRows('account')).get(guidFromSalesforceId(refusedAccount))?.numberofemployees).toBe(5);
    expect((await (await call(`/api/connectors/${connectorId}/rejects`, { key: tenant.key })).json()) as Json[]).toEqual([]);

    // ...and its contacts are linked on the next page, now that the account is in Dataverse.
    await clearLease();
    await syncConnector(env, connectorId, { now: new Date(Date.now() + 16 * 60_000) });
    await expectDataverseEqualsSalesforce(teamId);
    expect((await (await call(`/api/connectors/${connectorId}/rejects`, { key: tenant.key })).json()) as Json[]).toEqual([]);
  });

  it('waits out a short Retry-After, and stops rate_limited at a long one, resuming later with nothing lost', async () => {
    await control('POST', '/seed', { accounts: 3, contacts: 30 });
    const { connectorId, teamId } = await dataverseConnector();
    // Two requests per second: the writer's metadata reads and batches meet 429s and wait them out.
    await dataverseControl('PUT', '/service-protection', { requests: 2, windowSeconds: 1 });
    await dataverseControl('DELETE', '/calls');
    await syncUntilDone(connectorId);
    await expectDataverseEqualsSalesforce(teamId);
    expect((await dataverseControl<Json>('GET', '/calls')).throttled).toBeGreaterThan(0);

    // A window far longer than the invocation: the run stops rate_limited, its cursor before the page.
    await control('PATCH', `/records/Account/${(await salesforceRecords('Account', ['Id']))[0]!.Id}`, { Name: 'Throttled Inc.' });
    await control('PATCH', `/records/Contact/${(await salesforceRecords('Contact', ['Id']))[0]!.Id}`, { LastName: 'Throttled' });
    await dataverseControl('PUT', '/service-protection', { requests: 1, windowSeconds: 300 });
    await clearLease();
    const later = new Date(Date.now() + 16 * 60_000);
    const throttled = await syncConnector(env, connectorId, { now: later, limits: { maxMs: 8_000 } });
    const contact = throttled.tables.find((t) => t.table === 'contact')!;
    expect([contact.status, contact.errorCode]).toEqual(['rate_limited', 'dataverse_throttled']);
    expect(contact.errorMessage).toMatch(/asked to wait \d+ s \(0x8007232\d/);
    expect((await runsOf(connectorId)).some((r: Json) => r.status === 'rate_limited')).toBe(true);

    await dataverseControl('PUT', '/service-protection', { requests: 6000, windowSeconds: 300 });
    await clearLease();
    await syncConnector(env, connectorId, { now: new Date(later.getTime() + 16 * 60_000) });
    expect([...(await dataverseRows('contact')).values()].some((row) => row.lastname === 'Throttled')).toBe(true);
  });

  it.each([
    ['mid_batch', 'account'],
    ['mid_batch', 'contact'],
    ['after_commit', 'contact'],
  ] as const)('a crash at %s of %s (after Dataverse acknowledged) loses and duplicates nothing', async (point, table) => {
    await control('POST', '/seed', { accounts: 2100, contacts: 2100 });
    const { connectorId, teamId } = await dataverseConnector();
    const crash = crashAt(point, table, 1);
    await expect(syncConnector(env, connectorId, { hooks: crash })).rejects.toThrow();
    expect(crash.fired()).toBe(true);
    await syncUntilDone(connectorId);
    await expectDataverseEqualsSalesforce(teamId);
  });
});
