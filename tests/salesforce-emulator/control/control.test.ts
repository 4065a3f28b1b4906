/**
 * The HTTP control API: validated input (400 with what is wrong), seeding, record writes and recycle-bin moves,
 * the clock, switches, users and tokens, call counts and faults — everything a test drives without Salesforce's APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;

async function control<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function soql(q: string, token = emulator.adminAccessToken) {
  return fetch(`${emulator.url}/services/data/v62.0/queryAll?q=${encodeURIComponent(q)}`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('control API over HTTP', () => {
  it('answers 400 with the reason for bad input and 404 for unknown routes', async () => {
    const bad = await control('POST', '/seed', { accounts: -1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect(bad.body.error.message).toMatch(/accounts/);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['accounts']));
    expect((await control('POST', '/clock', 'not json')).status).toBe(404);
    expect((await control('PUT', '/clock', { time: true })).status).toBe(400);
    expect((await control('PUT', '/clock', {})).status).toBe(400);
    const notFound = await control('GET', '/nope');
    expect(notFound).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('seeds deterministically and resets the org', async () => {
    expect(await control('POST', '/seed', { accounts: 4, contacts: 40, seed: 7 })).toEqual({ status: 200, body: { accounts: 4, contacts: 40 } });
    const first = await soql('SELECT Id, Name, Email FROM Contact ORDER BY Id LIMIT 3');
    await control('POST', '/seed', { accounts: 4, contacts: 40, seed: 7 });
    expect(await soql('SELECT Id, Name, Email FROM Contact ORDER BY Id LIMIT 3')).toEqual(first);
    const reset = await control('POST', '/reset');
    expect(reset.status).toBe(200);
    expect((await soql('SELECT COUNT() FROM Contact')).totalSize).toBe(0);
    expect(reset.body.adminAccessToken).toBe(emulator.adminAccessToken);
  });

  it('writes records, moves them through the recycle bin and purges them', async () => {
    const { body } = await control('POST', '/records/Account', { Name: 'Control Co' });
    expect(body.id).toMatch(/^001/);
    await control('PATCH', `/records/Account/${body.id}`, { NumberOfEmployees: 12 });
    expect((await control('GET', `/records/Account/${body.id}`)).body).toMatchObject({ Name: 'Control Co', NumberOfEmployees: 12 });
    await control('DELETE', `/records/Account/${body.id}`);
    expect((await soql(`SELECT Id, IsDeleted FROM Account WHERE Id = '${body.id}'`)).records[0].IsDeleted).toBe(true);
    await control('POST', `/records/Account/${body.id}/undelete`);
    expect((await soql(`SELECT Id, IsDeleted FROM Account WHERE Id = '${body.id}'`)).records[0].IsDeleted).toBe(false);
    await control('POST', `/records/Account/${body.id}/purge`);
    expect((await soql(`SELECT Id FROM Account WHERE Id = '${body.id}'`)).totalSize).toBe(0);
    const invalid = await control('POST', '/records/Contact', { FirstName: 'No last name' });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] } } });
  });

  it('sets and advances the clock, which stamps writes', async () => {
    await control('PUT', '/clock', { frozen: true, time: '2026-01-01T00:00:00.000Z' });
    const { body } = await control('POST', '/records/Account', { Name: 'Stamped' });
    expect((await control('GET', `/records/Account/${body.id}`)).body.SystemModstamp).toBe('2026-01-01T00:00:00.000+0000');
    expect((await control('PUT', '/clock', { advanceMs: 90_000 })).body.now).toBe('2026-01-01T00:01:30.000Z');
    await control('PUT', '/clock', { frozen: false });
  });

  it('creates non-admin users with tokens, switches behaviour, counts calls and injects faults', async () => {
    const user = await control('POST', '/users', { username: 'analyst@acme.example.com' });
    expect(user.body).toMatchObject({ id: expect.stringMatching(/^005/), username: 'analyst@acme.example.com' });
    expect((await soql('SELECT PermissionsModifyAllData FROM UserPermissionAccess', user.body.accessToken)).records[0].PermissionsModifyAllData).toBe(false);
    expect((await control('PATCH', '/switches', { apiEnabled: false })).body.apiEnabled).toBe(false);
    expect((await soql('SELECT Id FROM Account'))[0].errorCode).toBe('API_DISABLED_FOR_ORG');
    await control('PATCH', '/switches', { apiEnabled: true });

    await control('DELETE', '/calls');
    await soql('SELECT Id FROM Account');
    expect((await control('GET', '/calls')).body).toEqual({ 'GET /services/data/vXX.X/queryAll': 1 });

    const fault = await control('POST', '/faults', { kind: 'error', path: 'queryAll', status: 500 });
    expect(fault.body).toMatchObject({ id: expect.any(String), times: 1 });
    expect((await soql('SELECT Id FROM Account'))[0].errorCode).toBe('UNKNOWN_EXCEPTION');
    expect((await control('POST', '/sessions/expire', { username: 'analyst@acme.example.com' })).body.expired).toBe(1);
    expect(await soql('SELECT Id FROM Account', user.body.accessToken)).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const token = await control('POST', '/tokens', { username: 'analyst@acme.example.com' });
    expect((await soql('SELECT Id FROM Account', token.body.accessToken)).done).toBe(true);
  });

  it('shows the org for assertions', async () => {
    await control('PUT', '/licenses', { 'Salesforce Integration': 2 });
    const { body } = await control('GET', '/org');
    expect(body.userLicenses).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'Salesforce Integration', TotalLicenses: 2, UsedLicenses: 0 })]));
    expect(body.permissionSetLicenses).toEqual([expect.objectContaining({ DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration' })]);
    expect(body.profiles.map((p: { Name: string }) => p.Name)).toEqual(
      expect.arrayContaining(['System Administrator', 'Standard User', 'Minimum Access - API Only Integrations']),
    );
    expect(body.users[0]).toMatchObject({ Username: emulator.adminUsername, Profile: 'System Administrator', License: 'Salesforce' });
  });
});
