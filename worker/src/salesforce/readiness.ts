/**
 * Everything Forcebridge assumes about an org before it turns access on, checked read-only with the admin's
 * authority: API access, the admin's permissions, External Client Apps, a free integration licence and
 * permission-set licence, free names, readable objects and fields, Bulk API 2.0 and the daily API budget.
 * The panel's pre-flight step and `npm run doctor` both run this one function, so they never disagree.
 *
 * Nothing is found by a display name: Salesforce translates standard profile and licence names into the caller's
 * language, and older orgs name the integration profile "Salesforce API Only System Integrations". The integration
 * profile is the API-only profile of the integration user licence (`UserLicense.LicenseDefinitionKey`), the
 * permission-set licence is found by `DeveloperName`.
 * https://help.salesforce.com/s/articleView?id=platform.integration_user.htm
 */
import type { Connection } from './api';
import { asSalesforceError } from './errors';
import { listMetadata, readMetadata } from './metadata';
import { API_INTEGRATION_PSL, APP_NAME, INTEGRATION_LICENCE_LABEL, MANAGED_MARKER, PERMISSION_SET_NAME, integrationUsername, soqlString } from './provisioning/names';
import type { RequiredAccess } from './provisioning/permission-set-plan';

export type CheckId =
  | 'api_access'
  | 'admin_permissions'
  | 'external_client_apps'
  | 'integration_licence'
  | 'api_integration_licence'
  | 'names_free'
  | 'objects_readable'
  | 'bulk_api'
  | 'api_budget';

export interface ReadinessCheck {
  id: CheckId;
  label: string;
  ok: boolean;
  /** what was found */
  detail: string;
  /** what to do when it is not ok */
  fix?: string;
  /**
   * false for what turning on does not need: External Client Apps (the legacy Connected App may do), Bulk API 2.0
   * (only large first loads use it) and the API budget (the sync keeps its own reserve); the doctor still shows ✗
   */
  blocksTurnOn: boolean;
}

/**
 * The system permissions the steps use, by UserPermissionAccess field: deploys need Modify Metadata (or Modify All
 * Data), the permission set needs Manage Profiles and Permission Sets, the user Manage Users, the app Customize
 * Application (the "admin role" the External Client App types' special access rules name).
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_metadata_perm.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthconfigurablepolicies.htm
 */
const NEEDED_PERMISSIONS: { label: string; anyOf: string[] }[] = [
  { label: 'Modify Metadata Through Metadata API Functions (or Modify All Data)', anyOf: ['PermissionsModifyMetadata', 'PermissionsModifyAllData'] },
  { label: 'Manage Profiles and Permission Sets', anyOf: ['PermissionsManageProfilesPermissionsets'] },
  { label: 'Manage Users', anyOf: ['PermissionsManageUsers'] },
  { label: 'Customize Application', anyOf: ['PermissionsCustomizeApplication'] },
];

/** The standard full Salesforce user licence: API-only profiles on it are admins' own clones, not the integration profile. */
const FULL_SALESFORCE_LICENCE_KEY = 'SFDC';
/**
 * The integration licence's LicenseDefinitionKey. Salesforce's UserLicense reference does not list it; where an org
 * reports another key, the oldest API-only profile outside the full Salesforce licence is taken instead.
 */
export const INTEGRATION_LICENCE_KEY = 'SFDC_INTEGRATION';

export interface IntegrationProfile {
  profileId: string;
  profileName: string;
  licenceId: string;
  licenceName: string;
  totalLicences: number;
  usedLicences: number;
}

interface ProfileRow {
  Id: string;
  Name: string;
  CreatedDate: string;
  UserLicenseId: string;
  UserLicense: { Name: string; LicenseDefinitionKey: string; TotalLicenses: number; UsedLicenses: number } | null;
}

/** The integration profile by licence and the API-only flag; undefined when the org has none. */
export async function findIntegrationProfile(conn: Connection): Promise<IntegrationProfile | undefined> {
  const { records } = await conn.query<ProfileRow>(
    'SELECT Id, Name, CreatedDate, UserLicenseId, UserLicense.Name, UserLicense.LicenseDefinitionKey, UserLicense.TotalLicenses, UserLicense.UsedLicenses FROM Profile WHERE PermissionsApiUserOnly = true ORDER BY CreatedDate ASC',
  );
  const candidates = records.filter((p) => p.UserLicense && p.UserLicense.LicenseDefinitionKey !== FULL_SALESFORCE_LICENCE_KEY);
  const profile = candidates.find((p) => p.UserLicense?.LicenseDefinitionKey === INTEGRATION_LICENCE_KEY) ?? candidates[0];
  if (!profile?.UserLicense) return undefined;
  return {
    profileId: profile.Id,
    profileName: profile.Name,
    licenceId: profile.UserLicenseId,
    licenceName: profile.UserLicense.Name,
    totalLicences: profile.UserLicense.TotalLicenses,
    usedLicences: profile.UserLicense.UsedLicenses,
  };
}

export interface ReadinessInput {
  /** the fields each object must have readable (the mappings) */
  requiredAccess: RequiredAccess;
  /** defaults to the username Forcebridge derives from the org id */
  integrationUsername?: string;
  /** the API version path, e.g. 62.0 */
  apiVersion: string;
}

type Check = Omit<ReadinessCheck, 'id' | 'label' | 'blocksTurnOn'>;
const pass = (detail: string): Check => ({ ok: true, detail });
const fail = (detail: string, fix: string): Check => ({ ok: false, detail, fix });
const said = (error: unknown) => {
  const sf = asSalesforceError(error);
  return sf ? `${sf.errorCode}: ${sf.message}` : error instanceof Error ? error.message : String(error);
};

/** Runs every check in order; when the API itself is refused, that is the only answer. */
export async function checkReadiness(conn: Connection, input: ReadinessInput): Promise<ReadinessCheck[]> {
  const checks: ReadinessCheck[] = [];
  const run = async (id: CheckId, label: string, blocksTurnOn: boolean, check: () => Promise<Check>) => {
    let outcome: Check;
    try {
      outcome = await check();
    } catch (error) {
      outcome = fail(`Salesforce refused the check (${said(error)}).`, 'Fix what Salesforce names, then run the check again.');
    }
    checks.push({ id, label, blocksTurnOn, ...outcome });
    return outcome.ok;
  };

  let orgId = '';
  const apiOk = await run('api_access', 'API access', true, async () => {
    try {
      const { records } = await conn.query<{ Id: string }>('SELECT Id FROM Organization');
      orgId = records[0]?.Id ?? '';
      return pass(`The API answers for org ${orgId}.`);
    } catch (error) {
      return fail(`Salesforce refused an API call (${said(error)}).`, 'Use an org with API access (Enterprise, Unlimited, Developer or Performance Edition) and a user with "API Enabled"; check the access token has not expired.');
    }
  });
  if (!apiOk) return checks;
  const username = input.integrationUsername ?? integrationUsername(orgId);

  await run('admin_permissions', 'Your permissions', true, async () => {
    // UserPermissionAccess holds the running user's effective permissions (profile and permission sets together).
    const fields = [...new Set(NEEDED_PERMISSIONS.flatMap((p) => p.anyOf))];
    const { records } = await conn.query<Record<string, boolean>>(`SELECT ${fields.join(', ')} FROM UserPermissionAccess`);
    const mine = records[0] ?? {};
    const missing = NEEDED_PERMISSIONS.filter((p) => !p.anyOf.some((field) => mine[field] === true)).map((p) => p.label);
    return missing.length === 0
      ? pass('You hold every permission the steps use.')
      : fail(`Your user lacks ${missing.join(', ')}.`, 'Ask a System Administrator to turn access on, or to grant these permissions through a permission set (Setup → Permission Sets).');
  });

  let ecaAvailable = false;
  await run('external_client_apps', 'External Client Apps', false, async () => {
    try {
      await listMetadata(conn, ['ExternalClientApplication']);
      ecaAvailable = true;
      return pass('External Client Apps are available.');
    } catch (error) {
      const sf = asSalesforceError(error);
      if (sf?.errorCode === 'INVALID_TYPE') {
        return fail(
          `External Client Apps are not available in this org (${said(error)}).`,
          'Turn them on in Setup → External Client App Settings. Without them Forcebridge can only create a legacy Connected App, which Salesforce allows only where Support has re-enabled Connected App creation.',
        );
      }
      if (sf?.errorCode === 'INSUFFICIENT_ACCESS') {
        return fail(`Your user may not read External Client Apps (${said(error)}).`, 'Grant "View all External Client Apps, view their settings, and edit their policies" (or make the user a System Administrator).');
      }
      throw error;
    }
  });

  const { records: users } = await conn.query<{ Id: string; IsActive: boolean; ProfileId: string }>(`SELECT Id, IsActive, ProfileId FROM User WHERE Username = ${soqlString(username)}`);
  const existingUser = users[0];

  await run('integration_licence', `${INTEGRATION_LICENCE_LABEL} user licence`, true, async () => {
    const profile = await findIntegrationProfile(conn);
    if (!profile) {
      return fail('Your org has no API-only integration profile (the Salesforce Integration user licence).', 'Every Enterprise, Unlimited, Performance and Developer Edition org includes Salesforce Integration licences; ask Salesforce to enable them.');
    }
    const free = profile.totalLicences - profile.usedLicences;
    if (existingUser?.IsActive) return pass(`The Forcebridge integration user already holds a licence (profile "${profile.profileName}").`);
    if (profile.totalLicences === 0) return fail(`Your org has no Salesforce Integration user licences ("${profile.licenceName}": 0).`, 'Every Enterprise, Unlimited, Performance and Developer Edition org includes some; ask Salesforce to enable them, then retry.');
    return free > 0
      ? pass(`${free} of ${profile.totalLicences} "${profile.licenceName}" licences are free (profile "${profile.profileName}").`)
      : fail(`All ${profile.totalLicences} "${profile.licenceName}" licences of your org are in use.`, 'Free one (deactivate an unused integration user in Setup → Users) or buy more.');
  });

  await run('api_integration_licence', 'Salesforce API Integration permission set licence', true, async () => {
    const { records } = await conn.query<{ Id: string; TotalLicenses: number; UsedLicenses: number }>(
      `SELECT Id, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = ${soqlString(API_INTEGRATION_PSL)}`,
    );
    const psl = records[0];
    if (!psl) return fail('Your org has no Salesforce API Integration permission set licence, which integration users need to read standard objects.', 'Ask Salesforce to add it to your org.');
    if (existingUser) {
      const { records: held } = await conn.query<{ Id: string }>(`SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = ${soqlString(existingUser.Id)} AND PermissionSetLicenseId = ${soqlString(psl.Id)}`);
      if (held.length > 0) return pass('The Forcebridge integration user already holds it.');
    }
    return psl.UsedLicenses < psl.TotalLicenses
      ? pass(`${psl.TotalLicenses - psl.UsedLicenses} of ${psl.TotalLicenses} are free.`)
      : fail(`All ${psl.TotalLicenses} Salesforce API Integration permission set licences are assigned.`, 'Remove one from an unused integration user (Setup → Users → Permission Set License Assignments).');
  });

  await run('names_free', 'Names Forcebridge needs', true, async () => {
    const taken: string[] = [];
    const { records: sets } = await conn.query<{ Description: string | null }>(`SELECT Description FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`);
    if (sets[0] && !sets[0].Description?.includes(MANAGED_MARKER)) taken.push(`a permission set named ${PERMISSION_SET_NAME} already exists and was not made by Forcebridge (Setup → Permission Sets)`);
    if (ecaAvailable) {
      const app = await readMetadata<{ description?: string }>(conn, 'ExternalClientApplication', APP_NAME);
      if (app && !app.description?.includes(MANAGED_MARKER)) taken.push(`an External Client App named ${APP_NAME} already exists and was not made by Forcebridge (Setup → External Client App Manager)`);
    }
    const reuse = [existingUser && 'integration user', sets[0] && 'permission set'].filter(Boolean);
    return taken.length === 0
      ? pass(reuse.length > 0 ? `Free, or already Forcebridge's (the ${reuse.join(' and ')} will be reused).` : `${PERMISSION_SET_NAME} and ${APP_NAME} are free.`)
      : fail(`${taken.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()), 'Rename or delete it in Setup, then retry.');
  });

  await run('objects_readable', 'Objects and fields', true, async () => {
    const problems: string[] = [];
    for (const [object, fields] of Object.entries(input.requiredAccess)) {
      const described = new Set((await conn.sobject(object).describe()).fields.map((f) => f.name));
      const missing = fields.filter((f) => !described.has(f));
      if (missing.length > 0) problems.push(`${object} has no ${missing.join(', ')} that you can see`);
    }
    return problems.length === 0
      ? pass(`${Object.keys(input.requiredAccess).join(' and ')} and every mapped field are readable.`)
      : fail(`${problems.join('; ')}.`, 'Check field-level security for your profile, or change the mapping to fields that exist.');
  });

  await run('bulk_api', 'Bulk API 2.0', false, async () => {
    await conn.request(`/services/data/v${input.apiVersion}/jobs/query`);
    return pass('Bulk API 2.0 query jobs are available for first loads.');
  });

  await run('api_budget', 'Daily API requests', false, async () => {
    const limits = await conn.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>(`/services/data/v${input.apiVersion}/limits`);
    const daily = limits.DailyApiRequests;
    if (!daily) return fail('Salesforce did not report DailyApiRequests.', 'Grant "View Setup and Configuration" to read the limits.');
    return daily.Remaining >= daily.Max * 0.1
      ? pass(`${daily.Remaining} of ${daily.Max} requests left in the last 24 hours.`)
      : fail(`Only ${daily.Remaining} of ${daily.Max} requests are left in the last 24 hours.`, 'Wait for the 24-hour window to free requests, or buy more API capacity, before the first sync.');
  });

  return checks;
}
