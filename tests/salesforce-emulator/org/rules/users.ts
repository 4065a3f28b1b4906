/**
 * User rules: only users with "Manage Users" create or change users; usernames are email-shaped and unique across
 * all orgs (DUPLICATE_USERNAME, including names a test marks as taken in another org); an active user needs a free
 * licence of their profile (LICENSE_LIMIT_EXCEEDED) and deactivating one frees it and ends their sessions; an
 * optional validation rule can reject every new user. Each user gets their profile's permission set assigned.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm
 */
import { errors, SalesforceError } from '../../errors';
import { hasPermission } from '../access';
import type { DmlContext, ObjectRules } from '../dml';
import type { Org } from '../org';
import { assignProfilePermissionSet } from '../setup-data';
import { licenseName, licenseOfProfile, usedUserLicenses } from './licenses';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function requireManageUsers(ctx: DmlContext): void {
  if (!hasPermission(ctx.org, ctx.userId, 'PermissionsManageUsers')) throw errors.insufficientAccess();
}

function checkUsername(org: Org, username: string, selfIndex?: number): void {
  if (!EMAIL.test(username)) throw new SalesforceError('INVALID_EMAIL_ADDRESS', `Username: invalid email address: ${username}`, 400, ['Username']);
  const lower = username.toLowerCase();
  if (org.switches.usernamesTakenElsewhere.some((taken) => taken.toLowerCase() === lower)) throw errors.duplicateUsername();
  const table = org.table('User');
  for (const index of table?.indices(true) ?? []) {
    if (index !== selfIndex && String(org.value('User', index, 'Username')).toLowerCase() === lower) throw errors.duplicateUsername();
  }
}

function checkLicenseFree(org: Org, profileId: unknown): void {
  const license = licenseOfProfile(org, profileId);
  if (!license) return;
  const row = org.locate(license);
  const total = row ? Number(org.value('UserLicense', row.index, 'TotalLicenses') ?? 0) : 0;
  if (usedUserLicenses(org, license) >= total) throw errors.licenseLimitExceeded(licenseName(org, license) ?? 'Salesforce');
}

export const userRules: Record<string, ObjectRules> = {
  User: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requireManageUsers(ctx);
      if (org.switches.userValidationRule) throw errors.validationRule(org.switches.userValidationRule);
      if (typeof values.Username === 'string') {
        const username = values.Username.toLowerCase();
        values.Username = username;
        checkUsername(org, username);
      }
      if (typeof values.Email === 'string' && !EMAIL.test(values.Email)) {
        throw new SalesforceError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${values.Email}`, 400, ['Email']);
      }
      values.IsActive ??= true;
      values.UserType = 'Standard';
      values.CommunityNickname ??= `${String(values.Username ?? 'user').split('@')[0]}${Math.floor(Math.random() * 1e6)}`;
      if (values.IsActive === true && values.ProfileId) checkLicenseFree(org, values.ProfileId);
    },
    afterInsert(ctx, id) {
      assignProfilePermissionSet(ctx.org, id);
    },
    beforeUpdate(ctx, index, changes) {
      const { org } = ctx;
      const selfId = org.table('User')?.idOf(index);
      if (selfId !== ctx.userId) requireManageUsers(ctx);
      if (typeof changes.Username === 'string') {
        const username = changes.Username.toLowerCase();
        changes.Username = username;
        checkUsername(org, username, index);
      }
      const wasActive = org.value('User', index, 'IsActive') === true;
      const profileId = changes.ProfileId ?? org.value('User', index, 'ProfileId');
      const activating = changes.IsActive === true && !wasActive;
      const changingLicense = changes.ProfileId !== undefined && wasActive && changes.IsActive !== false && licenseOfProfile(org, changes.ProfileId) !== licenseOfProfile(org, org.value('User', index, 'ProfileId'));
      if (activating || changingLicense) checkLicenseFree(org, profileId);
    },
    afterUpdate(ctx, index, changes) {
      const { org } = ctx;
      const userId = org.table('User')?.idOf(index) ?? '';
      if (changes.IsActive === false) org.sessions.expire({ userId });
      if (changes.ProfileId !== undefined) moveProfileAssignment(org, userId);
    },
  },
};

/** When a user's profile changes, the profile-owned permission set assignment follows it. */
function moveProfileAssignment(org: Org, userId: string): void {
  const assignments = org.table('PermissionSetAssignment');
  if (!assignments) return;
  for (const index of org.find('PermissionSetAssignment', { AssigneeId: userId })) {
    const set = org.locate(String(org.value('PermissionSetAssignment', index, 'PermissionSetId')));
    if (set && org.value('PermissionSet', set.index, 'IsOwnedByProfile') === true) assignments.purge(index);
  }
  assignProfilePermissionSet(org, userId);
}
