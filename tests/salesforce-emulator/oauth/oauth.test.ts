/**
 * OAuth against the emulator the way Forcebridge uses it: provisioning an integration user, permission set and
 * External Client App through the real APIs, then the JWT bearer flow (signed with jose, posted with fetch) and
 * its errors, the web-server flow with PKCE and refresh through jsforce.OAuth2, userinfo, and expired sessions.
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';
import { clientCertificate, ecaGeneratedPolicyPackage, ecaPackage, jwtToken, signedAssertion, type ClientCertificate } from '../test-support';

const INTEGRATION_USER = 'forcebridge.integration@acme.example.com';
const PERMISSION_SET = 'Forcebridge_permission_set';

let emulator: RunningEmulator;
let admin: Connection;
let certificate: ClientCertificate;
let consumerKey: string;

async function one<T>(soql: string): Promise<T> {
  const { records } = await admin.query<T & Record<string, unknown>>(soql);
  if (!records[0]) throw new Error(`nothing for ${soql}`);
  return records[0] as T;
}

/** What Forcebridge's "Turn on access" does, step by step, through the REST and Metadata APIs. */
async function provision(): Promise<void> {
  const profile = await one<{ Id: string }>('SELECT Id FROM Profile WHERE PermissionsApiUserOnly = true');
  const user = await admin.sobject('User').create({
    Username: INTEGRATION_USER, LastName: 'Forcebridge integration user', Email: 'admin@acme.example.com', Alias: 'fbint',
    TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US', ProfileId: profile.Id,
  });
  const psl = await one<{ Id: string }>("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'");
  await admin.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user.id, PermissionSetLicenseId: psl.Id });
  const set = (await admin.sobject('PermissionSet').create({ Name: PERMISSION_SET, Label: 'Forcebridge permission set' })) as { id: string };
  await admin.sobject('ObjectPermissions').create({ ParentId: set.id, SobjectType: 'Contact', PermissionsRead: true, PermissionsViewAllRecords: true });
  await admin.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Contact', Field: 'Contact.Email', PermissionsRead: true });
  await admin.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: set.id });
  // The consumer key is ours, deployed in the global OAuth settings: readMetadata never reveals it.
  consumerKey = 'FBoauthTestConsumerKey0123456789';
  const deploy = await admin.metadata.deploy(Buffer.from(ecaPackage({ name: 'Forcebridge', certificatePem: certificate.certificatePem, permissionSet: set.id, consumerKey })), {}).complete(true);
  if (!deploy.success) throw new Error('deploy failed');
  const policy = await admin.metadata.deploy(Buffer.from(ecaGeneratedPolicyPackage('Forcebridge', set.id)), {}).complete(true);
  if (!policy.success) throw new Error('policy deploy failed');
}

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 10, contacts: 100 } });
  admin = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
  admin.metadata.pollInterval = 20;
  certificate = await clientCertificate();
  await provision();
});
afterAll(() => emulator.close());

const assertion = (overrides: Partial<{ iss: string; sub: string; aud: string; exp: number }> = {}, key = certificate.privateKeyPem) =>
  signedAssertion({ iss: consumerKey, sub: INTEGRATION_USER, aud: 'https://login.salesforce.com', ...overrides }, key);

describe('JWT bearer flow', () => {
  it('issues a token for the pre-authorized integration user, who sees only what the permission set grants', async () => {
    const { status, body } = await jwtToken(emulator.url, await assertion());
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body).toMatchObject({ instance_url: emulator.url, token_type: 'Bearer', scope: 'api refresh_token' });
    expect(body.access_token).toMatch(/^00D[0-9A-Za-z]{12}!/);
    expect(body.id).toMatch(new RegExp(`/id/${emulator.orgId}/005[0-9A-Za-z]{15}$`));

    const integration = new jsforce.Connection({ instanceUrl: body.instance_url, accessToken: body.access_token, version: '62.0' });
    const contacts = await integration.query<{ Email: string }>('SELECT Id, Email FROM Contact LIMIT 5');
    expect(contacts.records).toHaveLength(5);
    expect(contacts.records[0]?.Email).toMatch(/@example\.com$/);
    await expect(integration.query('SELECT Id, Phone FROM Contact')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(integration.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    const fields = (await integration.sobject('Contact').describe()).fields.map((f) => f.name);
    expect(fields).toContain('Email');
    expect(fields).toContain('LastName');
    expect(fields).not.toContain('Phone');
    const info = await fetch(`${emulator.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${body.access_token}` } }).then((r) => r.json());
    expect(info).toMatchObject({ preferred_username: INTEGRATION_USER, organization_id: emulator.orgId, is_salesforce_integration_user: true });
  });

  it('answers Salesforce\'s OAuth errors', async () => {
    const other = await clientCertificate();
    const cases: [Promise<string>, string, string][] = [
      [assertion({ iss: '3MVG9unknown' }), 'invalid_client_id', 'client identifier invalid'],
      [assertion({}, other.privateKeyPem), 'invalid_grant', 'invalid assertion'],
      [assertion({ aud: 'https://test.salesforce.com' }), 'invalid_grant', 'audience is invalid'],
      [assertion({ aud: 'https://acme.my.salesforce.com' }), 'invalid_grant', 'audience is invalid'],
      [assertion({ exp: Math.floor(Date.now() / 1000) - 10 }), 'invalid_grant', 'expired authorization code'],
      [assertion({ sub: emulator.adminUsername }), 'invalid_app_access', 'user is not admin approved to access this app'],
    ];
    for (const [signed, error, description] of cases) {
      const { status, body } = await jwtToken(emulator.url, await signed);
      expect({ status, body }).toEqual({ status: 400, body: { error, error_description: description } });
    }
  });

  it('checks exp against the emulator clock and refuses inactive users', async () => {
    const signed = await assertion();
    emulator.org.clock.advance(10 * 60_000);
    expect((await jwtToken(emulator.url, signed)).body.error_description).toBe('expired authorization code');
    emulator.org.clock.advance(-10 * 60_000);

    const userId = String(emulator.org.query(`SELECT Id FROM User WHERE Username = '${INTEGRATION_USER}'`)[0]?.Id);
    await admin.sobject('User').update({ Id: userId, IsActive: false });
    expect((await jwtToken(emulator.url, await assertion())).body).toEqual({ error: 'invalid_grant', error_description: 'inactive user' });
    await admin.sobject('User').update({ Id: userId, IsActive: true });
    expect((await jwtToken(emulator.url, await assertion())).status).toBe(200);
  });

  it('accepts a legacy Connected App pre-authorized through SetupEntityAccess', async () => {
    emulator.org.setSwitches({ connectedAppCreationAllowed: true });
    const created = await (admin.metadata as unknown as { create(t: string, m: object): Promise<{ success: boolean }> }).create('ConnectedApp', {
      fullName: 'Legacy_Forcebridge',
      label: 'Legacy Forcebridge',
      contactEmail: 'admin@acme.example.com',
      oauthConfig: { callbackUrl: 'https://login.salesforce.com/services/oauth2/success', certificate: certificate.certificatePem, consumerKey: 'FBLEGACYKEY', scopes: ['Api'], isAdminApproved: true },
    });
    expect(created.success).toBe(true);
    const legacy = (overrides = {}) => assertion({ iss: 'FBLEGACYKEY', ...overrides });
    expect((await jwtToken(emulator.url, await legacy())).body.error_description).toBe('user is not admin approved to access this app');
    const app = await one<{ Id: string }>("SELECT Id FROM ConnectedApplication WHERE Name = 'Legacy Forcebridge'");
    const set = await one<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = '${PERMISSION_SET}'`);
    const access = await admin.sobject('SetupEntityAccess').create({ ParentId: set.Id, SetupEntityId: app.Id });
    expect(access.success).toBe(true);
    const granted = await jwtToken(emulator.url, await legacy());
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'api' } });
  });

  it('lets a Connection with a refresh function recover from an expired session', async () => {
    let refreshes = 0;
    const refresh = async () => {
      refreshes++;
      return (await jwtToken(emulator.url, await assertion())).body.access_token ?? '';
    };
    const conn = new jsforce.Connection({
      instanceUrl: emulator.url, accessToken: await refresh(), version: '62.0',
      refreshFn: (_c, callback) => void refresh().then((token) => callback(null, token), (e: Error) => callback(e)),
    });
    expect(emulator.org.expireSessions({ username: INTEGRATION_USER })).toBeGreaterThan(0);
    const result = await conn.query('SELECT Id FROM Contact LIMIT 1');
    expect(result.totalSize).toBe(1);
    expect(refreshes).toBe(2);
  });
});

describe('web-server flow with PKCE', () => {
  const redirectUri = 'http://localhost:9999/callback';

  it('authorizes with a code and S256 verifier, then refreshes', async () => {
    const zip = ecaPackage({ name: 'AdminSignIn', certificatePem: certificate.certificatePem, permissionSet: '', callbackUrl: redirectUri });
    expect((await admin.metadata.deploy(Buffer.from(zip), {}).complete(true)).success).toBe(true);
    // Admin-approved for nobody: relax the policy so the admin may sign in by approving it themselves.
    emulator.org.org.metadata.get('ExtlClntAppOauthConfigurablePolicies', 'AdminSignIn_oauthPlcy')!.body.permittedUsersPolicyType = 'AllSelfAuthorized';
    const clientId = emulator.org.consumerKey('AdminSignIn') ?? '';

    const oauth2 = new jsforce.OAuth2({ loginUrl: emulator.url, clientId, redirectUri, useVerifier: true });
    const authorizeUrl = oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'xyz' });
    expect(authorizeUrl).toContain('code_challenge=');
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('xyz');

    const conn = new jsforce.Connection({ oauth2, version: '62.0' });
    const userInfo = await conn.authorize(back.searchParams.get('code') ?? '');
    expect(userInfo).toMatchObject({ organizationId: emulator.orgId });
    expect(conn.refreshToken).toMatch(/^5Aep/);
    expect((await conn.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);

    await expect(conn.authorize(back.searchParams.get('code') ?? '')).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid authorization code' });
    const refreshed = await oauth2.refreshToken(conn.refreshToken ?? '');
    expect(refreshed.access_token).not.toBe(conn.accessToken);
    expect(refreshed).not.toHaveProperty('refresh_token');
    await expect(oauth2.refreshToken('5Aepnope')).rejects.toMatchObject({ name: 'invalid_grant', message: 'expired access/refresh token' });
  });

  it('rejects a code redeemed with the wrong verifier', async () => {
    const clientId = emulator.org.consumerKey('AdminSignIn') ?? '';
    const honest = new jsforce.OAuth2({ loginUrl: emulator.url, clientId, redirectUri, useVerifier: true });
    const location = (await fetch(honest.getAuthorizationUrl({ scope: 'api' }), { redirect: 'manual' })).headers.get('location') ?? '';
    const code = new URL(location).searchParams.get('code') ?? '';
    const impostor = new jsforce.OAuth2({ loginUrl: emulator.url, clientId, redirectUri, useVerifier: true });
    await expect(impostor.requestToken(code)).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid code verifier' });
  });
});
