/**
 * The Metadata API with unmodified jsforce 3: createMetadata/readMetadata/deleteMetadata of a legacy Connected App
 * (refused by default since Spring '26), deploying and deleting an External Client App over SOAP and REST with
 * checkDeployStatus, the consumer key read back, and SOAP faults.
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';
import { clientCertificate, ecaDestroyPackage, ecaPackage, type ClientCertificate } from '../test-support';

let emulator: RunningEmulator;
let conn: Connection;
let certificate: ClientCertificate;

type LooseMetadata = {
  create(type: string, metadata: object): Promise<{ success: boolean; fullName: string; errors?: { message: string; statusCode: string } | { message: string; statusCode: string }[] }>;
  read(type: string, fullName: string): Promise<Record<string, any>>;
  delete(type: string, fullName: string): Promise<{ success: boolean; errors?: { statusCode: string; message: string } }>;
};
const meta = () => conn.metadata as unknown as LooseMetadata;

beforeAll(async () => {
  emulator = await startEmulator();
  conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
  conn.metadata.pollInterval = 20;
  certificate = await clientCertificate();
});
afterAll(() => emulator.close());

const connectedApp = (consumerKey: string) => ({
  fullName: 'Legacy_App',
  label: 'Legacy App',
  contactEmail: 'admin@example.com',
  oauthConfig: { callbackUrl: 'https://login.salesforce.com/services/oauth2/success', certificate: certificate.certificatePem, consumerKey, scopes: ['Api', 'RefreshToken'], isAdminApproved: true },
});

describe('Metadata API with jsforce', () => {
  it('refuses a new Connected App as orgs do since Spring \'26, and creates one where the org still allows it', async () => {
    const refused = await meta().create('ConnectedApp', connectedApp('LEGACYKEY1'));
    expect(refused.success).toBe(false);
    expect([refused.errors].flat()[0]).toMatchObject({ statusCode: 'INSUFFICIENT_ACCESS', message: expect.stringMatching(/^Creation of new connected apps is disabled/) });

    emulator.org.setSwitches({ connectedAppCreationAllowed: true });
    const created = await meta().create('ConnectedApp', connectedApp('LEGACYKEY1'));
    expect(created).toMatchObject({ success: true, fullName: 'Legacy_App' });
    const read = await meta().read('ConnectedApp', 'Legacy_App');
    expect(read).toMatchObject({ fullName: 'Legacy_App', label: 'Legacy App', oauthConfig: { consumerKey: 'LEGACYKEY1', isAdminApproved: true, scopes: ['Api', 'RefreshToken'] } });
    expect(emulator.org.query("SELECT Id, Name FROM ConnectedApplication WHERE Name = 'Legacy App'")).toHaveLength(1);

    expect(await meta().delete('ConnectedApp', 'Legacy_App')).toMatchObject({ success: true });
    expect((await meta().read('ConnectedApp', 'Legacy_App')).fullName).toBeUndefined();
    const again = await meta().delete('ConnectedApp', 'Legacy_App');
    expect(again.success).toBe(false);
    expect([again.errors].flat()[0]).toMatchObject({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'No ConnectedApp named: Legacy_App found' });
  });

  it('deploys an External Client App: Pending → InProgress → Succeeded; the consumer key stays hidden from readMetadata', async () => {
    const zip = ecaPackage({ name: 'Forcebridge', certificatePem: certificate.certificatePem, permissionSet: 'Forcebridge_permission_set' });
    const started = await conn.metadata.deploy(Buffer.from(zip), { singlePackage: true, rollbackOnError: true });
    expect(started).toMatchObject({ done: false, state: 'Queued' });
    expect(await meta().read('ExternalClientApplication', 'Forcebridge')).toEqual({});

    const first = await conn.metadata.checkDeployStatus(started.id, true);
    expect(first).toMatchObject({ done: false, status: 'InProgress' });
    const result = await conn.metadata.checkDeployStatus(started.id, true);
    expect(result).toMatchObject({ done: true, status: 'Succeeded', success: true, numberComponentsDeployed: 5, numberComponentErrors: 0 });
    const successes = result.details.componentSuccesses.map((m) => `${m.componentType}:${m.fullName}`);
    expect(successes).toEqual(expect.arrayContaining(['ExternalClientApplication:Forcebridge', 'ExtlClntAppGlobalOauthSettings:Forcebridge_glbloauth', ':package.xml']));

    // "Allow Access to OAuth Consumer Secrets via Metadata API" is off by default: no key, no secret.
    const settings = await meta().read('ExtlClntAppGlobalOauthSettings', 'Forcebridge_glbloauth');
    expect(settings.consumerKey).toBeUndefined();
    expect(settings.consumerSecret).toBeUndefined();
    expect(settings.certificate).toContain('BEGIN CERTIFICATE');
    const generated = emulator.org.consumerKey('Forcebridge');
    expect(generated).toMatch(/^3MVG9[A-Za-z0-9._]{80}$/);
    emulator.org.setSwitches({ oauthSecretsViaMetadata: true });
    expect((await meta().read('ExtlClntAppGlobalOauthSettings', 'Forcebridge_glbloauth')).consumerKey).toBe(generated);
    emulator.org.setSwitches({ oauthSecretsViaMetadata: false });

    // Salesforce generated the app's OAuth policy component too; listMetadata shows it beside the deployed one.
    const policies = await conn.metadata.list([{ type: 'ExtlClntAppOauthConfigurablePolicies' }], '62.0');
    expect([policies].flat().map((p) => p.fullName).sort()).toEqual(['Forcebridge_oauthPlcy', 'Forcebridge_oauth_defaultPolicy']);

    // A redeploy keeps the consumer key.
    const redeploy = await conn.metadata.deploy(Buffer.from(zip), {}).complete(true);
    expect(redeploy.success).toBe(true);
    expect(emulator.org.consumerKey('Forcebridge')).toBe(generated);
  });

  it('honours a consumer key chosen by the deployer', async () => {
    const zip = ecaPackage({ name: 'Chosen', certificatePem: certificate.certificatePem, permissionSet: '0PS000000000001', consumerKey: 'FBchosenKey42' });
    expect((await conn.metadata.deploy(Buffer.from(zip), {}).complete(true)).success).toBe(true);
    expect(emulator.org.consumerKey('Chosen')).toBe('FBchosenKey42');
  });

  it('answers INVALID_TYPE for External Client App types where the org has none', async () => {
    emulator.org.setSwitches({ externalClientAppsEnabled: false });
    await expect(meta().read('ExternalClientApplication', 'Forcebridge')).rejects.toMatchObject({ name: 'sf:INVALID_TYPE' });
    await expect(conn.metadata.list([{ type: 'ExtlClntAppGlobalOauthSettings' }], '62.0')).rejects.toMatchObject({ name: 'sf:INVALID_TYPE' });
    emulator.org.setSwitches({ externalClientAppsEnabled: true });
  });

  it('fails an External Client App deploy with the real problem text when the org has not opted in', async () => {
    emulator.org.setSwitches({ externalClientAppsEnabled: false });
    const zip = ecaPackage({ name: 'Other', certificatePem: certificate.certificatePem, permissionSet: 'X' });
    const result = await conn.metadata.deploy(Buffer.from(zip), { rollbackOnError: true }).complete(true);
    expect(result).toMatchObject({ done: true, success: false, status: 'Failed', numberComponentsDeployed: 0 });
    const failures = [result.details.componentFailures].flat();
    expect(failures[0]).toMatchObject({ componentType: 'ExternalClientApplication', fullName: 'Other', problemType: 'Error', success: false });
    expect(failures[0]?.problem).toMatch(/external client apps are not enabled/i);
    emulator.org.setSwitches({ externalClientAppsEnabled: true });
    expect(await meta().read('ExternalClientApplication', 'Other')).toEqual({});
  });

  it('deploys through the REST deployRequest resource and deletes with destructiveChanges', async () => {
    const zip = ecaPackage({ name: 'RestApp', certificatePem: certificate.certificatePem, permissionSet: 'X' });
    const started = await conn.metadata.deployRest(Buffer.from(zip), { rollbackOnError: true });
    const result = await conn.metadata.checkDeployStatus(started.id, true, true).then(() => conn.metadata.checkDeployStatus(started.id, true, true));
    expect(result).toMatchObject({ done: true, status: 'Succeeded', success: true });
    expect(emulator.org.consumerKey('RestApp')).toMatch(/^3MVG9/);

    const removal = await conn.metadata.deploy(Buffer.from(ecaDestroyPackage('RestApp')), {}).complete(true);
    expect(removal).toMatchObject({ success: true });
    // Five deployed components and the OAuth policy Salesforce generated.
    expect([removal.details.componentSuccesses].flat().filter((m) => m.deleted === true)).toHaveLength(6);
    expect(emulator.org.consumerKey('RestApp')).toBeUndefined();
  });

  it('answers SOAP faults jsforce understands: INVALID_SESSION_ID and INSUFFICIENT_ACCESS', async () => {
    const stale = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: '00Dxx0000000000!bogus', version: '62.0' });
    await expect((stale.metadata as unknown as LooseMetadata).read('ConnectedApp', 'X')).rejects.toMatchObject({
      name: 'sf:INVALID_SESSION_ID',
      message: 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
    });
    const user = emulator.org.createUser({ username: 'someone@acme.example.com' });
    const plain = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: user.accessToken, version: '62.0' });
    await expect((plain.metadata as unknown as LooseMetadata).read('ConnectedApp', 'X')).rejects.toMatchObject({ name: 'sf:INSUFFICIENT_ACCESS' });
  });
});
