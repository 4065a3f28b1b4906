/**
 * The integration user: API-only, on the integration profile (*Minimum Access - API Only Integrations* in English,
 * translated in other languages, *Salesforce API Only System Integrations* in older orgs; found by its licence and
 * the API-only flag, see readiness.ts), holding the *Salesforce API Integration* permission-set licence, which must be assigned before any
 * permission set that grants standard-object access. Salesforce cannot delete users: turning off deactivates it,
 * and turning on again reactivates the same user rather than minting a new username.
 */
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';
import { findIntegrationProfile } from '../readiness';
import { API_INTEGRATION_PSL, INTEGRATION_PROFILE_LABEL, INTEGRATION_USER_LAST_NAME, soqlString } from './names';

async function findOne<T extends Record<string, unknown>>(ctx: StepContext, soql: string): Promise<T | undefined> {
  return (await ctx.admin.query<T>(soql)).records[0];
}

export async function ensureIntegrationUser(ctx: StepContext): Promise<StepOutcome> {
  const found = await findIntegrationProfile(ctx.admin);
  if (!found) {
    throw new ProvisioningError(
      'salesforce_error',
      `Your org has no API-only integration profile ("${INTEGRATION_PROFILE_LABEL}"), which Salesforce provides with Salesforce Integration user licences. Contact Salesforce to enable integration users, then retry.`,
      { status: 409 },
    );
  }
  const profile = { Id: found.profileId };
  const username = ctx.connection.integration_username;
  const existing = await findOne<{ Id: string; IsActive: boolean; ProfileId: string }>(
    ctx,
    `SELECT Id, IsActive, ProfileId FROM User WHERE Username = ${soqlString(username)}`,
  );
  if (existing) {
    if (!existing.IsActive || existing.ProfileId !== profile.Id) {
      await ctx.admin.sobject('User').update({ Id: existing.Id, IsActive: true, ProfileId: profile.Id });
    }
    await ctx.save({ integration_user_id: existing.Id });
    return { status: 'done', detail: existing.IsActive ? `Using the integration user ${username}.` : `Reactivated the integration user ${username}.` };
  }
  const created = (await ctx.admin.sobject('User').create({
    Username: username,
    LastName: INTEGRATION_USER_LAST_NAME,
    Email: ctx.adminIdentity.email,
    Alias: 'fbint',
    CommunityNickname: `forcebridge.${ctx.connection.org_id.slice(0, 15)}`,
    TimeZoneSidKey: 'GMT',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: profile.Id,
  })) as { id: string };
  await ctx.save({ integration_user_id: created.id });
  return { status: 'done', detail: `Created the integration user ${username}.` };
}

export async function ensureApiIntegrationLicence(ctx: StepContext): Promise<StepOutcome> {
  const userId = ctx.connection.integration_user_id!;
  const psl = await findOne<{ Id: string }>(ctx, `SELECT Id FROM PermissionSetLicense WHERE DeveloperName = ${soqlString(API_INTEGRATION_PSL)}`);
  if (!psl) {
    throw new ProvisioningError(
      'salesforce_no_integration_licence',
      'Your org has no "Salesforce API Integration" permission set licence, which integration users need to read standard objects. Contact Salesforce to add it, then retry.',
      { status: 409 },
    );
  }
  const assigned = await findOne<{ Id: string }>(
    ctx,
    `SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = ${soqlString(userId)} AND PermissionSetLicenseId = ${soqlString(psl.Id)}`,
  );
  if (assigned) return { status: 'done', detail: 'The Salesforce API Integration licence was already assigned.' };
  await ctx.admin.sobject('PermissionSetLicenseAssign').create({ AssigneeId: userId, PermissionSetLicenseId: psl.Id });
  return { status: 'done', detail: 'Assigned the Salesforce API Integration permission set licence.' };
}

export async function deactivateIntegrationUser(ctx: StepContext): Promise<StepOutcome> {
  const user = await findOne<{ Id: string; IsActive: boolean }>(
    ctx,
    `SELECT Id, IsActive FROM User WHERE Username = ${soqlString(ctx.connection.integration_username)}`,
  );
  if (!user) return { status: 'skipped', detail: 'There was no integration user to deactivate.' };
  if (user.IsActive) await ctx.admin.sobject('User').update({ Id: user.Id, IsActive: false });
  return { status: 'done', detail: 'Deactivated the integration user (Salesforce does not delete users); its licence is free again.' };
}
