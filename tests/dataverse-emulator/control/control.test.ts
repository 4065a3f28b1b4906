/**
 * The control API over HTTP (validation, credentials, rows, switches, call counts) and fault injection on the
 * Dataverse and Entra surfaces (5xx, latency, dropped connections, truncated bodies).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningDataverseEmulator } from '../index';
import { call, tokenFor } from '../test-support';

let emulator: RunningDataverseEmulator;
let token: string;
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

beforeAll(async () => {
  emulator = await startDataverseEmulator({ clientSecret: 'fixed-secret' });
  token = await tokenFor(emulator);
});
beforeEach(() => emulator.control.reset());
afterAll(() => emulator.close());

describe('control API over HTTP', () => {
  it('hands out what to enter for the environment', async () => {
    const { json } = await control('GET', '/credentials');
    expect(json).toEqual({ environmentUrl: 'https://acme.crm.dynamics.com', tenantId: emulator.tenantId, clientId: emulator.clientId, clientSecret: 'fixed-secret', emulatorUrl: emulator.url, applicationUserId: emulator.applicationUserId });
  });

  it('validates bodies and says what is wrong', async () => {
    const bad = await control('POST', '/seed', { contacts: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'bad_request', issues: [{ path: 'contacts' }] });
    expect((await control('PUT', '/privileges/application', { privileges: ['readEverything'] })).status).toBe(400);
    expect((await control('GET', '/rows/lead')).status).toBe(400);
  });

  it('seeds, reads rows as stored, and counts requests and $batch operations', async () => {
    expect((await control('POST', '/seed', { accounts: 2, contacts: 5 })).json).toEqual({ accounts: 2, contacts: 5 });
    const rows = await control('GET', '/rows/contact?top=2');
    expect(rows.json.count).toBe(5);
    expect(rows.json.rows).toHaveLength(2);
    await control('DELETE', '/calls');
    await call(emulator, token, 'GET', 'contacts?$select=fullname');
    const batch = ['--b', 'Content-Type: application/http', '', `PATCH /api/data/v9.2/accounts(${crypto.randomUUID()}) HTTP/1.1`, 'Content-Type: application/json', '', '{"name":"A"}', '--b--', ''].join('\r\n');
    expect((await call(emulator, token, 'POST', '$batch', { headers: { 'Content-Type': 'multipart/mixed; boundary=b' }, body: batch })).status).toBe(200);
    const calls = (await control('GET', '/calls')).json;
    expect(calls).toMatchObject({ webApiRequests: 2, batchOperations: 1, requests: { 'GET /api/data/v9.x/contacts': 1, 'POST /api/data/v9.x/$batch': 1 } });
  });

  it('sets switches and service-protection limits', async () => {
    expect((await control('PATCH', '/switches', { requestLatencyMs: 5 })).json).toMatchObject({ requestLatencyMs: 5, serviceProtection: true });
    expect((await control('PUT', '/service-protection', { requests: 10 })).json).toEqual({ requests: 10, executionTimeMs: 1_200_000, concurrency: 52, windowSeconds: 300 });
    expect((await call(emulator, token, 'GET', 'WhoAmI')).headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('9');
  });
});

describe('faults', () => {
  it('answers an injected 500 with Dataverse\'s body, and a 503 with the gateway\'s text, for the next matching calls only', async () => {
    await control('POST', '/faults', { kind: 'error', path: '/contacts', times: 1 });
    await control('POST', '/faults', { kind: 'error', path: 'oauth2/v2.0/token', status: 503 });
    const failed = await call(emulator, token, 'GET', 'contacts');
    expect([failed.status, failed.json.error.code]).toEqual([500, '0x80040216']);
    expect((await call(emulator, token, 'GET', 'contacts')).status).toBe(200);
    const token503 = await fetch(emulator.tokenUrl, { method: 'POST' });
    expect([token503.status, await token503.text()]).toEqual([503, 'Service Unavailable']);
  });

  it('delays, truncates and drops answers', async () => {
    emulator.control.addFault({ kind: 'latency', path: 'WhoAmI', latencyMs: 20, times: 0 });
    expect((await call(emulator, token, 'GET', 'WhoAmI')).status).toBe(200);
    expect(emulator.control.faults()[0]).toMatchObject({ applied: 1 });

    emulator.control.clearFaults();
    emulator.control.addFault({ kind: 'malformed', path: 'WhoAmI' });
    const truncated = await call(emulator, token, 'GET', 'WhoAmI');
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();

    emulator.control.addFault({ kind: 'drop', path: 'WhoAmI' });
    await expect(fetch(`${emulator.url}/api/data/v9.2/WhoAmI`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.text())).rejects.toThrow();
  });
});
