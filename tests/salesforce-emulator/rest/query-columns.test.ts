/**
 * Paths with repeated slashes (what a client with a trailing-slash instance URL sends) and the query resource's
 * column metadata (`columns=true`), over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 5, contacts: 12 } });
});
afterAll(() => emulator.close());

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, { headers: { Authorization: `Bearer ${emulator.adminAccessToken}` } });
  return { status: response.status, body: await response.json() };
}

const q = (soql: string) => encodeURIComponent(soql);

describe('repeated slashes', () => {
  it('routes //services/data/v66.0//query like /services/data/v66.0/query, and counts it under the same route', async () => {
    const soql = q('SELECT Id, Name FROM Account ORDER BY Name');
    const single = await get(`/services/data/v66.0/query?q=${soql}`);
    const before = emulator.org.calls()['GET /services/data/vXX.X/query'] ?? 0;
    const doubled = await get(`//services/data/v66.0//query/?q=${soql}`);
    expect(doubled).toEqual(single);
    expect(emulator.org.calls()['GET /services/data/vXX.X/query']).toBe(before + 1);
  });

  it('serves the versions list and a record through doubled slashes', async () => {
    expect((await get('//services/data/')).status).toBe(200);
    const id = emulator.org.createRecord('Account', { Name: 'Slashes Inc.' });
    const record = await get(`//services/data/v66.0/sobjects//Account/${id}`);
    expect(record).toMatchObject({ status: 200, body: { Id: id, Name: 'Slashes Inc.' } });
  });

  it('still answers NOT_FOUND for paths that do not exist', async () => {
    expect((await get('//services/data/v66.0//nothing')).status).toBe(404);
  });
});

describe('query column metadata (columns=true)', () => {
  it('describes plain fields in Salesforce shape, key order included, without records', async () => {
    const { status, body } = await get(`/services/data/v66.0/query?q=${q('SELECT Id, Name, AccountNumber FROM Account')}&columns=true`);
    expect(status).toBe(200);
    // The body recorded from a real org for this query (salesforcedx-vscode's apexExecutionOverlayResultCommand test).
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        columnMetadata: [
          { aggregate: false, apexType: 'Id', booleanType: false, columnName: 'Id', custom: false, displayName: 'Id', foreignKeyName: null, insertable: false, joinColumns: [], numberType: false, textType: false, updatable: false },
          { aggregate: false, apexType: 'String', booleanType: false, columnName: 'Name', custom: false, displayName: 'Name', foreignKeyName: null, insertable: true, joinColumns: [], numberType: false, textType: true, updatable: true },
          { aggregate: false, apexType: 'String', booleanType: false, columnName: 'AccountNumber', custom: false, displayName: 'AccountNumber', foreignKeyName: null, insertable: true, joinColumns: [], numberType: false, textType: true, updatable: true },
        ],
        entityName: 'Account',
        groupBy: false,
        idSelected: true,
        keyPrefix: '001',
      }),
    );
  });

  it('groups parent fields under one relationship column, nesting grandparents', async () => {
    const soql = 'SELECT Name, Account.Name, Account.Owner.Name, Account.Industry FROM Contact';
    const { body } = await get(`/services/data/v66.0/queryAll?q=${q(soql)}&columns=true`);
    const columns = (body as { columnMetadata: { columnName: string; foreignKeyName: string | null; apexType: string | null; joinColumns: unknown[] }[] }).columnMetadata;
    expect(columns.map((c) => c.columnName)).toEqual(['Name', 'Account']);
    const account = columns[1] as (typeof columns)[number];
    expect(account).toMatchObject({ apexType: null, foreignKeyName: 'AccountId', insertable: false, updatable: false });
    expect(account.joinColumns).toMatchObject([
      { columnName: 'Name', apexType: 'String' },
      { columnName: 'Owner', foreignKeyName: 'OwnerId', joinColumns: [{ columnName: 'Name' }] },
      { columnName: 'Industry', apexType: 'String', textType: true },
    ]);
    expect(body).toMatchObject({ entityName: 'Contact', idSelected: false, keyPrefix: '003' });
  });

  it('names an aggregate by its alias or exprN and shows the call as its display name', async () => {
    const { body } = await get(`/services/data/v66.0/query?q=${q('SELECT COUNT(Email) FROM Contact')}&columns=true`);
    expect(body).toMatchObject({
      columnMetadata: [{ aggregate: true, apexType: null, columnName: 'expr0', displayName: 'COUNT(Email)', numberType: true }],
      idSelected: false,
    });
  });

  it('refuses a query it would refuse to run, with the same error', async () => {
    const soql = q('SELECT Id, Nope FROM Account');
    const run = await get(`/services/data/v66.0/query?q=${soql}`);
    const columns = await get(`/services/data/v66.0/query?q=${soql}&columns=true`);
    expect(run.status).toBe(400);
    expect(columns).toEqual(run);
  });
});
