/**
 * The sync engine against the emulated org: first load, updates, deletes and undeletes, the Contact→Account link,
 * type conversion, and truthful run records.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { connectedConnector, destinationRows, salesforceRecords } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

describe('first load', () => {
  it('copies every Contact and Account with the predefined mapping, converted and linked', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const outcome = await syncConnector(env, connectorId);
    expect(outcome.tables.map((t) => [t.table, t.status])).toEqual([
      ['account', 'succeeded'],
      ['contact', 'succeeded'],
    ]);

    const contacts = await salesforceRecords('Contact', ['Id', 'FirstName', 'LastName', 'Email', 'Birthdate', 'AccountId']);
    const accounts = await salesforceRecords('Account', ['Id', 'Name', 'NumberOfEmployees']);
    const contactRows = await destinationRows('contact', tenant.id);
    const accountRows = await destinationRows('account', tenant.id);
    expect(contactRows).toHaveLength(contacts.length);
    expect(accountRows).toHaveLength(accounts.length);
    expect(outcome.tables.find((t) => t.table === 'contact')).toMatchObject({ read: contacts.length, upserted: contacts.length, rejected: 0 });

    const sample = contacts.find((c) => c.AccountId && c.Birthdate)!;
    const row = contactRows.find((r) => r.contactid === guidFromSalesforceId(String(sample.Id)))!;
    expect(row).toMatchObject({
      firstname: sample.FirstName,
      lastname: sample.LastName,
      emailaddress1: sample.Email,
      birthdate: sample.Birthdate,
      parentcustomerid: guidFromSalesforceId(String(sample.AccountId)),
      ownerid: guidFromSalesforceId('00G000000000001'),
      forcebridge_salesforce_id: sample.Id,
    });
    // The link resolves to a copied account.
    expect(accountRows.some((a) => a.accountid === row.parentcustomerid)).toBe(true);
    const account = accounts.find((a) => a.NumberOfEmployees !== null)!;
    expect(accountRows.find((a) => a.accountid === guidFromSalesforceId(String(account.Id)))!.numberofemployees).toBe(account.NumberOfEmployees);
  });
});

describe('incremental sync', () => {
  it('applies updates, deletes and undeletes, and reads nothing twice when nothing changed', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    const [first, second] = await salesforceRecords('Contact', ['Id', 'LastName']);
    await control('PATCH', `/records/Contact/${first!.Id}`, { LastName: 'Renamed' });
    await control('DELETE', `/records/Contact/${second!.Id}`);
    await env.DB.prepare('UPDATE connectors SET next_run_at = NULL').run();

    const outcome = await syncConnector(env, connectorId);
    const contact = outcome.tables.find((t) => t.table === 'contact')!;
    expect(contact).toMatchObject({ status: 'succeeded', upserted: 1, deleted: 1 });
    const rows = await destinationRows('contact', tenant.id);
    expect(rows.find((r) => r.contactid === guidFromSalesforceId(String(first!.Id)))!.lastname).toBe('Renamed');
    expect(rows.find((r) => r.contactid === guidFromSalesforceId(String(second!.Id)))).toBeUndefined();

    await control('POST', `/records/Contact/${second!.Id}/undelete`);
    const again = await syncConnector(env, connectorId);
    expect(again.tables.find((t) => t.table === 'contact')).toMatchObject({ upserted: 1, deleted: 0 });
    expect((await destinationRows('contact', tenant.id)).some((r) => r.contactid === guidFromSalesforceId(String(second!.Id)))).toBe(true);
  });

  it('marks deleted rows instead of removing them when the connector keeps deletes', async () => {
    const { tenant, connectorId } = await connectedConnector({ deleteMode: 'soft' });
    await syncConnector(env, connectorId);
    const [victim] = await salesforceRecords('Contact', ['Id']);
    await control('DELETE', `/records/Contact/${victim!.Id}`);
    await syncConnector(env, connectorId);
    const row = (await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(String(victim!.Id)))!;
    expect(row.forcebridge_deleted_at).not.toBeNull();
    await control('POST', `/records/Contact/${victim!.Id}/undelete`);
    await syncConnector(env, connectorId);
    expect((await destinationRows('contact', tenant.id)).find((r) => r.contactid === guidFromSalesforceId(String(victim!.Id)))!.forcebridge_deleted_at).toBeNull();
  });

  it('costs one API call for a tick with no changes, whatever the number of tables', async () => {
    const { connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    await syncConnector(env, connectorId); // describes are cached from here on
    const quiet = await syncConnector(env, connectorId);
    expect(quiet.tables.reduce((sum, t) => sum + t.apiCalls, 0)).toBe(1);
    expect(quiet.tables.every((t) => t.status === 'succeeded' && t.upserted === 0)).toBe(true);
  });
});

describe('runs', () => {
  it('are recorded per table with counts and API calls', async () => {
    const { connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    const { results } = await env.DB.prepare('SELECT * FROM sync_runs WHERE connector_id = ?1 ORDER BY table_name').bind(connectorId).all<Record<string, unknown>>();
    expect(results.map((r) => [r.table_name, r.status, r.mode])).toEqual([
      ['account', 'succeeded', 'initial'],
      ['contact', 'succeeded', 'initial'],
    ]);
    expect(results.every((r) => Number(r.duration_ms) >= 0 && r.finished_at)).toBe(true);
    expect(results.reduce((sum, r) => sum + Number(r.api_calls), 0)).toBeGreaterThan(0);
  });
});
