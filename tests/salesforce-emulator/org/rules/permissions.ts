/**
 * Permission set rules. Names are unique (DUPLICATE_DEVELOPER_NAME); FieldPermissions only take permissionable
 * fields (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, as `Field` is a restricted picklist); one ObjectPermissions per
 * object, one FieldPermissions per field and one assignment per user and set (DUPLICATE_VALUE). A user on the
 * Salesforce Integration licence can only hold object access to standard objects once the Salesforce API Integration
 * permission-set licence is assigned: otherwise "The user license doesn't allow the permission: Read Account".
 * https://help.salesforce.com/s/articleView?id=sf.integration_user.htm
 */
import { errors, SalesforceError } from '../../errors';
import { hasPermission } from '../access';
import type { DmlContext, ObjectRules } from '../dml';
import type { Org } from '../org';
import type { RowValues } from '../table';
import { hasIntegrationPsl, isIntegrationUser, usedPermissionSetLicenses } from './licenses';

/** Standard objects whose access the Salesforce Integration licence gates behind the PSL. */
const GATED_OBJECTS = new Set(['Account', 'Contact']);
const OBJECT_FLAGS = ['PermissionsRead', 'PermissionsCreate', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords', 'PermissionsModifyAllRecords'];

/**
 * Permission sets and their object and field permissions need "Manage Profiles and Permission Sets"; without the
 * strict `permissionGates`, Manage Users also passes, as the emulator allowed before.
 */
function requirePermissionAdmin(ctx: DmlContext): void {
  const { org, userId } = ctx;
  const lenient = !org.switches.permissionGates && hasPermission(org, userId, 'PermissionsManageUsers');
  if (!hasPermission(org, userId, 'PermissionsManageProfilesPermissionsets') && !lenient) throw errors.insufficientAccess();
}

function requireManageUsers(ctx: DmlContext): void {
  if (!hasPermission(ctx.org, ctx.userId, 'PermissionsManageUsers')) throw errors.insufficientAccess();
}

/** Object names (labels) the set grants access to that an integration user without the PSL may not have. */
function gatedGrants(org: Org, permissionSetId: string, extra?: { object: string; values: RowValues }): string[] {
  const grants = new Set<string>();
  const consider = (object: string, granted: boolean) => {
    if (granted && GATED_OBJECTS.has(object)) grants.add(org.schemas.get(object)?.label ?? object);
  };
  for (const index of org.find('ObjectPermissions', { ParentId: permissionSetId })) {
    const object = String(org.value('ObjectPermissions', index, 'SobjectType'));
    consider(object, OBJECT_FLAGS.some((flag) => org.value('ObjectPermissions', index, flag) === true));
  }
  if (extra) consider(extra.object, OBJECT_FLAGS.some((flag) => extra.values[flag] === true));
  return [...grants];
}

/** Throws if any integration user holding `permissionSetId` lacks the PSL the grants need. */
function checkIntegrationAssignees(org: Org, permissionSetId: string, extra?: { object: string; values: RowValues }): void {
  const grants = gatedGrants(org, permissionSetId, extra);
  if (grants.length === 0) return;
  for (const index of org.find('PermissionSetAssignment', { PermissionSetId: permissionSetId })) {
    const assignee = String(org.value('PermissionSetAssignment', index, 'AssigneeId'));
    if (isIntegrationUser(org, assignee) && !hasIntegrationPsl(org, assignee)) throw errors.userLicenseDisallowsPermission(`Read ${grants[0]}`);
  }
}

function duplicateOf(org: Org, object: string, match: Record<string, unknown>): string | undefined {
  return org.findIds(object, match)[0];
}

function ownedByProfile(org: Org, permissionSetId: unknown): boolean {
  const set = typeof permissionSetId === 'string' ? org.locate(permissionSetId) : undefined;
  return set !== undefined && org.value('PermissionSet', set.index, 'IsOwnedByProfile') === true;
}

export const permissionRules: Record<string, ObjectRules> = {
  PermissionSet: {
    beforeInsert(ctx, values) {
      requirePermissionAdmin(ctx);
      if (typeof values.Name === 'string' && duplicateOf(ctx.org, 'PermissionSet', { Name: values.Name })) throw errors.duplicateDeveloperName(values.Name);
      Object.assign(values, { IsOwnedByProfile: false, IsCustom: true, Type: 'Regular' });
    },
    beforeUpdate(ctx, index, changes) {
      requirePermissionAdmin(ctx);
      const existing = typeof changes.Name === 'string' ? duplicateOf(ctx.org, 'PermissionSet', { Name: changes.Name }) : undefined;
      if (existing && existing !== ctx.org.table('PermissionSet')?.idOf(index)) throw errors.duplicateDeveloperName(String(changes.Name));
    },
    beforeDelete(ctx, index) {
      requirePermissionAdmin(ctx);
      if (ctx.org.value('PermissionSet', index, 'IsOwnedByProfile') === true) throw errors.insufficientAccess();
    },
    afterDelete(ctx, id) {
      // Deleting a permission set takes its permissions and assignments with it.
      for (const object of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess']) {
        for (const index of ctx.org.find(object, { ParentId: id })) ctx.org.table(object)?.purge(index);
      }
      for (const index of ctx.org.find('PermissionSetAssignment', { PermissionSetId: id })) ctx.org.table('PermissionSetAssignment')?.purge(index);
    },
  },
  ObjectPermissions: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requirePermissionAdmin(ctx);
      const object = org.schemas.get(String(values.SobjectType ?? ''));
      if (!object) throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Sobject Type Name: bad value for restricted picklist field: ${String(values.SobjectType)}`, 400, ['SobjectType']);
      values.SobjectType = object.name;
      if (duplicateOf(org, 'ObjectPermissions', { ParentId: values.ParentId, SobjectType: object.name })) {
        throw errors.duplicateValue('SobjectType', String(duplicateOf(org, 'ObjectPermissions', { ParentId: values.ParentId, SobjectType: object.name })));
      }
      checkIntegrationAssignees(org, String(values.ParentId), { object: object.name, values });
    },
    beforeUpdate(ctx, index, changes) {
      requirePermissionAdmin(ctx);
      const { org } = ctx;
      const object = String(org.value('ObjectPermissions', index, 'SobjectType'));
      checkIntegrationAssignees(org, String(org.value('ObjectPermissions', index, 'ParentId')), { object, values: changes });
    },
    beforeDelete: requirePermissionAdmin,
  },
  FieldPermissions: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requirePermissionAdmin(ctx);
      const [objectName = '', fieldName = ''] = String(values.Field ?? '').split('.');
      const object = org.schemas.get(objectName);
      const field = object?.field(fieldName);
      if (!object || !field || !field.permissionable || object.name.toLowerCase() !== String(values.SobjectType).toLowerCase()) {
        throw errors.badRestrictedPicklistField(String(values.Field));
      }
      values.SobjectType = object.name;
      values.Field = `${object.name}.${field.name}`;
      const duplicate = duplicateOf(org, 'FieldPermissions', { ParentId: values.ParentId, Field: values.Field });
      if (duplicate) throw errors.duplicateValue('Field', duplicate);
    },
    beforeUpdate: requirePermissionAdmin,
    beforeDelete: requirePermissionAdmin,
  },
  PermissionSetAssignment: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requireManageUsers(ctx);
      if (!values.PermissionSetId) throw errors.requiredFieldsMissing(['PermissionSetId']);
      if (ownedByProfile(org, values.PermissionSetId)) throw errors.invalidCrossReference('PermissionSetId');
      if (duplicateOf(org, 'PermissionSetAssignment', { AssigneeId: values.AssigneeId, PermissionSetId: values.PermissionSetId })) {
        throw new SalesforceError('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>', 400, []);
      }
      const assignee = String(values.AssigneeId);
      const grants = gatedGrants(org, String(values.PermissionSetId));
      if (grants.length > 0 && isIntegrationUser(org, assignee) && !hasIntegrationPsl(org, assignee)) throw errors.userLicenseDisallowsPermission(`Read ${grants[0]}`);
      values.IsActive ??= true;
      values.IsRevoked ??= false;
    },
    beforeDelete(ctx, index) {
      requireManageUsers(ctx);
      if (ownedByProfile(ctx.org, ctx.org.value('PermissionSetAssignment', index, 'PermissionSetId'))) throw errors.insufficientAccess();
    },
  },
  PermissionSetLicenseAssign: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requireManageUsers(ctx);
      const psl = org.locate(String(values.PermissionSetLicenseId));
      if (duplicateOf(org, 'PermissionSetLicenseAssign', { AssigneeId: values.AssigneeId, PermissionSetLicenseId: values.PermissionSetLicenseId })) {
        throw new SalesforceError('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>', 400, []);
      }
      if (psl) {
        const total = Number(org.value('PermissionSetLicense', psl.index, 'TotalLicenses') ?? 0);
        const label = String(org.value('PermissionSetLicense', psl.index, 'MasterLabel'));
        if (usedPermissionSetLicenses(org, String(values.PermissionSetLicenseId)) >= total) throw errors.licenseLimitExceeded(label);
      }
    },
    beforeDelete: requireManageUsers,
  },
  SetupEntityAccess: {
    beforeInsert(ctx, values) {
      const { org } = ctx;
      requirePermissionAdmin(ctx);
      const entity = org.locate(String(values.SetupEntityId));
      if (!entity) throw errors.invalidCrossReference('SetupEntityId');
      values.SetupEntityType = entity.schema.name;
      const duplicate = duplicateOf(org, 'SetupEntityAccess', { ParentId: values.ParentId, SetupEntityId: values.SetupEntityId });
      if (duplicate) throw errors.duplicateValue('SetupEntityId', duplicate);
    },
    beforeDelete: requirePermissionAdmin,
  },
};
