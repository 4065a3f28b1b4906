/**
 * The real Salesforce CLI (sf, pinned in pinned/package.json) against the demo org as `npm run emulator` starts it:
 * a second client we did not write, so a misreading of Salesforce shared by jsforce and the emulator shows here.
 * Each command's JSON answer is compared with what the emulator holds (its control API). The CLI keeps the
 * instance URL with a trailing slash, so every call after login also exercises `//services/data/…`.
 * Run with `npm run test:cli` (installs the CLI into .cache/sf-cli first).
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceCli, startDemoOrg, type DemoOrg, type Sf } from './harness';

let org: DemoOrg;
let sf: Sf;
const target = ['--target-org', 'demo'];

type Row = Record<string, unknown>;

beforeAll(async () => {
  org = await startDemoOrg();
  sf = salesforceCli();
});
afterAll(async () => {
  await org?.stop();
  sf?.cleanUp();
});

const stripAttributes = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripAttributes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'attributes').map(([key, v]) => [key, stripAttributes(v)]));
  }
  return value;
};

// One org and one CLI state: the commands run in order (tests of a file run one after another), as a user types them.
describe('the Salesforce CLI against the demo org', () => {
  it('sf org login access-token: signs in with SF_ACCESS_TOKEN, no prompt', async () => {
    const health = await org.control<{ orgId: string; adminUsername: string }>('GET', '/health');
    const login = await sf.run<{ orgId: string; username: string; instanceUrl: string }>(
      ['org', 'login', 'access-token', '--instance-url', org.url, '--alias', 'demo', '--no-prompt'],
      { SF_ACCESS_TOKEN: org.adminToken },
    );
    expect(login.result).toMatchObject({ orgId: health.orgId, username: health.adminUsername });
    expect(login.result.instanceUrl.replace(/\/$/, '')).toBe(org.url);
  });

  it('sf org display: the org, its user and a live connection', async () => {
    const health = await org.control<{ orgId: string; adminUsername: string }>('GET', '/health');
    const display = await sf.run<{ id: string; username: string; connectedStatus: string; apiVersion: string; alias: string }>(['org', 'display', ...target]);
    expect(display.result).toMatchObject({ id: health.orgId, username: health.adminUsername, connectedStatus: 'Connected', alias: 'demo', apiVersion: '66.0' });
  });

  it('sf data query: the same rows, parent fields included, as the org holds', async () => {
    const soql = 'SELECT Id, Name, Email, Account.Name FROM Contact WHERE Email LIKE \'%a%\' ORDER BY Name, Id LIMIT 25';
    const query = await sf.run<{ records: Row[]; totalSize: number; done: boolean }>(['data', 'query', ...target, '--query', soql]);
    const held = await org.control<{ records: Row[] }>('POST', '/query', { soql });
    expect(held.records.length).toBeGreaterThan(5);
    expect(query.result.totalSize).toBe(held.records.length);
    expect(query.result.done).toBe(true);
    expect(stripAttributes(query.result.records)).toEqual(stripAttributes(held.records));
  });

  it('sf sobject describe: every field the REST describe has, with its type', async () => {
    const describe = await sf.run<{ name: string; keyPrefix: string; fields: { name: string; type: string }[] }>(['sobject', 'describe', ...target, '--sobject', 'Account']);
    const rest = await fetch(`${org.url}/services/data/v66.0/sobjects/Account/describe`, { headers: { Authorization: `Bearer ${org.adminToken}` } });
    const held = (await rest.json()) as { fields: { name: string; type: string }[] };
    expect(describe.result).toMatchObject({ name: 'Account', keyPrefix: '001' });
    expect(describe.result.fields.map((f) => [f.name, f.type])).toEqual(held.fields.map((f) => [f.name, f.type]));
    expect(describe.result.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Id', 'Name', 'Industry', 'OwnerId']));
  });

  it('sf sobject list: the objects of the global describe', async () => {
    const list = await sf.run<string[]>(['sobject', 'list', ...target, '--sobject', 'all']);
    const rest = await fetch(`${org.url}/services/data/v66.0/sobjects`, { headers: { Authorization: `Bearer ${org.adminToken}` } });
    const held = (await rest.json()) as { sobjects: { name: string }[] };
    expect([...list.result].sort()).toEqual(held.sobjects.map((s) => s.name).sort());
    expect(list.result).toEqual(expect.arrayContaining(['Account', 'Contact', 'User']));
  });

  it('sf org list limits: the daily API allowance and what is left of it', async () => {
    await org.control('PUT', '/api-usage', { max: 20_000, used: 1_234 });
    const limits = await sf.run<{ name: string; max: number; remaining: number }[]>(['org', 'list', 'limits', ...target]);
    const usage = await org.control<{ used: number; max: number }>('GET', '/api-usage');
    const daily = limits.result.find((l) => l.name === 'DailyApiRequests');
    expect(daily?.max).toBe(20_000);
    // The CLI's own calls count too: what it saw lies between the usage set and the usage after it ran.
    expect(daily?.remaining).toBeLessThan(20_000 - 1_234);
    expect(daily?.remaining).toBeGreaterThanOrEqual(usage.max - usage.used);
  });

  let createdId = '';

  it('sf data create record: the org holds the new Account with the values given', async () => {
    const created = await sf.run<{ id: string; success: boolean }>(['data', 'create', 'record', ...target, '--sobject', 'Account', '--values', "Name='Globex Energy' Industry=Energy"]);
    expect(created.result.success).toBe(true);
    expect(created.result.id).toMatch(/^001[0-9A-Za-z]{15}$/);
    createdId = created.result.id;
    const held = await org.control<Row>('GET', `/records/Account/${createdId}`);
    expect(held).toMatchObject({ Id: createdId, Name: 'Globex Energy', Industry: 'Energy' });
  });

  it('sf data get record: the record as the org holds it', async () => {
    const got = await sf.run<Row>(['data', 'get', 'record', ...target, '--sobject', 'Account', '--record-id', createdId]);
    const held = await org.control<Row>('GET', `/records/Account/${createdId}`);
    expect(got.result).toMatchObject({ Id: createdId, Name: 'Globex Energy', Industry: 'Energy' });
    expect(stripAttributes(got.result)).toEqual(stripAttributes(held));
  });

  it('sf data export bulk: a Bulk API 2.0 CSV of every Account, the new one included', async () => {
    const soql = 'SELECT Id, Name, Industry FROM Account';
    const file = join(sf.home, 'accounts.csv');
    const exported = await sf.run<{ totalSize: number; filePath: string }>(['data', 'export', 'bulk', ...target, '--query', soql, '--output-file', file, '--result-format', 'csv', '--wait', '2']);
    const held = await org.control<{ records: Row[] }>('POST', '/query', { soql });
    expect(exported.result.totalSize).toBe(held.records.length);
    const csv = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields).toEqual(['Id', 'Name', 'Industry']);
    const byId = (rows: Row[]) => [...rows].sort((a, b) => String(a.Id).localeCompare(String(b.Id)));
    expect(byId(csv.data)).toEqual(byId(held.records.map((r) => ({ Id: r.Id, Name: r.Name, Industry: r.Industry ?? '' }))));
    expect(csv.data.find((r) => r.Id === createdId)).toMatchObject({ Name: 'Globex Energy' });
  });
});
