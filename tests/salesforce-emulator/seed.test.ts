/**
 * Seeding at volume: 100,000 Contacts over 10,000 Accounts are queryable at once (count, a full first page, a
 * filtered window), every field of the default Connector mapping is filled, and the same seed gives the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index';

let emulator: RunningEmulator;
const get = async (soql: string) =>
  (await fetch(`${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${emulator.adminAccessToken}` } })).json();

const CONTACT_MAPPING = ['AssistantName', 'AssistantPhone', 'Birthdate', 'Department', 'Description', 'Email', 'Fax', 'FirstName', 'LastName', 'MobilePhone', 'Salutation', 'Phone', 'AccountId'];
const ACCOUNT_MAPPING = ['AccountNumber', 'Description', 'Fax', 'Name', 'NumberOfEmployees', 'Sic', 'Phone', 'TickerSymbol'];

beforeAll(async () => {
  emulator = await startEmulator({ now: '2026-06-01T00:00:00Z', freezeClock: true, seed: { accounts: 10_000, contacts: 100_000 } });
});
afterAll(() => emulator.close());

describe('seeding 100k contacts', () => {
  it('counts and pages them', async () => {
    expect(await get('SELECT COUNT() FROM Contact')).toEqual({ totalSize: 100_000, done: true, records: [] });
    const page = await get(`SELECT Id, ${CONTACT_MAPPING.join(', ')} FROM Contact`);
    expect(page.totalSize).toBe(100_000);
    expect(page.records).toHaveLength(2000);
    expect(page.nextRecordsUrl).toMatch(/-2000$/);
    for (const field of CONTACT_MAPPING) expect(page.records[0][field], field).toEqual(expect.anything());
    expect(page.records[0].Birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const accounts = await get(`SELECT Id, ${ACCOUNT_MAPPING.join(', ')} FROM Account LIMIT 1`);
    for (const field of ACCOUNT_MAPPING) expect(accounts.records[0][field], field).toEqual(expect.anything());
  });

  it('links about ten contacts to each account and stamps rows a second apart up to now', async () => {
    const [account] = (await get('SELECT Id FROM Account ORDER BY Id LIMIT 1')).records;
    expect((await get(`SELECT COUNT() FROM Contact WHERE AccountId = '${account.Id}'`)).totalSize).toBe(10);
    expect((await get('SELECT COUNT() FROM Contact WHERE SystemModstamp > 2026-05-31T23:58:20Z')).totalSize).toBe(100);
  });

  it('is deterministic', async () => {
    const before = (await get('SELECT Id, Email, Phone FROM Contact WHERE Id IN (\'003Kd00000000a0\', \'003Kd00000000zz\')')).records;
    emulator.org.seed({ accounts: 10_000, contacts: 100_000 });
    expect((await get('SELECT Id, Email, Phone FROM Contact WHERE Id IN (\'003Kd00000000a0\', \'003Kd00000000zz\')')).records).toEqual(before);
    expect(before).toHaveLength(2);
  });
});
