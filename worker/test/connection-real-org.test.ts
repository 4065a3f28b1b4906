/**
 * Turn on access against an emulated org that behaves the way real orgs do where they differ from a fresh English
 * Developer Edition: names translated into the admin's language, the integration profile's older name, consumer
 * keys that Metadata API never reveals, policy components Salesforce generates itself, pre-authorization by
 * permission set id, and the refusals an admin must be able to act on.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { findConnection } from '../src/db/connections';
import { turnOff, turnOn } from './connection-driver';
import { ORG_URL, control, freshOrgAndTenants, inspectOrg } from './emulator';
import { newTenant } from './helpers';

beforeEach(freshOrgAndTenants);

const REAL_ORG = { language: 'fr', legacyIntegrationProfileName: true, oauthSecretsViaMetadata: false };

describe('an org in French with the integration profile’s older name', () => {
  it('connects end to end, and the consumer key the Worker stored is the one deployed', async () => {
    await control('PATCH', '/switches', REAL_ORG);
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    expect(connection.status).toBe('connected');

    const org = await inspectOrg();
    const user = org.users.find((u) => u.Username === connection.integrationUsername)!;
    expect(user.Profile).toBe('Salesforce API Only System Integrations');
    expect(user.PermissionSetLicenses).toEqual(['SalesforceAPIIntegrationPsl']);

    const row = (await findConnection(env.DB, acme.id, connection.id))!;
    const app = org.apps.find((a) => a.name === 'Forcebridge')!;
    expect(app.consumerKey).toBe(row.consumer_key);
    // The policy Salesforce generated governs the app, and it now pre-authorizes the Forcebridge permission set.
    expect(app).toMatchObject({ adminApproved: true, permissionSets: [connection.permissionSetId] });

    // Turn off deletes every component of the app, the generated policy included.
    const off = await turnOff(acme.key, connection.id);
    expect(off.status).toBe('off');
    expect((await inspectOrg()).apps).toEqual([]);
  });

  it('pre-flight names every missing permission at once, before anything is created', async () => {
    await control('PATCH', '/switches', REAL_ORG);
    const acme = await newTenant();
    await control('POST', '/users', { username: 'rep@acme.example.com', lastName: 'Rep', profile: 'Standard User' });
    const { accessToken } = await control<{ accessToken: string }>('POST', '/tokens', { username: 'rep@acme.example.com' });
    const connection = await turnOn(acme.key, { instanceUrl: ORG_URL, accessToken });
    expect(connection.lastError).toMatchObject({ step: 'preflight', code: 'salesforce_not_admin' });
    for (const permission of ['Modify Metadata', 'Manage Profiles and Permission Sets', 'Manage Users', 'Customize Application']) {
      expect(connection.lastError!.message).toContain(permission);
    }
    expect((await inspectOrg()).users.some((u) => u.Username === connection.integrationUsername)).toBe(false);
  });
});

describe('refusals an admin can act on', () => {
  it('a sign-in refused as "not admin approved" says so and what to check in Setup, without waiting', async () => {
    // An org that matches pre-authorization by permission set name only: the id Forcebridge sends does not admit the user.
    await control('PATCH', '/switches', { preAuthorizationBy: 'name' });
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'verification', code: 'salesforce_verification_failed' });
    expect(connection.lastError!.message).toMatch(/invalid_app_access/);
    expect(connection.lastError!.message).toMatch(/Admin approved users are pre-authorized/);
  });

  it('External Client Apps not available and no new Connected Apps: says which, and creates no app', async () => {
    await control('PATCH', '/switches', { externalClientAppsEnabled: false, connectedAppCreationAllowed: false });
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    expect(connection.lastError).toMatchObject({ step: 'client_app', code: 'salesforce_client_app_blocked' });
    expect(connection.lastError!.message).toMatch(/External Client Apps are not available in this org \(INVALID_TYPE/);
    expect((await inspectOrg()).apps).toEqual([]);
  });

  it('the legacy Connected App keeps its pre-authorization in its own metadata', async () => {
    await control('PATCH', '/switches', { externalClientAppsEnabled: false, connectedAppCreationAllowed: true });
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    expect(connection).toMatchObject({ status: 'connected', appKind: 'connected_app' });
    const app = (await inspectOrg()).apps.find((a) => a.name === 'Forcebridge')!;
    expect(app).toMatchObject({ kind: 'ConnectedApp', consumerKey: connection.consumerKey, permissionSets: ['Forcebridge_permission_set'] });
  });
});
