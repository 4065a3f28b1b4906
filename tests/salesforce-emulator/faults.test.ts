/**
 * Real-org pressure: the daily API allowance (REQUEST_LIMIT_EXCEEDED, composite counted once, OAuth not counted),
 * expired sessions, and injected faults (5xx with Salesforce's body, latency, dropped connections, truncated bodies).
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index';

let emulator: RunningEmulator;
let conn: Connection;
const soql = (q: string) => `/services/data/v62.0/query?q=${encodeURIComponent(q)}`;
const get = (path: string, token = emulator.adminAccessToken) => fetch(emulator.url + path, { headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 5, contacts: 50 } });
});
beforeEach(() => {
  emulator.org.reset({ seed: { accounts: 5, contacts: 50 } });
  conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
});
afterAll(() => emulator.close());

describe('API allowance', () => {
  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allowance is used up, with Sforce-Limit-Info', async () => {
    emulator.org.setApiUsage({ max: 3, used: 2 });
    expect((await get(soql('SELECT Id FROM Account'))).headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    const refused = await get(soql('SELECT Id FROM Account'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const limits = await fetch(`${emulator.url}/__emulator/api-usage`).then((r) => r.json());
    expect(limits).toEqual({ used: 3, max: 3 });
  });

  it('counts REST, SOAP and Bulk calls but not OAuth token calls; /limits reports the remainder', async () => {
    await conn.query('SELECT Id FROM Account');
    await fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
    await (conn.metadata as unknown as { read(t: string, n: string): Promise<unknown> }).read('ConnectedApp', 'Nothing');
    conn.bulk2.pollInterval = 10;
    await (await conn.bulk2.query('SELECT Id FROM Account')).toArray();
    // query, readMetadata, then the job: create, two status checks, one results page.
    expect(emulator.org.apiUsage().used).toBe(6);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14993 });
  });
});

describe('sessions', () => {
  it('answers 401 INVALID_SESSION_ID for an expired session', async () => {
    emulator.org.expireSessions({ token: emulator.adminAccessToken });
    const response = await get(soql('SELECT Id FROM Account'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('faults', () => {
  it('injects a 5xx with Salesforce\'s body for the next matching calls only', async () => {
    emulator.org.addFault({ kind: 'error', path: '/query', status: 503, times: 2 });
    const first = await get(soql('SELECT Id FROM Account'));
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual([{ message: 'Server is unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    expect((await get(soql('SELECT Id FROM Account'))).status).toBe(503);
    expect((await get(soql('SELECT Id FROM Account'))).status).toBe(200);
    emulator.org.addFault({ kind: 'error', path: '/sobjects', method: 'POST' });
    const broken = await conn.sobject('Account').create({ Name: 'x' }).catch((e: { errorCode: string; message: string }) => e);
    expect(broken).toMatchObject({ errorCode: 'UNKNOWN_EXCEPTION', message: expect.stringMatching(/^An unexpected error occurred\. Please include this ErrorId/) });
  });

  it('delays matching calls', async () => {
    emulator.org.addFault({ kind: 'latency', path: '/limits', latencyMs: 150 });
    const started = Date.now();
    await conn.limits();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection halfway through the response', async () => {
    emulator.org.addFault({ kind: 'drop', path: '/query' });
    await expect(get(soql('SELECT Id, Name FROM Account')).then((r) => r.text())).rejects.toThrow();
    expect((await get(soql('SELECT Id FROM Account'))).status).toBe(200);
  });

  it('truncates bodies', async () => {
    emulator.org.addFault({ kind: 'malformed', path: '/query' });
    const text = await get(soql('SELECT Id, Name FROM Account')).then((r) => r.text());
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"totalSize":5')).toBe(true);
    expect(emulator.org.faults()[0]).toMatchObject({ applied: 1, seen: 1 });
  });
});
