/**
 * The connector API against a connected emulated org: create with the predefined mappings, type-checked mapping
 * edits, what each change does to the data, activate/deactivate, reset, diagnostics and estimates.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Connector, ConnectorPreviewSchema, ConnectorSchema } from '../../shared/api';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { enqueueDueConnectors } from '../src/sync/fan-out';
import { syncConnector } from '../src/sync/run-connector';
import { turnOff, turnOn, updatePermissions } from './connection-driver';
import { control, freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';
import { destinationRows, salesforceRecords } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function setUp() {
  const tenant = await newTenant();
  const connection = await turnOn(tenant.key);
  const api = (path: string, init: RequestInit = {}) => call(path, { ...init, key: tenant.key });
  return { tenant, connection, api };
}

async function createConnector(api: (path: string, init?: RequestInit) => Promise<Response>, connectionId: string, extra: Record<string, unknown> = {}): Promise<Connector> {
  const response = await api('/api/connectors', { method: 'POST', ...json({ connectionId, team: 'Sales', tables: [{ table: 'contact' }, { table: 'account' }], ...extra }) });
  expect(response.status).toBe(201);
  return ConnectorSchema.parse(await response.json());
}

describe('creating a connector', () => {
  it('starts inactive with the predefined mappings, covered by the connection’s permissions', async () => {
    const { connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    expect(connector).toMatchObject({ active: false, team: 'Sales', intervalMinutes: 15, deleteMode: 'hard', permissions: { covered: true, missing: [] } });
    expect(connector.tables.find((t) => t.table === 'contact')!.mapping).toEqual(DEFAULT_MAPPINGS.contact);
    expect(connector.tables.find((t) => t.table === 'account')!.mapping).toEqual(DEFAULT_MAPPINGS.account);
  });

  it('a dry run checks everything, stores nothing, and says whether the permissions cover the mappings', async () => {
    const { connection, api } = await setUp();
    const body = { connectionId: connection.id, team: 'Sales', tables: [{ table: 'contact', mapping: { ...DEFAULT_MAPPINGS.contact, jobtitle: 'Title' } }, { table: 'account' }] };
    const response = await api('/api/connectors?dryRun=true', { method: 'POST', ...json(body) });
    expect(response.status).toBe(200);
    expect(ConnectorPreviewSchema.parse(await response.json())).toEqual({
      effects: [
        'Copies all existing Salesforce Contact records into contact, then keeps them in sync.',
        'Copies all existing Salesforce Account records into account, then keeps them in sync.',
        'Writes to the Worker’s D1 tables.',
      ],
      permissions: { covered: false, missing: ['Contact.Title'] },
    });
    const defaults = await api('/api/connectors?dryRun=true', { method: 'POST', ...json({ ...body, tables: [{ table: 'contact' }] }) });
    expect((await defaults.json<{ permissions: unknown }>()).permissions).toEqual({ covered: true, missing: [] });
    expect(await (await api('/api/connectors')).json()).toEqual([]);

    // Validated like a real create: an incompatible field is refused, and so is a body that is not a connector.
    const refused = await api('/api/connectors?dryRun=true', { method: 'POST', ...json({ ...body, tables: [{ table: 'account', mapping: { numberofemployees: 'Name' } }] }) });
    expect(refused.status).toBe(400);
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe('mapping_invalid');
    const bad = await api('/api/connectors?dryRun=true', { method: 'POST', ...json({ connectionId: connection.id, tables: [] }) });
    expect(bad.status).toBe(400);
  });

  it('refuses an incompatible field, naming the field and the rule', async () => {
    const { connection, api } = await setUp();
    const response = await api('/api/connectors', {
      method: 'POST',
      ...json({ connectionId: connection.id, team: 'Sales', tables: [{ table: 'account', mapping: { numberofemployees: 'Name' } }] }),
    });
    expect(response.status).toBe(400);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('mapping_invalid');
    expect(body.error.message).toContain('Name is a Salesforce string field and cannot fill numberofemployees (Integer)');
  });

  it('refuses unknown fields and columns, and bad bodies', async () => {
    const { connection, api } = await setUp();
    const unknown = await api('/api/connectors', { method: 'POST', ...json({ connectionId: connection.id, team: 'Sales', tables: [{ table: 'contact', mapping: { firstname: 'Nope__c', shoesize: 'FirstName' } }] }) });
    expect(unknown.status).toBe(400);
    const message = (await unknown.json<{ error: { message: string } }>()).error.message;
    expect(message).toContain('Contact has no field Nope__c');
    expect(message).toContain('contact has no column shoesize');

    const bad = await api('/api/connectors', { method: 'POST', ...json({ connectionId: connection.id, team: '', tables: [], intervalMinutes: 1 }) });
    expect(bad.status).toBe(400);
    const error = (await bad.json<{ error: { message: string } }>()).error.message;
    expect(error).toMatch(/team/);
    expect(error).toMatch(/tables/);
    expect(error).toMatch(/intervalMinutes/);
  });

  it('needs a connected connection of the tenant', async () => {
    const { connection, api, tenant } = await setUp();
    const other = await newTenant('Globex');
    const foreign = await call('/api/connectors', { method: 'POST', key: other.key, ...json({ connectionId: connection.id, team: 'x', tables: [{ table: 'contact' }] }) });
    expect(foreign.status).toBe(404);
    await turnOff(tenant.key, connection.id);
    const off = await api('/api/connectors', { method: 'POST', ...json({ connectionId: connection.id, team: 'x', tables: [{ table: 'contact' }] }) });
    expect(off.status).toBe(409);
  });
});

describe('the wizard’s reads', () => {
  it('offers only type-compatible fields for each column, marking the predefined one', async () => {
    const { connection, api } = await setUp();
    const fields = (await (await api(`/api/connections/${connection.id}/fields/contact`)).json()) as {
      columns: { name: string; defaultField: string | null; compatible: { name: string }[] }[];
    };
    const email = fields.columns.find((c) => c.name === 'emailaddress1')!;
    expect(email.defaultField).toBe('Email');
    expect(email.compatible.map((f) => f.name)).toContain('Email');
    expect(email.compatible.map((f) => f.name)).not.toContain('AccountId');
    const parent = fields.columns.find((c) => c.name === 'parentcustomerid')!;
    expect(parent.compatible.map((f) => f.name)).toEqual(['AccountId']);
    expect((await api(`/api/connections/${connection.id}/fields/lead`)).status).toBe(400);
  });

  it('estimates the API calls of a first sync from live counts', async () => {
    const { connection, api } = await setUp();
    const estimate = (await (await api(`/api/connections/${connection.id}/estimate?tables=contact,account`)).json()) as {
      tables: { table: string; records: number }[];
      firstSyncApiCalls: number;
      firstSyncApiCallsNote: string;
      usage: { used: number; max: number };
    };
    const contacts = await salesforceRecords('Contact', ['Id']);
    expect(estimate.tables).toEqual([
      { table: 'contact', records: contacts.length },
      { table: 'account', records: expect.any(Number) },
    ]);
    expect(estimate.firstSyncApiCalls).toBe(1); // both tables fit in their first pages
    expect(estimate.firstSyncApiCallsNote).toMatch(/smaller pages/);
    expect(estimate.usage.max).toBeGreaterThan(0);
  });
});

describe('managing a connector', () => {
  it('activates (due now, handed to the queue by the cron) and deactivates', async () => {
    const { connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    const active = ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}/activate`, { method: 'POST' })).json());
    expect(active.active).toBe(true);
    expect(active.nextRunAt).not.toBeNull();
    expect(await enqueueDueConnectors(env, new Date(Date.now() + 1000))).toBe(1);
    // Claimed: not due again until its interval has passed.
    expect(await enqueueDueConnectors(env, new Date(Date.now() + 1000))).toBe(0);
    const inactive = ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}/deactivate`, { method: 'POST' })).json());
    expect(inactive.active).toBe(false);
    expect(await enqueueDueConnectors(env, new Date(Date.now() + 60 * 60_000))).toBe(0);
  });

  it('adding a mapping says it re-reads, needs the permission, and fills existing rows once permitted', async () => {
    const { tenant, connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    await api(`/api/connectors/${connector.id}/activate`, { method: 'POST' });
    await syncConnector(env, connector.id);

    const tables = [{ table: 'contact', mapping: { ...DEFAULT_MAPPINGS.contact, jobtitle: 'Title' } }, { table: 'account' }];
    const dry = (await (await api(`/api/connectors/${connector.id}?dryRun=true`, { method: 'PATCH', ...json({ tables }) })).json()) as { effects: string[]; permissions: unknown; connector: Connector };
    expect(dry.effects).toEqual(['Maps jobtitle on contact: re-reads existing Contact records to fill them.']);
    // The dry run's coverage is of the edited mappings; the stored connector is still covered as it is.
    expect(dry.permissions).toEqual({ covered: false, missing: ['Contact.Title'] });
    expect(dry.connector.permissions).toEqual({ covered: true, missing: [] });
    const edited = (await (await api(`/api/connectors/${connector.id}`, { method: 'PATCH', ...json({ tables }) })).json()) as { connector: Connector };
    expect(edited.connector.permissions).toEqual({ covered: false, missing: ['Contact.Title'] });

    // The connection offers Update permissions; after it, the backfill fills jobtitle for rows already copied.
    await updatePermissions(tenant.key, connection.id);
    const covered = ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}`)).json());
    expect(covered.permissions.covered).toBe(true);
    await syncConnector(env, connector.id);
    const [titled] = await salesforceRecords('Contact', ['Id', 'Title']).then((rows) => rows.filter((r) => r.Title));
    const row = (await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(String(titled!.Id)))!;
    expect(row.jobtitle).toBe(titled!.Title);
  });

  it('removing a mapping or a table keeps the data and stops syncing it', async () => {
    const { tenant, connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    await api(`/api/connectors/${connector.id}/activate`, { method: 'POST' });
    await syncConnector(env, connector.id);
    const { fax: _fax, ...withoutFax } = DEFAULT_MAPPINGS.contact;
    const response = (await (await api(`/api/connectors/${connector.id}`, { method: 'PATCH', ...json({ tables: [{ table: 'contact', mapping: withoutFax }] }) })).json()) as { effects: string[] };
    expect(response.effects).toEqual(['Stops syncing fax on contact; the values already copied stay.', 'Removes account: stops syncing it; the account rows already copied stay.']);

    const [contact] = await salesforceRecords('Contact', ['Id', 'Fax']).then((rows) => rows.filter((r) => r.Fax));
    const before = (await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(String(contact!.Id)))!;
    await control('PATCH', `/records/Contact/${contact!.Id}`, { Fax: '+1 555 0100', LastName: 'Changed' });
    const accounts = (await destinationRows('account', tenant.id)).length;
    const outcome = await syncConnector(env, connector.id);
    expect(outcome.tables.map((t) => t.table)).toEqual(['contact']);
    const after = (await destinationRows('contact', tenant.id)).find((r) => r.contactid === before.contactid)!;
    expect(after.lastname).toBe('Changed');
    expect(after.fax).toBe(before.fax);
    expect((await destinationRows('account', tenant.id)).length).toBe(accounts);
  });

  it('resets a table to the predefined mapping', async () => {
    const { connection, api } = await setUp();
    const connector = await createConnector(api, connection.id, { tables: [{ table: 'account', mapping: { accountid: 'Id', name: 'Name' } }] });
    const reset = ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}/reset`, { method: 'POST', ...json({ table: 'account' }) })).json());
    expect(reset.tables[0]!.mapping).toEqual(DEFAULT_MAPPINGS.account);
  });

  it('shows runs and rejects, and deleting keeps the copied rows', async () => {
    const { tenant, connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    await api(`/api/connectors/${connector.id}/activate`, { method: 'POST' });
    await syncConnector(env, connector.id);
    const runs = (await (await api(`/api/connectors/${connector.id}/runs`)).json()) as { table: string; status: string }[];
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const view = ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}`)).json());
    expect(view.tables.every((t) => t.lastRun?.status === 'succeeded' && t.phase === 'incremental' && t.loaded === t.total)).toBe(true);
    expect(await (await api(`/api/connectors/${connector.id}/rejects`)).json()).toEqual([]);

    const rows = (await destinationRows('contact', tenant.id)).length;
    expect((await api(`/api/connectors/${connector.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await destinationRows('contact', tenant.id)).length).toBe(rows);
    expect((await api(`/api/connectors/${connector.id}`)).status).toBe(404);
  });

  it('names rejected records from Salesforce and retries them: still refused until fixed, then written, each retry a run', async () => {
    const { tenant, connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    // Active without the activate route, whose queued sync would race this test's own for the connector's lease.
    await env.DB.prepare('UPDATE connectors SET active = 1 WHERE id = ?1').bind(connector.id).run();
    const [bad] = (await control<{ records: { Id: string; FirstName: string }[] }>('POST', '/query', { soql: 'SELECT Id, FirstName FROM Contact LIMIT 1' })).records;
    // 60 characters: valid in Salesforce's LastName (80), too long for lastname (50).
    await control('PATCH', `/records/Contact/${bad!.Id}`, { LastName: 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh-Smythe' });
    await syncConnector(env, connector.id);

    const named = (await (await api(`/api/connectors/${connector.id}/rejects?names=true`)).json()) as { salesforceId: string; name: string | null }[];
    expect(named).toEqual([expect.objectContaining({ salesforceId: bad!.Id, name: `${bad!.FirstName} Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh-Smythe` })]);
    expect(((await (await api(`/api/connectors/${connector.id}/rejects`)).json()) as { name: string | null }[])[0]!.name).toBeNull();
    expect((await api(`/api/connectors/${connector.id}/rejects?names=yes`)).status).toBe(400);

    // Not fixed yet: read again, still refused, with the reason.
    const retry = () => api(`/api/connectors/${connector.id}/rejects/retry`, { method: 'POST', ...json({}) });
    const first = await retry();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ tables: [{ table: 'contact', retried: 1, written: 0, stillRejected: 1, notFound: 0 }] });

    // Fixed in Salesforce: the retry writes it and it leaves the rejects; the retry is a run in the history.
    await control('PATCH', `/records/Contact/${bad!.Id}`, { LastName: 'Smythe' });
    expect(await (await retry()).json()).toEqual({ tables: [{ table: 'contact', retried: 1, written: 1, stillRejected: 0, notFound: 0 }] });
    expect(await (await api(`/api/connectors/${connector.id}/rejects`)).json()).toEqual([]);
    const row = (await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(bad!.Id));
    expect(row?.lastname).toBe('Smythe');
    const runs = (await (await api(`/api/connectors/${connector.id}/runs`)).json()) as { table: string; status: string; read: number; upserted: number; rejected: number }[];
    expect(runs.slice(0, 2)).toEqual([
      expect.objectContaining({ table: 'contact', status: 'succeeded', read: 1, upserted: 1, rejected: 0 }),
      expect.objectContaining({ table: 'contact', status: 'succeeded', read: 1, upserted: 0, rejected: 1 }),
    ]);
    // Nothing left to retry: no call to Salesforce, no run.
    expect(await (await retry()).json()).toEqual({ tables: [] });

    // While a sync holds the connector, the retry waits its turn; bad bodies are refused.
    await env.DB.prepare('UPDATE connectors SET lease_until = ?2 WHERE id = ?1').bind(connector.id, new Date(Date.now() + 60_000).toISOString()).run();
    const busy = await retry();
    expect(busy.status).toBe(409);
    expect((await busy.json<{ error: { code: string } }>()).error.code).toBe('connector_busy');
    expect((await api(`/api/connectors/${connector.id}/rejects/retry`, { method: 'POST', ...json({ table: 'lead' }) })).status).toBe(400);
  });

  it('turning access off stops the org’s connectors', async () => {
    const { tenant, connection, api } = await setUp();
    const connector = await createConnector(api, connection.id);
    await api(`/api/connectors/${connector.id}/activate`, { method: 'POST' });
    await turnOff(tenant.key, connection.id);
    expect(ConnectorSchema.parse(await (await api(`/api/connectors/${connector.id}`)).json()).active).toBe(false);
  });
});
