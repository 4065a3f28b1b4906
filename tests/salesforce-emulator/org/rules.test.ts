/**
 * The org's rules as the product meets them through REST: licences, unique usernames, the Salesforce API
 * Integration permission-set licence, permissionable fields, unique permission set names, validation rules,
 * non-admin callers, undeletable users, API access switches and custom fields.
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;
let admin: Connection;
let integrationProfileId: string;

const userFields = (username: string, profileId = integrationProfileId) => ({
  Username: username, LastName: 'Integration', Email: 'ops@acme.example.com', Alias: 'integ', TimeZoneSidKey: 'America/Los_Angeles',
  LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8', LanguageLocaleKey: 'en_US', ProfileId: profileId,
});

async function licence(name: string): Promise<{ TotalLicenses: number; UsedLicenses: number }> {
  const { records } = await admin.query<{ TotalLicenses: number; UsedLicenses: number }>(`SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = '${name}'`);
  return records[0] as { TotalLicenses: number; UsedLicenses: number };
}

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 3, contacts: 30 } });
});
beforeEach(async () => {
  emulator.org.reset({ seed: { accounts: 3, contacts: 30 } });
  admin = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
  const { records } = await admin.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'");
  integrationProfileId = records[0]?.Id ?? '';
});
afterAll(() => emulator.close());

describe('users and licences', () => {
  it('counts active users per licence and refuses users beyond TotalLicenses until one is deactivated', async () => {
    emulator.org.setLicenses({ 'Salesforce Integration': 1 });
    expect(await licence('Salesforce Integration')).toEqual(expect.objectContaining({ TotalLicenses: 1, UsedLicenses: 0 }));
    const first = await admin.sobject('User').create(userFields('one@acme.example.com'));
    expect((await licence('Salesforce Integration')).UsedLicenses).toBe(1);
    await expect(admin.sobject('User').create(userFields('two@acme.example.com'))).rejects.toMatchObject({
      errorCode: 'LICENSE_LIMIT_EXCEEDED',
      message: 'License Limit Exceeded - Salesforce Integration',
    });
    await admin.sobject('User').update({ Id: first.id as string, IsActive: false });
    expect((await licence('Salesforce Integration')).UsedLicenses).toBe(0);
    expect((await admin.sobject('User').create(userFields('two@acme.example.com'))).success).toBe(true);
  });

  it('keeps usernames unique across orgs (DUPLICATE_USERNAME), inactive users included', async () => {
    const created = await admin.sobject('User').create(userFields('dup@acme.example.com'));
    await admin.sobject('User').update({ Id: created.id as string, IsActive: false });
    const duplicate = admin.sobject('User').create(userFields('DUP@acme.example.com'));
    await expect(duplicate).rejects.toMatchObject({ errorCode: 'DUPLICATE_USERNAME', data: { fields: ['Username'] } });
    await expect(duplicate).rejects.toThrow(/^Duplicate Username\.<br>The username already exists in this or another Salesforce organization\./);
    emulator.org.setSwitches({ usernamesTakenElsewhere: ['taken@elsewhere.example.com'] });
    await expect(admin.sobject('User').create(userFields('taken@elsewhere.example.com'))).rejects.toMatchObject({ errorCode: 'DUPLICATE_USERNAME' });
  });

  it('needs the required fields, refuses deletes, and applies an active validation rule', async () => {
    const missing = await admin.sobject('User').create({ Username: 'x@acme.example.com' }).catch((error: { errorCode: string; data: { fields: string[] } }) => error);
    expect(missing).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    expect([...(missing as { data: { fields: string[] } }).data.fields].sort()).toEqual(['Alias', 'Email', 'EmailEncodingKey', 'LanguageLocaleKey', 'LastName', 'LocaleSidKey', 'ProfileId', 'TimeZoneSidKey']);
    const user = await admin.sobject('User').create(userFields('keep@acme.example.com'));
    await expect(admin.sobject('User').destroy(user.id as string)).rejects.toMatchObject({ errorCode: 'INVALID_TYPE_FOR_OPERATION' });
    emulator.org.setSwitches({ userValidationRule: 'New users need a cost centre.' });
    await expect(admin.sobject('User').create(userFields('blocked@acme.example.com'))).rejects.toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'New users need a cost centre.',
    });
  });

  it('refuses setup changes from a non-admin, whose UserPermissionAccess says so', async () => {
    const user = emulator.org.createUser({ username: 'rep@acme.example.com' });
    const rep = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: user.accessToken, version: '62.0' });
    const { records } = await rep.query('SELECT PermissionsManageUsers, PermissionsCustomizeApplication FROM UserPermissionAccess');
    expect(records[0]).toMatchObject({ PermissionsManageUsers: false, PermissionsCustomizeApplication: false });
    await expect(rep.sobject('User').create(userFields('nope@acme.example.com'))).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
    await expect(rep.sobject('PermissionSet').create({ Name: 'Nope', Label: 'Nope' })).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    expect((await rep.query('SELECT Id, Phone FROM Contact LIMIT 1')).totalSize).toBe(1);
  });

  it('answers API_DISABLED_FOR_ORG when the org or the user has no API access', async () => {
    emulator.org.setSwitches({ apiEnabled: false });
    await expect(admin.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'API_DISABLED_FOR_ORG', message: 'The REST API is not enabled for this Organization.' });
    emulator.org.setSwitches({ apiEnabled: true });
    const user = emulator.org.createUser({ username: 'noapi@acme.example.com', profile: 'Minimum Access - Salesforce' });
    const noApi = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: user.accessToken, version: '62.0' });
    await expect(noApi.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'API_DISABLED_FOR_ORG' });
    const switched = emulator.org.createUser({ username: 'switched@acme.example.com', apiEnabled: false });
    const off = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: switched.accessToken, version: '62.0' });
    await expect(off.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'API_DISABLED_FOR_ORG', message: 'API is not enabled for this Organization or Partner' });
    emulator.org.setApiEnabled('switched@acme.example.com', true);
    expect((await off.query('SELECT Id FROM Account')).totalSize).toBe(3);
  });
});

describe('permission sets', () => {
  it('refuses Contact access for an integration user until the Salesforce API Integration licence is assigned', async () => {
    const user = await admin.sobject('User').create(userFields('fb@acme.example.com'));
    const set = await admin.sobject('PermissionSet').create({ Name: 'Sync', Label: 'Sync' });
    await admin.sobject('ObjectPermissions').create({ ParentId: set.id, SobjectType: 'Contact', PermissionsRead: true, PermissionsViewAllRecords: true });
    await expect(admin.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: set.id })).rejects.toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: "The user license doesn't allow the permission: Read Contact",
    });
    const psl = emulator.org.query("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'")[0]?.Id as string;
    await admin.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user.id, PermissionSetLicenseId: psl });
    expect((await admin.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: set.id })).success).toBe(true);
    const inspected = emulator.org.inspect().permissionSets.find((s) => s.Name === 'Sync');
    expect(inspected?.ObjectPermissions).toEqual([expect.objectContaining({ SobjectType: 'Contact', PermissionsRead: true, PermissionsViewAllRecords: true })]);
    expect(inspected?.Assignments).toEqual([expect.objectContaining({ AssigneeId: user.id })]);
  });

  it('takes FieldPermissions only on permissionable fields, once per field', async () => {
    const set = await admin.sobject('PermissionSet').create({ Name: 'Fields', Label: 'Fields' });
    expect((await admin.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Contact', Field: 'Contact.Email', PermissionsRead: true })).success).toBe(true);
    await expect(admin.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Contact', Field: 'Contact.LastName', PermissionsRead: true })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Field Name: bad value for restricted picklist field: Contact.LastName',
      data: { fields: ['Field'] },
    });
    await expect(admin.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Contact', Field: 'Contact.Email', PermissionsRead: true })).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
  });

  it('keeps permission set names unique', async () => {
    await admin.sobject('PermissionSet').create({ Name: 'Forcebridge_permission_set', Label: 'Forcebridge permission set' });
    await expect(admin.sobject('PermissionSet').create({ Name: 'forcebridge_permission_set', Label: 'Again' })).rejects.toMatchObject({ errorCode: 'DUPLICATE_DEVELOPER_NAME' });
  });

  it('lists the profile-owned permission set assignment of every user, as real orgs do', async () => {
    const user = await admin.sobject('User').create(userFields('owned@acme.example.com'));
    const { records } = await admin.query<{ PermissionSet: { IsOwnedByProfile: boolean } }>(`SELECT Id, PermissionSet.IsOwnedByProfile FROM PermissionSetAssignment WHERE AssigneeId = '${user.id}'`);
    expect(records).toEqual([expect.objectContaining({ PermissionSet: expect.objectContaining({ IsOwnedByProfile: true }) })]);
  });
});

describe('custom fields', () => {
  it('adds a field at run time that describe, SOQL and writes all know', async () => {
    emulator.org.addCustomField('Contact', { name: 'Tier__c', type: 'picklist', label: 'Tier' });
    const field = (await admin.sobject('Contact').describe()).fields.find((f) => f.name === 'Tier__c');
    expect(field).toMatchObject({ custom: true, permissionable: true, type: 'picklist', label: 'Tier' });
    const [contact] = (await admin.query<{ Id: string; Tier__c: string | null }>('SELECT Id, Tier__c FROM Contact ORDER BY Id LIMIT 1')).records;
    expect(contact?.Tier__c).toBeNull();
    await admin.sobject('Contact').update({ Id: contact?.Id as string, Tier__c: 'Gold' });
    expect((await admin.query(`SELECT Id FROM Contact WHERE Tier__c = 'gold'`)).totalSize).toBe(1);
  });
});
