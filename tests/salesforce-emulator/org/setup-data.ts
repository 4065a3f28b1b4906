/**
 * What a fresh org contains before any test touches it: the Organization row, user licences (Salesforce, Salesforce
 * Platform, Salesforce Integration), the Salesforce API Integration permission-set licence, the standard profiles
 * (System Administrator, Standard User, Minimum Access - Salesforce, Minimum Access - API Only Integrations), each with
 * the permission set it owns (real orgs have one per profile, `IsOwnedByProfile = true`, and assign it to every user
 * of the profile), and the admin user.
 * https://help.salesforce.com/s/articleView?id=sf.integration_user.htm (Salesforce Integration licence and profile)
 */
import { recordedJson, type JsonObject } from '../recordings';
import type { Org } from './org';
import { applyStandardNames } from './standard-names';

export const LICENSES = {
  salesforce: 'Salesforce',
  platform: 'Salesforce Platform',
  integration: 'Salesforce Integration',
} as const;

export const PROFILES = {
  admin: 'System Administrator',
  standard: 'Standard User',
  minimum: 'Minimum Access - Salesforce',
  integration: 'Minimum Access - API Only Integrations',
} as const;

export const INTEGRATION_PSL = { DeveloperName: 'SalesforceAPIIntegrationPsl', MasterLabel: 'Salesforce API Integration' } as const;

const DEFAULT_LICENSE_TOTALS: Record<string, number> = { [LICENSES.salesforce]: 10, [LICENSES.platform]: 10, [LICENSES.integration]: 5 };
/** LicenseDefinitionKey of the licences (the Integration key is not documented; see README fidelity notes). */
export const INTEGRATION_LICENSE_KEY = 'SFDC_INTEGRATION';
const LICENSE_KEYS: Record<string, string> = { [LICENSES.salesforce]: 'SFDC', [LICENSES.platform]: 'AUL', [LICENSES.integration]: INTEGRATION_LICENSE_KEY };

/** Inserts a row without running any rule; returns its id. */
export function insertRow(org: Org, object: string, values: Record<string, unknown>): string {
  const table = org.table(object);
  if (!table) throw new Error(`No table ${object}`);
  const now = org.writeTime();
  const index = table.insert(values, now);
  return table.idOf(index);
}

export function populateOrg(org: Org, adminUsername: string): void {
  const now = org.clock.now();
  const licenseIds: Record<string, string> = {};
  for (const [name, total] of Object.entries({ ...DEFAULT_LICENSE_TOTALS, ...org.options.licenses })) {
    const key = Object.entries(LICENSES).find(([, english]) => english === name)?.[0];
    licenseIds[name] = insertRow(org, 'UserLicense', {
      Name: name,
      MasterLabel: name,
      LicenseDefinitionKey: LICENSE_KEYS[name] ?? name.replace(/\W+/g, '_').toUpperCase(),
      TotalLicenses: total,
      Status: 'Active',
      UsedLicensesLastUpdated: now,
      MonthlyLoginsUsed: 0,
      MonthlyLoginsEntitlement: 0,
    });
    if (key) org.standardRows.licenses[key] = licenseIds[name];
  }
  org.standardRows.integrationPsl = insertRow(org, 'PermissionSetLicense', {
    ...INTEGRATION_PSL,
    PermissionSetLicenseKey: INTEGRATION_PSL.DeveloperName,
    Language: 'en_US',
    TotalLicenses: org.options.licenses?.[INTEGRATION_PSL.MasterLabel] ?? org.options.licenses?.[LICENSES.integration] ?? DEFAULT_LICENSE_TOTALS[LICENSES.integration],
    Status: 'Active',
    MaximumPermissionsApiEnabled: true,
    MaximumPermissionsApiUserOnly: true,
  });

  const permissionNames = permissionFieldNames(org);
  const all = (value: boolean) => Object.fromEntries(permissionNames.map((name) => [name, value]));
  const profiles: [key: keyof typeof PROFILES, license: string, permissions: Record<string, boolean>][] = [
    ['admin', LICENSES.salesforce, { ...all(true), PermissionsApiUserOnly: false, PermissionsIsotopeCToCUser: false }],
    ['standard', LICENSES.salesforce, { ...all(false), PermissionsApiEnabled: true, PermissionsChatterInternalUser: true, PermissionsRunReports: true, PermissionsViewHelpLink: true, PermissionsLightningExperienceUser: true }],
    ['minimum', LICENSES.salesforce, all(false)],
    ['integration', LICENSES.integration, { ...all(false), PermissionsApiEnabled: true, PermissionsApiUserOnly: true }],
  ];
  const profileIds: Record<string, string> = {};
  for (const [key, license, permissions] of profiles) {
    const name = PROFILES[key];
    const profileId = insertRow(org, 'Profile', { Name: name, UserLicenseId: licenseIds[license], UserType: 'Standard', ...permissions });
    profileIds[name] = profileId;
    org.standardRows.profiles[key] = profileId;
    const ownedName = `X${profileId.slice(0, 15)}_${name.replace(/\W+/g, '').slice(0, 12)}`;
    insertRow(org, 'PermissionSet', { Name: ownedName, Label: ownedName, ProfileId: profileId, IsOwnedByProfile: true, IsCustom: false, LicenseId: licenseIds[license], Type: 'Profile', ...permissions });
  }

  const admin = insertRow(org, 'User', {
    Username: adminUsername,
    FirstName: 'Admin',
    LastName: 'User',
    Email: adminUsername,
    Alias: 'auser',
    CommunityNickname: 'admin.user',
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: profileIds[PROFILES.admin],
    IsActive: true,
    UserType: 'Standard',
  });
  org.adminUserId = admin;
  for (const table of org.tables.values()) table.defaultUserId = admin;
  assignProfilePermissionSet(org, admin);
  insertOrganization(org, admin);
  grantStandardUserAccess(org, profileIds[PROFILES.standard] ?? '');
  applyStandardNames(org);
}

/** Real orgs assign each user the permission set their profile owns; PermissionSetAssignment queries show it. */
export function assignProfilePermissionSet(org: Org, userId: string): void {
  const user = org.locate(userId);
  if (!user) return;
  const profileId = org.value('User', user.index, 'ProfileId');
  const owned = org.findIds('PermissionSet', { ProfileId: profileId, IsOwnedByProfile: true })[0];
  if (owned) insertRow(org, 'PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: owned, IsActive: true, IsRevoked: false });
}

export function permissionFieldNames(org: Org): string[] {
  return (org.schemas.get('PermissionSet')?.fields ?? []).filter((f) => f.name.startsWith('Permissions')).map((f) => f.name);
}

function insertOrganization(org: Org, adminId: string): void {
  const recorded = recordedJson<JsonObject>('rest/Organization_record.cumulusci.json');
  const schema = org.schemas.get('Organization');
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(recorded)) {
    const field = schema?.field(name);
    if (!field || field.type === 'address' || ['Id', 'CreatedDate', 'SystemModstamp', 'LastModifiedDate'].includes(name)) continue;
    values[name] = field.type === 'datetime' && typeof value === 'string' ? Date.parse(value.replace('+0000', 'Z')) : value;
  }
  Object.assign(values, {
    Name: org.orgName,
    OrganizationType: 'Developer Edition',
    InstanceName: 'EMU1',
    IsSandbox: org.isSandbox,
    TrialExpirationDate: null,
    PrimaryContact: 'Admin User',
    CreatedById: adminId,
    LastModifiedById: adminId,
  });
  insertRow(org, 'Organization', values);
}

/** Standard User's profile can read and edit Accounts and Contacts and every permissionable field of them. */
function grantStandardUserAccess(org: Org, profileId: string): void {
  const owned = org.findIds('PermissionSet', { ProfileId: profileId, IsOwnedByProfile: true })[0];
  if (!owned) return;
  for (const object of ['Account', 'Contact']) {
    insertRow(org, 'ObjectPermissions', {
      ParentId: owned, SobjectType: object, PermissionsRead: true, PermissionsCreate: true, PermissionsEdit: true,
      PermissionsDelete: true, PermissionsViewAllRecords: false, PermissionsModifyAllRecords: false,
    });
    for (const field of org.schemas.get(object)?.fields ?? []) {
      if (!field.permissionable) continue;
      insertRow(org, 'FieldPermissions', { ParentId: owned, SobjectType: object, Field: `${object}.${field.name}`, PermissionsRead: true, PermissionsEdit: field.updateable });
    }
  }
}
