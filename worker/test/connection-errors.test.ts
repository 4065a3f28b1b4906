/**
 * Every failure a real org produces while turning access on, each with its own message and next step, produced
 * through the emulator. A failed attempt leaves a recorded step; fixing the cause and retrying heals.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type Connection, ConnectionSchema } from '../../shared/api';
import { drive, post, turnOn } from './connection-driver';
import { ORG_URL, adminSession, control, inspectOrg, freshOrgAndTenants } from './emulator';
import { newTenant } from './helpers';

beforeEach(freshOrgAndTenants);

/** Turns on until the operation ends, and returns the failed connection. */
async function failedTurnOn(key: string, session?: { instanceUrl: string; accessToken: string }): Promise<Connection> {
  const connection = await turnOn(key, session);
  expect(connection.status).toBe('failed');
  return connection;
}

describe('errors while turning on access', () => {
  it('not an admin: says which permissions are missing, before creating anything', async () => {
    const acme = await newTenant();
    await control('POST', '/users', { username: 'rep@acme.example.com', lastName: 'Rep', profile: 'Standard User' });
    const { accessToken } = await control<{ accessToken: string }>('POST', '/tokens', { username: 'rep@acme.example.com' });
    const connection = await failedTurnOn(acme.key, { instanceUrl: ORG_URL, accessToken });
    expect(connection.lastError).toMatchObject({ step: 'preflight', code: 'salesforce_not_admin', actions: ['retry', 'turn_off'] });
    expect(connection.lastError!.message).toMatch(/Manage Users/);
    expect((await inspectOrg()).users.some((u) => u.Username === connection.integrationUsername)).toBe(false);
  });

  it('no free Salesforce Integration licence', async () => {
    const acme = await newTenant();
    const org = await inspectOrg();
    const licence = org.userLicenses.find((l) => l.Name === 'Salesforce Integration')!;
    await control('PUT', '/licenses', { 'Salesforce Integration': licence.UsedLicenses });
    const connection = await failedTurnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'preflight', code: 'salesforce_no_integration_licence' });
    // Never "All 0 … are in use": an org with none is told it has none.
    expect(connection.lastError!.message).toMatch(licence.UsedLicenses === 0 ? /Your org has no Salesforce Integration user licences/ : /All \d+ "Salesforce Integration" licences of your org are in use/);
    expect(connection.lastError!.message).not.toMatch(/All 0 /);

    // Free one and retry: the attempt carries on from the failed step.
    await control('PUT', '/licenses', { 'Salesforce Integration': licence.UsedLicenses + 1 });
    const healed = await drive(acme.key, `/api/connections/${connection.id}/advance`);
    expect(healed.status).toBe('connected');
    // The success clears the failed attempt's error: nothing shows it beside a working connection.
    expect(healed.lastError).toBeNull();
    expect(healed.steps.every((s) => s.error === null)).toBe(true);
  });

  it('integration username taken in another org', async () => {
    const acme = await newTenant();
    const org = await inspectOrg();
    const username = `forcebridge.integration.${org.orgId.toLowerCase()}@forcebridge.invalid`;
    await control('PATCH', '/switches', { usernamesTakenElsewhere: [username] });
    const connection = await failedTurnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'integration_user', code: 'salesforce_username_taken' });
    expect(connection.lastError!.message).toMatch(/another Salesforce org/);
  });

  it('permission set name in use by something that is not Forcebridge’s', async () => {
    const acme = await newTenant();
    await control('POST', '/records/PermissionSet', { Name: 'Forcebridge_permission_set', Label: 'Someone else’s' });
    const connection = await failedTurnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'preflight', code: 'salesforce_name_in_use' });
    expect(connection.lastError!.message).toMatch(/Forcebridge_permission_set already exists/);
  });

  it('a validation rule blocking user creation, with Salesforce’s message', async () => {
    const acme = await newTenant();
    await control('PATCH', '/switches', { userValidationRule: 'Every user needs a cost centre.' });
    const connection = await failedTurnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'integration_user', code: 'salesforce_validation_rule' });
    expect(connection.lastError!.message).toMatch(/Every user needs a cost centre/);

    await control('PATCH', '/switches', { userValidationRule: null });
    expect((await drive(acme.key, `/api/connections/${connection.id}/advance`)).status).toBe('connected');
  });

  it('deployment failure, quoting Salesforce', async () => {
    const acme = await newTenant();
    await control('PATCH', '/switches', { externalClientAppsEnabled: false, connectedAppCreationAllowed: true });
    // ECAs off but Connected Apps allowed: the legacy fallback succeeds.
    const fallback = await turnOn(acme.key);
    expect(fallback).toMatchObject({ status: 'connected', appKind: 'connected_app' });
    expect((await inspectOrg()).apps.find((a) => a.name === 'Forcebridge')?.kind).toBe('ConnectedApp');
  });

  it('connected-app creation blocked and External Client Apps off', async () => {
    const acme = await newTenant();
    await control('PATCH', '/switches', { externalClientAppsEnabled: false, connectedAppCreationAllowed: false });
    const connection = await failedTurnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'client_app', code: 'salesforce_client_app_blocked' });
    expect(connection.lastError!.message).toMatch(/neither an External Client App .* nor a new Connected App/);
  });

  it('session not valid for the API: offers the OAuth sign-in', async () => {
    const acme = await newTenant();
    const response = await post(acme.key, '/api/connections', { session: { instanceUrl: ORG_URL, accessToken: '00Dxx!not-a-valid-session' } });
    expect(response.status).toBe(403);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('salesforce_session_refused');
    expect(body.error.message).toMatch(/Sign in with Salesforce/);
  });

  it('API disabled for the org', async () => {
    const acme = await newTenant();
    await control('PATCH', '/switches', { apiEnabled: false });
    const response = await post(acme.key, '/api/connections', { session: await adminSession() });
    expect(response.status).toBe(403);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe('salesforce_session_refused');
  });

  it('refuses hosts that are not Salesforce', async () => {
    const acme = await newTenant();
    const response = await post(acme.key, '/api/connections', { session: { instanceUrl: 'https://evil.example.com', accessToken: 'x'.repeat(20) } });
    expect(response.status).toBe(400);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe('salesforce_host_not_allowed');
  });

  it('validates the body, naming the field', async () => {
    const acme = await newTenant();
    const response = await post(acme.key, '/api/connections', { session: { instanceUrl: 'nope' } });
    expect(response.status).toBe(400);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/session\.instanceUrl/);
    expect(body.error.message).toMatch(/session\.accessToken/);
  });
});

describe('a failure part-way', () => {
  it('is reported at its step, and the retry heals what exists instead of failing on duplicates', async () => {
    const acme = await newTenant();
    // Salesforce fails the deploy status check once with a server error.
    await control('POST', '/faults', { kind: 'error', path: '/services/Soap/m/*', status: 500, times: 3 });
    const first = await turnOn(acme.key);
    expect(first.status).toBe('failed');
    expect(first.lastError?.step).toBe('client_app');
    expect(first.steps.filter((s) => s.status === 'done').map((s) => s.step)).toEqual(['preflight', 'integration_user', 'api_integration_licence', 'permission_set']);

    await control('DELETE', '/faults');
    const healed = await drive(acme.key, `/api/connections/${first.id}/advance`);
    expect(healed.status).toBe('connected');
    const org = await inspectOrg();
    expect(org.users.filter((u) => u.Username === healed.integrationUsername)).toHaveLength(1);
    expect(org.permissionSets.filter((s) => s.Name === 'Forcebridge_permission_set')).toHaveLength(1);
    expect(ConnectionSchema.parse(healed).steps.every((s) => s.status === 'done')).toBe(true);
  });
});
