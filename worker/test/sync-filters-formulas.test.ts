/**
 * Row filters and formula refresh (issue 17) against the emulated org: a record leaving or entering a table's filter
 * is reflected on the next tick inside the pass's one Composite call; a formula whose input changed without the
 * record's SystemModstamp moving is caught by the formula refresh; bad filters and unreadable formula fields are said
 * in their own words.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../shared/api';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { insertConnectorStatements, updateConnectorStatement } from '../src/db/connectors';
import { type SyncOptions, syncConnector } from '../src/sync/run-connector';
import { turnOn, updatePermissions } from './connection-driver';
import { control, freshOrgAndTenants, inspectOrg } from './emulator';
import { call, newTenant } from './helpers';
import { clearLease, connectedConnector, destinationRows, salesforceRecords } from './sync-fixtures';
import { crashAt, syncUntilDone } from './sync-helpers';

beforeEach(freshOrgAndTenants);

const json = (method: string, key: string, body: unknown) => ({ method, key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const emulatorCalls = async () => Object.values((await control<Record<string, number>>('GET', '/calls')) ?? {}).reduce((sum, n) => sum + n, 0);

/** The next tick: the connector is due again, its lease gone. */
async function tick(connectorId: string, options: SyncOptions = {}) {
  await clearLease();
  await env.DB.prepare('UPDATE connectors SET next_run_at = NULL WHERE id = ?1').bind(connectorId).run();
  return syncConnector(env, connectorId, options);
}

/** A connector copying contacts, with the formula Account_Name__c mapped to nickname. */
async function formulaConnector(options: { grant: boolean }) {
  const tenant = await newTenant();
  const connection = await turnOn(tenant.key);
  const id = crypto.randomUUID();
  await env.DB.batch([
    ...insertConnectorStatements(
      env.DB,
      { id, tenant_id: tenant.id, connection_id: connection.id, name: 'Contacts', team_name: 'Sales', team_id: guidFromSalesforceId('00G000000000001'), interval_minutes: 15, delete_mode: 'hard', budget_threshold: 0.2 },
      [{ table: 'contact', mapping: { ...DEFAULT_MAPPINGS.contact, nickname: 'Account_Name__c' } }],
    ),
    updateConnectorStatement(env.DB, id, { active: 1 }),
  ]);
  // The permission set grants Read on what the connection's connectors map: the new mapping needs an update.
  if (options.grant) await updatePermissions(tenant.key, connection.id);
  return { tenant, connection, connectorId: id };
}

describe('formula refresh', () => {
  it('brings a contact’s formula value up to date after its account is renamed, recorded as its own kind of run', async () => {
    const { tenant, connectorId } = await formulaConnector({ grant: true });
    expect((await syncConnector(env, connectorId)).tables[0]).toMatchObject({ status: 'succeeded' });
    const contact = (await salesforceRecords('Contact', ['Id', 'AccountId', 'Account_Name__c'])).find((c) => c.AccountId)!;
    const rowOf = async () => (await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(String(contact.Id)))!;
    expect((await rowOf()).nickname).toBe(contact.Account_Name__c);

    await tick(connectorId); // the first refresh is due one cadence after the load
    await control('PATCH', `/records/Account/${contact.AccountId}`, { Name: 'Renamed Holdings' });
    const siblings = (await salesforceRecords('Contact', ['Id', 'AccountId'])).filter((c) => c.AccountId === contact.AccountId).length;

    // The contact's SystemModstamp did not move: the incremental pass alone leaves the copy stale.
    expect((await tick(connectorId)).tables[0]).toMatchObject({ status: 'succeeded', upserted: 0 });
    expect((await rowOf()).nickname).toBe(contact.Account_Name__c);

    // A cadence later, the refresh reads Id + the formula and writes only the rows whose value changed.
    await env.DB.prepare("UPDATE formula_refreshes SET started_at = '2000-01-01T00:00:00.000Z' WHERE connector_id = ?1").bind(connectorId).run();
    await tick(connectorId);
    expect((await rowOf()).nickname).toBe('Renamed Holdings');
    const run = await env.DB.prepare("SELECT * FROM sync_runs WHERE connector_id = ?1 AND mode = 'formula_refresh'").bind(connectorId).first<Record<string, unknown>>();
    expect(run).toMatchObject({ status: 'succeeded', records_upserted: siblings, api_calls: 1, error_code: null });

    const view = (await (await call(`/api/connectors/${connectorId}`, { key: tenant.key })).json()) as Connector;
    expect(view.formulaRefreshHours).toBe(24);
    expect(view.tables[0]).toMatchObject({ formulaFields: ['Account_Name__c'], formulaRefresh: { rowsChanged: siblings }, formulaRefreshApiCallsPerDay: 1 });
    const cadence = await call(`/api/connectors/${connectorId}?dryRun=true`, json('PATCH', tenant.key, { formulaRefreshHours: 6 }));
    expect(((await cadence.json()) as { effects: string[] }).effects).toEqual([expect.stringContaining('every 6 hours: at most about 4 API calls a day')]);

    // Nothing changed since: the next refresh writes nothing.
    await env.DB.prepare("UPDATE formula_refreshes SET started_at = '2000-01-01T00:00:00.000Z' WHERE connector_id = ?1").bind(connectorId).run();
    await tick(connectorId);
    const again = await env.DB.prepare("SELECT records_upserted FROM sync_runs WHERE connector_id = ?1 AND mode = 'formula_refresh' ORDER BY rowid DESC").bind(connectorId).first<{ records_upserted: number }>();
    expect(again?.records_upserted).toBe(0);
  });

  it('refreshes a table above the Bulk threshold through one Bulk API 2.0 job', async () => {
    const { tenant, connectorId } = await formulaConnector({ grant: true });
    await syncConnector(env, connectorId);
    await tick(connectorId);
    const contact = (await salesforceRecords('Contact', ['Id', 'AccountId'])).find((c) => c.AccountId)!;
    await control('PATCH', `/records/Account/${contact.AccountId}`, { Name: 'Bulk Renamed' });
    await env.DB.prepare("UPDATE formula_refreshes SET started_at = '2000-01-01T00:00:00.000Z' WHERE connector_id = ?1").bind(connectorId).run();
    await control('DELETE', '/calls');
    await tick(connectorId, { limits: { bulkThreshold: 5 } });
    const calls = await control<Record<string, number>>('GET', '/calls');
    expect(Object.keys(calls).some((route) => route.startsWith('POST') && route.includes('/jobs/query'))).toBe(true);
    const row = (await destinationRows('contact', tenant.id)).find((r) => r.forcebridge_salesforce_id === contact.Id)!;
    expect(row.nickname).toBe('Bulk Renamed');
    const run = await env.DB.prepare("SELECT status, records_upserted FROM sync_runs WHERE connector_id = ?1 AND mode = 'formula_refresh'").bind(connectorId).first<{ status: string; records_upserted: number }>();
    expect(run?.status).toBe('succeeded');
    expect(run?.records_upserted).toBeGreaterThan(0);
  });

  it('says so in its own words when the integration user cannot read a mapped formula field', async () => {
    const { connectorId } = await formulaConnector({ grant: false });
    const outcome = await syncConnector(env, connectorId);
    expect(outcome.tables[0]).toMatchObject({ status: 'failed', errorCode: 'formula_field_unreadable' });
    expect(outcome.tables[0]!.errorMessage).toContain('formula field Contact.Account_Name__c can no longer be read by the integration user');
  });
});

describe('row filters', () => {
  it('copies only matching records; one that leaves goes and one that enters arrives on the next tick, still one API call', async () => {
    const { tenant, connection, connectorId } = await connectedConnector({ tables: ['contact'] });
    const contacts = await salesforceRecords('Contact', ['Id']);
    const [leaving, staying, entering] = contacts.map((c) => String(c.Id));
    for (const id of [leaving, staying]) await control('PATCH', `/records/Contact/${id}`, { Department: 'Keep' });

    const filter = "Department = 'Keep' AND Email != null";
    const check = await call(`/api/connections/${connection.id}/filter-check`, json('POST', tenant.key, { table: 'contact', filter }));
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ matches: 2, fields: ['Department', 'Email'] });

    const dry = await call(`/api/connectors/${connectorId}?dryRun=true`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter }] }));
    expect(dry.status).toBe(200);
    const { effects } = (await dry.json()) as { effects: string[] };
    expect(effects.join(' ')).toContain(`(2 match now)`);
    expect(effects.join(' ')).toContain(`${contacts.length - 2} copied contact rows leave the copy`);
    expect(effects.join(' ')).toMatch(/about \d+ API calls/);

    expect((await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter }] }))).status).toBe(200);
    await syncConnector(env, connectorId);
    const ids = async () => (await destinationRows('contact', tenant.id)).map((r) => r.forcebridge_salesforce_id).sort();
    expect(await ids()).toEqual([leaving, staying].sort());

    await control('PATCH', `/records/Contact/${leaving}`, { Department: 'Gone' });
    await control('PATCH', `/records/Contact/${entering}`, { Department: 'Keep' });
    await tick(connectorId); // describes cached from here on
    expect(await ids()).toEqual([entering, staying].sort());

    await control('DELETE', '/calls');
    const quiet = await tick(connectorId);
    expect(await emulatorCalls()).toBe(1);
    expect(quiet.tables[0]).toMatchObject({ status: 'succeeded', upserted: 0, apiCalls: 1 });
  });

  it('marks a record that leaves the filter as deleted in soft mode', async () => {
    const { tenant, connection, connectorId } = await connectedConnector({ tables: ['contact'], deleteMode: 'soft' });
    const [first, second] = (await salesforceRecords('Contact', ['Id'])).map((c) => String(c.Id));
    for (const id of [first, second]) await control('PATCH', `/records/Contact/${id}`, { Department: 'Keep' });
    await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter: "Department = 'Keep'" }] }));
    await syncConnector(env, connectorId);
    await control('PATCH', `/records/Contact/${first}`, { Department: 'Gone' });
    await tick(connectorId);
    const rows = await destinationRows('contact', tenant.id);
    expect(rows.find((r) => r.forcebridge_salesforce_id === first)?.forcebridge_deleted_at).toBeTruthy();
    expect(rows.find((r) => r.forcebridge_salesforce_id === second)?.forcebridge_deleted_at).toBeNull();
    expect(connection.id).toBeTruthy();
  });

  it('refuses bad filters with a 400 that names the problem', async () => {
    const { tenant, connection, connectorId } = await connectedConnector({ tables: ['contact'] });
    const check = async (filter: string) => {
      const response = await call(`/api/connections/${connection.id}/filter-check`, json('POST', tenant.key, { table: 'contact', filter }));
      return { status: response.status, error: ((await response.json()) as { error?: { code: string; message: string } }).error };
    };
    expect(await check('Email != null AND')).toMatchObject({ status: 400, error: { code: 'filter_invalid' } });
    expect(await check('Nope__c = 1')).toMatchObject({ status: 400, error: { code: 'filter_invalid', message: expect.stringContaining('Contact has no field Nope__c') } });
    expect(await check("Email != null ORDER BY Email LIMIT 5")).toMatchObject({ status: 400, error: { code: 'filter_invalid', message: expect.stringContaining('condition only') } });
    expect(await check("Account.Name = 'Acme'")).toMatchObject({ status: 400, error: { code: 'filter_invalid', message: expect.stringContaining('another object') } });
    // Salesforce wants parentheses when AND and OR are mixed: the emulator refuses as it does.
    expect(await check("Email != null AND LastName = 'A' OR LastName = 'B'")).toMatchObject({ status: 400, error: { code: 'filter_invalid', message: expect.stringContaining('MALFORMED_QUERY') } });
    const saved = await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter: 'Nope__c = 1' }] }));
    expect(saved.status).toBe(400);
  });

  it('grants Read on a field only the filter reads through the permission set, and takes it away when the filter goes', async () => {
    const { tenant, connection, connectorId } = await connectedConnector({ tables: ['contact'] });
    const filter = 'account_name__c != null'; // a formula field, hidden from the integration user until granted; any case
    const grantedFields = async () => (await inspectOrg()).permissionSets.find((set) => set.Name === 'Forcebridge_permission_set')!.FieldPermissions.filter((f) => f.PermissionsRead).map((f) => f.Field);
    expect(await grantedFields()).not.toContain('Contact.Account_Name__c');

    const check = await call(`/api/connections/${connection.id}/filter-check`, json('POST', tenant.key, { table: 'contact', filter }));
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ matches: null, fields: ['Account_Name__c'], ungranted: ['Contact.Account_Name__c'] });
    const dry = (await (await call(`/api/connectors/${connectorId}?dryRun=true`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter }] }))).json()) as { effects: string[]; permissions: { covered: boolean; missing: string[] } };
    expect(dry.permissions).toEqual({ covered: false, missing: ['Contact.Account_Name__c'] });
    expect(dry.effects.join(' ')).toContain('Update permissions on the connection to add Read on Contact.Account_Name__c to the Forcebridge permission set');

    expect((await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter }] }))).status).toBe(200);
    await updatePermissions(tenant.key, connection.id);
    expect(await grantedFields()).toContain('Contact.Account_Name__c');
    const counted = (await (await call(`/api/connections/${connection.id}/filter-check`, json('POST', tenant.key, { table: 'contact', filter }))).json()) as { matches: number };
    const { records } = await control<{ records: unknown[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact WHERE Account_Name__c != null' });
    expect(counted).toMatchObject({ matches: records.length, ungranted: [] });
    expect((await (await call(`/api/connectors/${connectorId}`, { key: tenant.key })).json()) as Connector).toMatchObject({ permissions: { covered: true, missing: [] } });
    await syncUntilDone(connectorId);
    expect(await destinationRows('contact', tenant.id)).toHaveLength(records.length);

    expect((await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter: null }] }))).status).toBe(200);
    await updatePermissions(tenant.key, connection.id);
    expect(await grantedFields()).not.toContain('Contact.Account_Name__c');
  });

  describe('a filter change over more records than one invocation removes', () => {
    const CONTACTS = 4_500; // leavers in three queryAll pages of 2,000
    async function filtered() {
      await control('POST', '/seed', { accounts: 10, contacts: CONTACTS });
      const { tenant, connectorId } = await connectedConnector({ tables: ['contact'] });
      await syncUntilDone(connectorId);
      const all = await salesforceRecords('Contact', ['Id']);
      expect(all.length).toBeGreaterThanOrEqual(CONTACTS);
      expect(await destinationRows('contact', tenant.id)).toHaveLength(all.length);
      const kept = all.slice(0, 5).map((c) => String(c.Id));
      for (const id of kept) await control('PATCH', `/records/Contact/${id}`, { Department: 'Keep' });
      expect((await call(`/api/connectors/${connectorId}`, json('PATCH', tenant.key, { tables: [{ table: 'contact', filter: "Department = 'Keep'" }] }))).status).toBe(200);
      const ids = async () => (await destinationRows('contact', tenant.id)).map((r) => r.forcebridge_salesforce_id).sort();
      return { connectorId, kept: kept.sort(), ids, total: all.length };
    }
    const leaversAfter = async (connectorId: string) =>
      (await env.DB.prepare("SELECT leavers_after FROM sync_cursors WHERE connector_id = ?1 AND table_name = 'contact'").bind(connectorId).first<{ leavers_after: string | null }>())?.leavers_after;

    it('resumes after the invocation limit where it stopped: every record read once, the copy is the filtered set', async () => {
      const { connectorId, kept, ids, total } = await filtered();
      const outcomes = await syncUntilDone(connectorId, { limits: { maxApiCalls: 2 } });
      expect(outcomes.length).toBeGreaterThan(1);
      expect(outcomes[0]!.tables[0]).toMatchObject({ status: 'partial', upserted: 0, deleted: 4_000 });
      // Resumed, not started over: each leaver removed once, each match read once.
      expect(outcomes.reduce((sum, o) => sum + o.tables[0]!.read, 0)).toBe(total);
      expect(outcomes.reduce((sum, o) => sum + o.tables[0]!.deleted, 0)).toBe(total - kept.length);
      expect(await ids()).toEqual(kept);
      expect(await leaversAfter(connectorId)).toBeNull();
    });

    it('resumes after a crash between two pages of leavers: nothing lost, nothing read twice', async () => {
      const { connectorId, kept, ids, total } = await filtered();
      const hooks = crashAt('after_commit', 'contact', 2);
      await clearLease();
      await expect(syncConnector(env, connectorId, { hooks })).rejects.toThrow(/crash injected/);
      const after = await leaversAfter(connectorId);
      expect(after).toMatch(/^003/);
      expect((await ids()).length).toBe(total - 4_000);

      const outcomes = await syncUntilDone(connectorId);
      expect(outcomes.reduce((sum, o) => sum + o.tables[0]!.read, 0)).toBe(total - 4_000);
      expect(await ids()).toEqual(kept);
      const { records } = await control<{ records: { Id: string }[] }>('POST', '/query', { soql: "SELECT Id FROM Contact WHERE Department = 'Keep'" });
      expect(records.map((r) => r.Id).sort()).toEqual(kept);
    });
  });
});
