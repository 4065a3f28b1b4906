/**
 * REST data access with unmodified jsforce 3 over real HTTP: query paging with autoFetch/maxFetch and batch sizes,
 * queryAll/scanAll with soft-deleted rows, sObject CRUD, composite, updated/deleted, and the Sforce-Limit-Info header.
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;
let conn: Connection;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 300, contacts: 4500 } });
  conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
});
afterAll(() => emulator.close());

describe('REST data with jsforce', () => {
  it('pages a query with nextRecordsUrl: autoFetch follows it, maxFetch stops early', async () => {
    const before = emulator.org.calls();
    const all = await conn.query('SELECT Id, Email FROM Contact').run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.totalSize).toBe(4500);
    expect(all.records).toHaveLength(4500);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(4500);
    const after = emulator.org.calls();
    expect((after['GET /services/data/vXX.X/query/:locator'] ?? 0) - (before['GET /services/data/vXX.X/query/:locator'] ?? 0)).toBe(2);

    const capped = await conn.query('SELECT Id FROM Contact').run({ autoFetch: true, maxFetch: 2500 });
    expect(capped.records).toHaveLength(2500);
    expect(capped.done).toBe(false);
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    const first = await conn.request<{ totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] }>({
      method: 'GET',
      url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account ORDER BY Id')}`,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first).toMatchObject({ totalSize: 300, done: false });
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-200$/);
    const last = await conn.request<{ done: boolean; records: unknown[]; nextRecordsUrl?: string }>(first.nextRecordsUrl);
    expect(last.done).toBe(true);
    expect(last.records).toHaveLength(100);
    expect(last.nextRecordsUrl).toBeUndefined();
  });

  it('answers pages smaller than the batch size for two or more custom long text fields, as documented', async () => {
    emulator.org.addCustomField('Account', { name: 'Notes_A__c', type: 'textarea', length: 32_000 });
    emulator.org.addCustomField('Account', { name: 'Notes_B__c', type: 'textarea', length: 32_000 });
    const page = () => conn.request<{ totalSize: number; records: unknown[] }>(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Notes_A__c, Notes_B__c FROM Account')}`);
    expect(await page()).toMatchObject({ totalSize: 300, records: { length: 200 } });
    emulator.org.setSwitches({ shortQueryPages: false });
    expect(await page()).toMatchObject({ totalSize: 300, records: { length: 300 } });
    emulator.org.setSwitches({ shortQueryPages: true });
  });

  it('creates, reads, updates and soft-deletes a Contact; queryAll and scanAll see it deleted', async () => {
    const created = await conn.sobject('Contact').create({ LastName: 'Lovelace', FirstName: 'Ada', Email: 'ada@example.com' });
    expect(created).toMatchObject({ success: true, errors: [] });
    const id = created.id as string;
    await conn.sobject('Contact').update({ Id: id, Department: 'Analytical Engines' });
    const read = await conn.sobject('Contact').retrieve(id);
    expect(read).toMatchObject({ Id: id, Name: 'Ada Lovelace', Department: 'Analytical Engines', IsDeleted: false });
    await conn.sobject('Contact').destroy(id);

    const live = await conn.query(`SELECT Id FROM Contact WHERE Id = '${id}'`);
    expect(live.totalSize).toBe(0);
    const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`, { scanAll: true });
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    const scanned = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true`).scanAll(true).run({ autoFetch: true });
    expect(scanned.records.map((r) => r.Id)).toContain(id);

    emulator.org.purgeRecord('Contact', id);
    expect((await conn.query(`SELECT Id FROM Contact WHERE Id = '${id}'`, { scanAll: true })).totalSize).toBe(0);
  });

  it('answers NOT_FOUND for unknown records and non-id segments, as Salesforce does', async () => {
    await expect(conn.sobject('Contact').retrieve('003Kd0000009999AAA')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(conn.request('/services/data/v62.0/sobjects/Contact/rid')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      message: 'Provided external ID field does not exist or is not accessible: rid',
    });
  });

  it('runs composite requests with references, as one API call', async () => {
    const usedBefore = emulator.org.apiUsage().used;
    const response = await conn.requestPost<{ compositeResponse: { body: any; httpStatusCode: number; referenceId: string; httpHeaders: Record<string, string> }[] }>(
      '/services/data/v62.0/composite',
      {
        allOrNone: false,
        compositeRequest: [
          { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'newAccount', body: { Name: 'Composite Co' } },
          { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'newContact', body: { LastName: 'Ref', AccountId: '@{newAccount.id}' } },
          { method: 'GET', url: '/services/data/v62.0/query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+Id=%27@{newContact.id}%27', referenceId: 'check' },
          { method: 'GET', url: '/services/data/v62.0/sobjects/Foo', referenceId: 'missing' },
        ],
      },
    );
    expect(emulator.org.apiUsage().used - usedBefore).toBe(1);
    const [account, contact, check, missing] = response.compositeResponse;
    expect(account).toMatchObject({ httpStatusCode: 201, referenceId: 'newAccount' });
    expect(account?.httpHeaders.Location).toBe(`/services/data/v62.0/sobjects/Account/${account?.body.id}`);
    expect(contact?.httpStatusCode).toBe(201);
    expect(check?.body.records[0].AccountId).toBe(account?.body.id);
    expect(missing).toEqual({ body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }], httpHeaders: {}, httpStatusCode: 404, referenceId: 'missing' });
  });

  it('rolls a composite back with allOrNone and refuses more than 5 queries', async () => {
    const before = emulator.org.count('Account');
    const response = await conn.requestPost<{ compositeResponse: { body: any; httpStatusCode: number }[] }>('/services/data/v62.0/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Rolled back' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'c', body: { FirstName: 'No last name' } },
      ],
    });
    expect(response.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(response.compositeResponse[0]?.body[0].errorCode).toBe('PROCESSING_HALTED');
    expect(response.compositeResponse[1]?.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    expect(emulator.org.count('Account')).toBe(before);

    const six = Array.from({ length: 6 }, (_, i) => ({ method: 'GET', url: '/services/data/v62.0/query?q=SELECT+Id+FROM+Account+LIMIT+1', referenceId: `q${i}` }));
    await expect(conn.requestPost('/services/data/v62.0/composite', { compositeRequest: six })).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
  });

  it('lists updated and deleted ids in a window', async () => {
    const start = new Date(emulator.org.clock.now() - 60_000);
    const created = await conn.sobject('Account').create({ Name: 'Replicated' });
    await conn.sobject('Account').destroy(created.id as string);
    // Windows are truncated to the minute, so a delete shows once its minute has passed.
    emulator.org.clock.advance(120_000);
    const end = new Date(emulator.org.clock.now());
    const deleted = await conn.sobject('Account').deleted(start, end);
    expect(deleted.deletedRecords.map((r) => r.id)).toContain(created.id);
    expect(deleted.latestDateCovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/);
    const updated = await conn.sobject('Account').updated(start, end);
    expect(updated.ids).not.toContain(created.id);
  });

  it('reports API usage in Sforce-Limit-Info on every REST answer', async () => {
    const response = await fetch(`${emulator.url}/services/data/v62.0/query?q=SELECT+Id+FROM+Xyzzy`, { headers: { Authorization: `Bearer ${emulator.adminAccessToken}` } });
    expect(response.status).toBe(400);
    const { used, max } = emulator.org.apiUsage();
    expect(response.headers.get('sforce-limit-info')).toBe(`api-usage=${used}/${max}`);
    await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(conn.limitInfo.apiUsage).toEqual({ used: used + 1, limit: max });
  });
});
