/**
 * Pre-flight checks, each failing with its own message before anything is created: the caller is an admin, a
 * Salesforce Integration licence is free (unless our user already holds one), and the names Forcebridge needs are
 * free or already Forcebridge's. (One org ↔ one tenant is enforced before any step runs.)
 */
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';
import { INTEGRATION_USER_LICENCE, MANAGED_MARKER, PERMISSION_SET_NAME, soqlString } from './names';

interface PermissionsRow {
  PermissionsManageUsers: boolean;
  PermissionsCustomizeApplication: boolean;
  PermissionsModifyAllData: boolean;
}

export async function preflight(ctx: StepContext): Promise<StepOutcome> {
  // UserPermissionAccess holds the running user's effective permissions (profile + permission sets).
  const { records: perms } = await ctx.admin.query<PermissionsRow>(
    'SELECT PermissionsManageUsers, PermissionsCustomizeApplication, PermissionsModifyAllData FROM UserPermissionAccess',
  );
  const mine = perms[0];
  const missing = [
    !mine?.PermissionsManageUsers && 'Manage Users',
    !mine?.PermissionsCustomizeApplication && 'Customize Application',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ProvisioningError(
      'salesforce_not_admin',
      `Turning on access needs a Salesforce admin: your user lacks ${missing.join(' and ')}. Ask a System Administrator to turn it on.`,
      { status: 403 },
    );
  }

  const { records: users } = await ctx.admin.query<{ Id: string; IsActive: boolean }>(
    `SELECT Id, IsActive FROM User WHERE Username = ${soqlString(ctx.connection.integration_username)}`,
  );
  const existingUser = users[0];
  if (!existingUser?.IsActive) {
    const { records: licences } = await ctx.admin.query<{ TotalLicenses: number; UsedLicenses: number }>(
      `SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = ${soqlString(INTEGRATION_USER_LICENCE)}`,
    );
    const licence = licences[0];
    if (!licence || licence.UsedLicenses >= licence.TotalLicenses) {
      throw new ProvisioningError(
        'salesforce_no_integration_licence',
        licence && licence.TotalLicenses > 0
          ? `All ${licence.TotalLicenses.toLocaleString('en-US')} Salesforce Integration user licences of your org are in use. Free one (deactivate an unused integration user) or buy more, then retry.`
          : 'Your org has no Salesforce Integration user licences. Every Enterprise, Unlimited and Developer edition org includes some; contact Salesforce to enable them, then retry.',
        { status: 409 },
      );
    }
  }

  const { records: sets } = await ctx.admin.query<{ Id: string; Description: string | null }>(
    `SELECT Id, Description FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`,
  );
  const set = sets[0];
  if (set && !set.Description?.includes(MANAGED_MARKER)) {
    throw new ProvisioningError(
      'salesforce_name_in_use',
      `A permission set named ${PERMISSION_SET_NAME} already exists and was not made by Forcebridge. Rename or delete it in Setup → Permission Sets, then retry.`,
      { status: 409 },
    );
  }

  const reuse = [existingUser && 'integration user', set && 'permission set'].filter(Boolean);
  return {
    status: 'done',
    detail: reuse.length ? `Admin rights confirmed; reusing the existing Forcebridge ${reuse.join(' and ')}.` : 'Admin rights, a free integration licence and free names confirmed.',
  };
}
