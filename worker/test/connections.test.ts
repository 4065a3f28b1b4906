/**
 * The server-to-server connection against the Salesforce emulator: Turn on, Turn off, Reconnect, one org per
 * tenant, and what exists in the org afterwards (least privilege, nothing left behind).
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../shared/api';
import { findConnection } from '../src/db/connections';
import { integrationSession } from '../src/salesforce/integration-session';
import { turnOff, turnOn, reconnect, post } from './connection-driver';
import { adminSession, control, inspectOrg, freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';

const FORCEBRIDGE_SET = 'Forcebridge_permission_set';

beforeEach(freshOrgAndTenants);

describe('Turn on access', () => {
  it('provisions the user, licence, least-privilege permission set and client app, then verifies', async () => {
    const acme = await newTenant();
    const connection = await turnOn(acme.key);

    expect(connection.status).toBe('connected');
    expect(connection.steps.map((s) => [s.step, s.status])).toEqual([
      ['preflight', 'done'],
      ['integration_user', 'done'],
      ['api_integration_licence', 'done'],
      ['permission_set', 'done'],
      ['client_app', 'done'],
      ['verification', 'done'],
    ]);
    expect(connection).toMatchObject({ appName: 'Forcebridge', appKind: 'external_client_app', permissionSetName: FORCEBRIDGE_SET, instanceUrl: 'https://acme.my.salesforce.com' });
    // The Worker chose the consumer key and saved it before the deploy; Salesforce keeps the one deployed.
    expect(connection.consumerKey).toMatch(/^FB[0-9A-Za-z]{60}$/);
    expect(connection.integrationUsername).toBe(`forcebridge.integration.${connection.orgId.toLowerCase()}@forcebridge.invalid`);
    expect(connection.verifiedAt).not.toBeNull();

    const org = await inspectOrg();
    expect(connection.orgId).toBe(org.orgId);
    const user = org.users.find((u) => u.Username === connection.integrationUsername)!;
    expect(user).toMatchObject({ Name: 'Forcebridge integration user', IsActive: true, Profile: 'Minimum Access - API Only Integrations' });
    expect(user.PermissionSetLicenses).toEqual(['SalesforceAPIIntegrationPsl']);
    expect(user.PermissionSets).toContain(FORCEBRIDGE_SET);

    const set = org.permissionSets.find((s) => s.Name === FORCEBRIDGE_SET)!;
    // Least privilege: read + view all on exactly Contact and Account, nothing that writes.
    expect(set.ObjectPermissions.map((o) => [o.SobjectType, o.PermissionsRead, o.PermissionsViewAllRecords, o.PermissionsCreate, o.PermissionsEdit, o.PermissionsDelete, o.PermissionsModifyAllRecords]).sort()).toEqual([
      ['Account', true, true, false, false, false, false],
      ['Contact', true, true, false, false, false, false],
    ]);
    expect(set.FieldPermissions.every((f) => f.PermissionsRead && !f.PermissionsEdit)).toBe(true);
    expect(set.FieldPermissions.map((f) => f.Field).sort()).toEqual([
      'Account.AccountNumber', 'Account.Description', 'Account.Fax', 'Account.NumberOfEmployees', 'Account.Phone', 'Account.Sic', 'Account.TickerSymbol',
      'Contact.AccountId', 'Contact.AssistantName', 'Contact.AssistantPhone', 'Contact.Birthdate', 'Contact.Department', 'Contact.Description',
      'Contact.Email', 'Contact.Fax', 'Contact.MobilePhone', 'Contact.Phone',
    ]);
    expect(set.Assignments.map((a) => a.AssigneeId)).toEqual([user.Id]);

    const app = org.apps.find((a) => a.name === 'Forcebridge')!;
    expect(app).toMatchObject({ kind: 'ExternalClientApplication', adminApproved: true, consumerKey: connection.consumerKey });
    // Pre-authorized by permission set id, as the Metadata API reference documents.
    expect(app.permissionSets).toEqual([set.Id]);
  });

  it('keeps secrets out of responses and encrypted at rest', async () => {
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    const body = JSON.stringify(await (await call(`/api/connections/${connection.id}`, { key: acme.key })).json());
    expect(body).not.toMatch(/PRIVATE KEY|access_token|sealed/i);
    const row = (await findConnection(env.DB, acme.id, connection.id))!;
    expect(row.private_key_sealed).toMatch(/^v1\./);
    expect(row.private_key_sealed).not.toContain('PRIVATE KEY');
    expect(row.access_token_sealed).toMatch(/^v1\./);
  });

  it('reads Salesforce as the integration user and signs in again when the session expires', async () => {
    const acme = await newTenant();
    const connection = await turnOn(acme.key);
    const row = (await findConnection(env.DB, acme.id, connection.id))!;
    const sf = await integrationSession(env, row);
    const first = await sf.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1');
    expect(first.records).toHaveLength(1);

    await control('POST', '/sessions/expire', { username: connection.integrationUsername });
    const again = await sf.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1');
    expect(again.records).toHaveLength(1);
    const info = await sf.request<{ preferred_username: string }>('/services/oauth2/userinfo');
    expect(info.preferred_username).toBe(connection.integrationUsername);
  });

  it('answers again with the existing connection instead of provisioning twice', async () => {
    const acme = await newTenant();
    const first = await turnOn(acme.key);
    const second = await turnOn(acme.key);
    expect(second.id).toBe(first.id);
    expect((await inspectOrg()).users.filter((u) => u.Username === first.integrationUsername)).toHaveLength(1);
  });
});

describe('Turn off access', () => {
  it('deletes the app and permission set, removes the assignment and deactivates the user', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    const off = await turnOff(acme.key, on.id);
    expect(off.status).toBe('off');
    expect(off.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(off.consumerKey).toBeNull();

    const org = await inspectOrg();
    expect(org.apps.find((a) => a.name === 'Forcebridge')).toBeUndefined();
    expect(org.permissionSets.find((s) => s.Name === FORCEBRIDGE_SET)).toBeUndefined();
    const user = org.users.find((u) => u.Username === on.integrationUsername)!;
    expect(user.IsActive).toBe(false);
    expect(user.PermissionSets).not.toContain(FORCEBRIDGE_SET);
    const row = (await findConnection(env.DB, acme.id, on.id))!;
    expect(row.private_key_sealed).toBeNull();
    expect(row.access_token_sealed).toBeNull();
  });

  it('turns on again reusing the same, reactivated user', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    const userId = on.integrationUserId;
    await turnOff(acme.key, on.id);
    const again = await turnOn(acme.key);
    expect(again.id).toBe(on.id);
    expect(again.status).toBe('connected');
    expect(again.integrationUserId).toBe(userId);
    const users = (await inspectOrg()).users.filter((u) => u.Username === on.integrationUsername);
    expect(users).toHaveLength(1);
    expect(users[0]!.IsActive).toBe(true);
  });
});

describe('Reconnect', () => {
  it('deletes and recreates the app and permission set with a new key, reusing the user', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    const before = (await findConnection(env.DB, acme.id, on.id))!;
    const again = await reconnect(acme.key, on.id);
    expect(again.status).toBe('connected');
    expect(again.integrationUserId).toBe(on.integrationUserId);
    expect(again.consumerKey).not.toBe(on.consumerKey);
    const after = (await findConnection(env.DB, acme.id, on.id))!;
    expect(after.certificate_pem).not.toBe(before.certificate_pem);
    const org = await inspectOrg();
    expect(org.apps.filter((a) => a.name === 'Forcebridge')).toHaveLength(1);
    expect(org.permissionSets.filter((s) => s.Name === FORCEBRIDGE_SET)).toHaveLength(1);
  });
});

describe('one org, one tenant', () => {
  it('refuses a second tenant, naming the situation, and leaves the first connection alone', async () => {
    const acme = await newTenant('Acme');
    const globex = await newTenant('Globex');
    const on = await turnOn(acme.key);
    const response = await post(globex.key, '/api/connections', { session: await adminSession() });
    expect(response.status).toBe(409);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('org_connected_elsewhere');
    expect(body.error.message).toMatch(/already connected to another Forcebridge tenant/);
    const still = ConnectionSchema.parse(await (await call(`/api/connections/${on.id}`, { key: acme.key })).json());
    expect(still.status).toBe('connected');
    // Globex cannot see or act on Acme's connection either.
    expect((await call(`/api/connections/${on.id}`, { key: globex.key })).status).toBe(404);
  });

  it('lets another tenant connect the org once the first turned access off', async () => {
    const acme = await newTenant('Acme');
    const globex = await newTenant('Globex');
    const on = await turnOn(acme.key);
    await turnOff(acme.key, on.id);
    expect((await turnOn(globex.key)).status).toBe('connected');
  });
});
