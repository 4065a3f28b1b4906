/**
 * Licence arithmetic shared by the rules and the computed `UsedLicenses` fields: a user occupies their profile's user
 * licence while active (deactivating frees it), a PermissionSetLicenseAssign occupies its permission-set licence.
 */
import { INTEGRATION_LICENSE_KEY, INTEGRATION_PSL } from '../setup-data';
import type { Org } from '../org';

export function licenseOfProfile(org: Org, profileId: unknown): string | undefined {
  const profile = typeof profileId === 'string' ? org.locate(profileId) : undefined;
  const license = profile ? org.value('Profile', profile.index, 'UserLicenseId') : undefined;
  return typeof license === 'string' ? license : undefined;
}

export function licenseOfUser(org: Org, userId: string): string | undefined {
  const user = org.locate(userId);
  return user ? licenseOfProfile(org, org.value('User', user.index, 'ProfileId')) : undefined;
}

export function licenseName(org: Org, licenseId: string | undefined): string | undefined {
  const row = licenseId ? org.locate(licenseId) : undefined;
  const name = row ? org.value('UserLicense', row.index, 'Name') : undefined;
  return typeof name === 'string' ? name : undefined;
}

export function usedUserLicenses(org: Org, licenseId: string): number {
  let used = 0;
  for (const index of org.find('User', { IsActive: true })) {
    if (licenseOfProfile(org, org.value('User', index, 'ProfileId')) === licenseId) used++;
  }
  return used;
}

export function usedPermissionSetLicenses(org: Org, pslId: string): number {
  return org.find('PermissionSetLicenseAssign', { PermissionSetLicenseId: pslId }).length;
}

/** By the licence's LicenseDefinitionKey: its Name is translated into the caller's language. */
export function isIntegrationUser(org: Org, userId: string): boolean {
  const license = licenseOfUser(org, userId);
  const row = license ? org.locate(license) : undefined;
  return row !== undefined && org.value('UserLicense', row.index, 'LicenseDefinitionKey') === INTEGRATION_LICENSE_KEY;
}

export function hasIntegrationPsl(org: Org, userId: string): boolean {
  const psl = org.findIds('PermissionSetLicense', { DeveloperName: INTEGRATION_PSL.DeveloperName })[0];
  return psl !== undefined && org.find('PermissionSetLicenseAssign', { AssigneeId: userId, PermissionSetLicenseId: psl }).length > 0;
}

/** Wires `UsedLicenses` of UserLicense and PermissionSetLicense to the counts above. */
export function installLicenseCounters(org: Org): void {
  const users = org.table('UserLicense');
  const psls = org.table('PermissionSetLicense');
  if (users) org.computed.set('UserLicense.UsedLicenses', (index) => usedUserLicenses(org, users.idOf(index)));
  if (psls) org.computed.set('PermissionSetLicense.UsedLicenses', (index) => usedPermissionSetLicenses(org, psls.idOf(index)));
}
