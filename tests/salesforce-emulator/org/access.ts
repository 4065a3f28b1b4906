/**
 * Who may do what, from the same data a real org uses: the profile's permission set (IsOwnedByProfile) plus every
 * permission set assigned to the user, their system permissions (Modify All Data, Manage Users, …), ObjectPermissions
 * and FieldPermissions. Fields a user has no field-level access to are invisible, as in real orgs: SOQL answers
 * "No such column" and describe leaves them out; objects without Read are "not supported".
 * Record sharing is not modelled: object Read sees every row (see README fidelity notes).
 */
import type { Org } from './org';

export type ObjectAccess = { read: boolean; create: boolean; edit: boolean; delete: boolean; viewAll: boolean; modifyAll: boolean };

/** Objects every API user can query (setup data); data objects need ObjectPermissions. */
const DATA_OBJECTS = new Set(['account', 'contact']);

/** Ids of the permission sets in force for a user: their profile's own one and the assigned ones. */
export function permissionSetsOf(org: Org, userId: string): string[] {
  const assignments = org.table('PermissionSetAssignment');
  if (!assignments) return [];
  const ids = new Set<string>();
  for (const index of org.find('PermissionSetAssignment', { AssigneeId: userId })) {
    ids.add(String(org.value('PermissionSetAssignment', index, 'PermissionSetId')));
  }
  const user = org.locate(userId);
  if (user) {
    const profileId = org.value('User', user.index, 'ProfileId');
    for (const id of org.findIds('PermissionSet', { ProfileId: profileId, IsOwnedByProfile: true })) ids.add(id);
  }
  return [...ids];
}

/** True if any permission set in force grants the system permission (`PermissionsModifyAllData`, …). */
export function hasPermission(org: Org, userId: string, permission: string): boolean {
  for (const id of permissionSetsOf(org, userId)) {
    const set = org.locate(id);
    if (set && org.value('PermissionSet', set.index, permission) === true) return true;
  }
  return false;
}

/** May this user call the API at all ("API Enabled" from profile or permission sets, unless a test switched it off)? */
export function apiEnabledFor(org: Org, userId: string): boolean {
  return !org.apiDisabledUsers.has(userId) && hasPermission(org, userId, 'PermissionsApiEnabled');
}

/** "An admin": can manage users and customize the application (SPEC §1 pre-flight), or has Modify All Data. */
export function isAdmin(org: Org, userId: string): boolean {
  return hasPermission(org, userId, 'PermissionsModifyAllData') || (hasPermission(org, userId, 'PermissionsManageUsers') && hasPermission(org, userId, 'PermissionsCustomizeApplication'));
}

export function objectAccess(org: Org, userId: string, object: string): ObjectAccess {
  const full = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
  if (!DATA_OBJECTS.has(object.toLowerCase())) return full;
  if (hasPermission(org, userId, 'PermissionsModifyAllData')) return full;
  const access = { read: false, create: false, edit: false, delete: false, viewAll: hasPermission(org, userId, 'PermissionsViewAllData'), modifyAll: false };
  if (access.viewAll) access.read = true;
  const sets = new Set(permissionSetsOf(org, userId));
  for (const index of org.find('ObjectPermissions', { SobjectType: object })) {
    if (!sets.has(String(org.value('ObjectPermissions', index, 'ParentId')))) continue;
    const flag = (name: string) => org.value('ObjectPermissions', index, name) === true;
    access.read ||= flag('PermissionsRead');
    access.create ||= flag('PermissionsCreate');
    access.edit ||= flag('PermissionsEdit');
    access.delete ||= flag('PermissionsDelete');
    access.viewAll ||= flag('PermissionsViewAllRecords');
    access.modifyAll ||= flag('PermissionsModifyAllRecords');
  }
  return access;
}

/**
 * Field names of `object` the user may read; undefined means "all of them" (admins, setup objects).
 * Non-permissionable fields (Id, audit fields, required fields) are always readable with the object.
 */
export function readableFields(org: Org, userId: string, object: string): Set<string> | undefined {
  const schema = org.schemas.get(object);
  if (!schema || !DATA_OBJECTS.has(object.toLowerCase())) return undefined;
  if (hasPermission(org, userId, 'PermissionsViewAllData') || hasPermission(org, userId, 'PermissionsModifyAllData')) return undefined;
  const sets = new Set(permissionSetsOf(org, userId));
  const granted = new Set<string>();
  for (const index of org.find('FieldPermissions', { SobjectType: schema.name })) {
    if (!sets.has(String(org.value('FieldPermissions', index, 'ParentId')))) continue;
    if (org.value('FieldPermissions', index, 'PermissionsRead') !== true) continue;
    const field = String(org.value('FieldPermissions', index, 'Field')).split('.')[1];
    if (field) granted.add(field.toLowerCase());
  }
  const readable = new Set<string>();
  for (const field of schema.fields) {
    const compoundGranted = field.compoundFieldName !== null && granted.has(field.compoundFieldName.toLowerCase());
    if (!field.permissionable || granted.has(field.name.toLowerCase()) || compoundGranted) readable.add(field.name);
  }
  return readable;
}
