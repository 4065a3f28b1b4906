/**
 * Bulk API 2.0 query jobs: jsforce's bulk2.query end to end (queryAll included), then the raw protocol — job states,
 * 412 JOB_NOT_COMPLETE before completion, CSV pages with Sforce-Locator/Sforce-NumberOfRecords, and refusals.
 */
import jsforce, { type Connection } from 'jsforce';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;
let conn: Connection;
const headers = () => ({ Authorization: `Bearer ${emulator.adminAccessToken}`, 'content-type': 'application/json' });
const jobs = () => `${emulator.url}/services/data/v62.0/jobs/query`;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 120, contacts: 1200 } });
  conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
  conn.bulk2.pollInterval = 20;
});
afterAll(() => emulator.close());

describe('Bulk API 2.0 query', () => {
  it('runs a query job through jsforce and returns every record', async () => {
    const stream = await conn.bulk2.query('SELECT Id, Email, Birthdate, AccountId, SystemModstamp FROM Contact');
    const records = (await stream.toArray()) as Record<string, string>[];
    expect(records).toHaveLength(1200);
    expect(records[0]).toMatchObject({ Id: expect.stringMatching(/^003/), Email: expect.stringContaining('@example.com'), AccountId: expect.stringMatching(/^001/) });
    expect(records[0]?.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('includes deleted rows with queryAll', async () => {
    const [first] = emulator.org.query('SELECT Id FROM Account ORDER BY Id LIMIT 1') as { Id: string }[];
    emulator.org.deleteRecord('Account', first?.Id ?? '');
    const live = (await (await conn.bulk2.query('SELECT Id FROM Account')).toArray()) as unknown[];
    const all = (await (await conn.bulk2.query('SELECT Id, IsDeleted FROM Account', { scanAll: true })).toArray()) as Record<string, string>[];
    expect(live).toHaveLength(119);
    expect(all).toHaveLength(120);
    expect(all.find((r) => r.Id === first?.Id)?.IsDeleted).toBe('true');
    emulator.org.undeleteRecord('Account', first?.Id ?? '');
  });

  it('moves a job through UploadComplete → InProgress → JobComplete and pages CSV with Sforce-Locator', async () => {
    const created = await fetch(jobs(), { method: 'POST', headers: headers(), body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, NumberOfEmployees FROM Account ORDER BY Name' }) });
    const job = (await created.json()) as { id: string; state: string; object: string; operation: string; apiVersion: number };
    expect(job).toMatchObject({ state: 'UploadComplete', object: 'Account', operation: 'query', apiVersion: 62 });

    const early = await fetch(`${jobs()}/${job.id}/results`, { headers: headers() });
    expect(early.status).toBe(412);
    expect(await early.json()).toEqual([
      { message: 'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: UPLOAD_COMPLETE', errorCode: 'JOB_NOT_COMPLETE' },
    ]);
    const info = async () => (await fetch(`${jobs()}/${job.id}`, { headers: headers() })).json() as Promise<{ state: string; numberRecordsProcessed: number; jobType: string }>;
    expect(await info()).toMatchObject({ state: 'InProgress', numberRecordsProcessed: 0, jobType: 'V2Query' });
    expect(await info()).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 120 });

    const rows: Record<string, string>[] = [];
    let locator: string | null = '';
    let pages = 0;
    while (locator !== 'null') {
      const response: Response = await fetch(`${jobs()}/${job.id}/results?maxRecords=50${locator ? `&locator=${locator}` : ''}`, { headers: headers() });
      expect(response.headers.get('content-type')).toBe('text/csv');
      const text = await response.text();
      if (pages === 0) expect(text.split('\n')[0]).toBe('"Id","Name","NumberOfEmployees"');
      const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
      expect(Number(response.headers.get('sforce-numberofrecords'))).toBe(parsed.data.length);
      rows.push(...parsed.data);
      locator = response.headers.get('sforce-locator');
      pages++;
    }
    expect(pages).toBe(3);
    expect(rows).toHaveLength(120);
    expect(new Set(rows.map((r) => r.Id)).size).toBe(120);
    const names = rows.map((r) => r.Name?.toLowerCase() ?? '');
    expect([...names].sort()).toEqual(names);
  });

  it('refuses compound fields and bad operations the way Salesforce does', async () => {
    const compound = await fetch(jobs(), { method: 'POST', headers: headers(), body: JSON.stringify({ operation: 'query', query: 'SELECT Id, MailingAddress FROM Contact' }) });
    expect(compound.status).toBe(400);
    expect(await compound.json()).toEqual([{ message: 'Selecting compound data not supported in Bulk Query', errorCode: 'API_ERROR' }]);
    const bad = await fetch(jobs(), { method: 'POST', headers: headers(), body: JSON.stringify({ operation: 'upsert', query: 'SELECT Id FROM Contact' }) });
    expect(await bad.json()).toEqual([{ message: 'Invalid operation: upsert', errorCode: 'API_ERROR' }]);
    const field = await fetch(jobs(), { method: 'POST', headers: headers(), body: JSON.stringify({ operation: 'query', query: 'SELECT Nope FROM Contact' }) });
    expect((await field.json())[0].errorCode).toBe('INVALID_FIELD');
  });
});
