/**
 * A plain-data picture of the org for test assertions: users (with profile, licence and permission sets),
 * licences and their use, permission sets with their object and field permissions and assignments, and the client
 * apps with their consumer keys and policies.
 */
import { formatDateTime } from '../clock';
import { clientApps } from '../org/apps';
import type { Org } from '../org/org';
import { licenseName, licenseOfUser } from '../org/rules/licenses';

function rows(org: Org, object: string, fields: string[], match: Record<string, unknown> = {}): Record<string, unknown>[] {
  const table = org.table(object);
  return org.find(object, match).map((index) => ({
    Id: table?.idOf(index),
    ...Object.fromEntries(fields.map((field) => [field, org.value(object, index, field)])),
  }));
}

export function inspectOrg(org: Org) {
  const permissionSetName = (id: unknown) => {
    const row = typeof id === 'string' ? org.locate(id) : undefined;
    return row ? String(org.value('PermissionSet', row.index, 'Name')) : undefined;
  };
  const users = [...(org.table('User')?.indices(false) ?? [])].map((index) => {
    const id = org.table('User')?.idOf(index) ?? '';
    const profile = org.locate(String(org.value('User', index, 'ProfileId')));
    return {
      Id: id,
      Username: org.value('User', index, 'Username'),
      Name: org.value('User', index, 'Name'),
      IsActive: org.value('User', index, 'IsActive'),
      Profile: profile ? org.value('Profile', profile.index, 'Name') : null,
      License: licenseName(org, licenseOfUser(org, id)) ?? null,
      PermissionSets: rows(org, 'PermissionSetAssignment', ['PermissionSetId'], { AssigneeId: id }).map((a) => permissionSetName(a.PermissionSetId)),
      PermissionSetLicenses: rows(org, 'PermissionSetLicenseAssign', ['PermissionSetLicenseId'], { AssigneeId: id }).map((a) => {
        const psl = org.locate(String(a.PermissionSetLicenseId));
        return psl ? org.value('PermissionSetLicense', psl.index, 'DeveloperName') : null;
      }),
      CreatedDate: formatDateTime(org.table('User')?.createdAt(index) ?? 0),
    };
  });
  const permissionSets = rows(org, 'PermissionSet', ['Name', 'Label', 'Description', 'LicenseId'], { IsOwnedByProfile: false }).map((set) => ({
    Id: String(set.Id),
    Name: String(set.Name),
    Label: String(set.Label),
    Description: (set.Description as string | null) ?? null,
    LicenseId: (set.LicenseId as string | null) ?? null,
    ObjectPermissions: rows(org, 'ObjectPermissions', ['SobjectType', 'PermissionsRead', 'PermissionsCreate', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords', 'PermissionsModifyAllRecords'], { ParentId: set.Id }),
    FieldPermissions: rows(org, 'FieldPermissions', ['SobjectType', 'Field', 'PermissionsRead', 'PermissionsEdit'], { ParentId: set.Id }),
    Assignments: rows(org, 'PermissionSetAssignment', ['AssigneeId'], { PermissionSetId: set.Id }),
    SetupEntityAccess: rows(org, 'SetupEntityAccess', ['SetupEntityId', 'SetupEntityType'], { ParentId: set.Id }),
  }));
  return {
    orgId: org.orgId,
    myDomain: org.myDomain,
    switches: structuredClone(org.switches),
    apiUsage: { used: org.limits.used, max: org.limits.max },
    users,
    profiles: rows(org, 'Profile', ['Name', 'UserLicenseId']),
    userLicenses: rows(org, 'UserLicense', ['Name', 'TotalLicenses', 'UsedLicenses']),
    permissionSetLicenses: rows(org, 'PermissionSetLicense', ['DeveloperName', 'MasterLabel', 'TotalLicenses', 'UsedLicenses']),
    permissionSets,
    apps: clientApps(org),
    metadata: Object.fromEntries(org.metadata.types().map((type) => [type, org.metadata.list(type).map((c) => c.fullName)])),
  };
}
