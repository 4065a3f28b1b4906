/**
 * The Forcebridge permission set: created if missing, then reconciled to exactly the plan the mapping needs
 * (granting what is missing, revoking what is left over), and assigned to the integration user. The same code
 * serves Turn on, Reconnect and Update permissions, so a set edited by hand in Setup is healed in place.
 */
import { TABLES, type SourceObject } from '../../../../shared/mapping/destination';
import { refreshDescribe } from '../../connectors/describe-cache';
import type { StepContext, StepOutcome } from './context';
import { MANAGED_MARKER, PERMISSION_SET_LABEL, PERMISSION_SET_NAME, soqlString } from './names';
import { type PermissionSetPlan, permissionChanges, permissionSetFor } from './permission-set-plan';

/** The plan for the mapping, from describes taken with the admin's authority (and cached for the wizard and the sync). */
export async function planFor(ctx: StepContext): Promise<PermissionSetPlan> {
  const describes = new Map<SourceObject, { name: string; permissionable?: boolean }[]>();
  for (const object of SYNCED_OBJECTS) {
    describes.set(object, await refreshDescribe(ctx.env.DB, ctx.connection.id, object, ctx.admin));
  }
  return permissionSetFor(ctx.requiredAccess, (object) => (describes.get(object) ?? []).map((f) => ({ name: f.name, permissionable: f.permissionable ?? false })));
}

const SYNCED_OBJECTS = Object.values(TABLES).map((t) => t.source);

async function ensurePermissionSet(ctx: StepContext): Promise<{ id: string; created: boolean }> {
  const { records } = await ctx.admin.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`);
  if (records[0]) return { id: records[0].Id, created: false };
  const created = (await ctx.admin.sobject('PermissionSet').create({
    Name: PERMISSION_SET_NAME,
    Label: PERMISSION_SET_LABEL,
    Description: `${MANAGED_MARKER}: read access for the Forcebridge connector (org ${ctx.connection.org_id}). Change it from the Connectors panel, not here.`,
  })) as { id: string };
  return { id: created.id, created: true };
}

export async function reconcilePermissionSet(ctx: StepContext): Promise<StepOutcome> {
  const plan = await planFor(ctx);
  const { id: setId, created } = await ensurePermissionSet(ctx);
  await ctx.save({ permission_set_id: setId });

  const objects = (
    await ctx.admin.query<{ Id: string; SobjectType: string; PermissionsRead: boolean; PermissionsViewAllRecords: boolean }>(
      `SELECT Id, SobjectType, PermissionsRead, PermissionsViewAllRecords FROM ObjectPermissions WHERE ParentId = ${soqlString(setId)}`,
    )
  ).records;
  const fields = (await ctx.admin.query<{ Id: string; Field: string; PermissionsRead: boolean }>(
    `SELECT Id, Field, PermissionsRead FROM FieldPermissions WHERE ParentId = ${soqlString(setId)}`,
  )).records;

  const complete = objects.filter((o) => o.PermissionsRead && o.PermissionsViewAllRecords);
  const changes = permissionChanges(plan, {
    objects: complete.map((o) => o.SobjectType),
    fields: fields.filter((f) => f.PermissionsRead).map((f) => f.Field),
  });

  // Objects first: Salesforce refuses field permissions on an object the set cannot read.
  for (const grant of changes.objectsToGrant) {
    const row = objects.find((o) => o.SobjectType === grant.sobject);
    if (row) {
      await ctx.admin.sobject('ObjectPermissions').update({ Id: row.Id, PermissionsRead: true, PermissionsViewAllRecords: true });
    } else {
      await ctx.admin.sobject('ObjectPermissions').create({ ParentId: setId, SobjectType: grant.sobject, PermissionsRead: true, PermissionsViewAllRecords: true });
    }
  }
  for (const field of changes.fieldsToGrant) {
    const row = fields.find((f) => f.Field === field);
    if (row) await ctx.admin.sobject('FieldPermissions').update({ Id: row.Id, PermissionsRead: true });
    else await ctx.admin.sobject('FieldPermissions').create({ ParentId: setId, SobjectType: field.split('.')[0], Field: field, PermissionsRead: true });
  }
  for (const field of changes.fieldsToRevoke) {
    await ctx.admin.sobject('FieldPermissions').destroy(fields.find((f) => f.Field === field)!.Id);
  }
  for (const sobject of changes.objectsToRevoke) {
    await ctx.admin.sobject('ObjectPermissions').destroy(objects.find((o) => o.SobjectType === sobject)!.Id);
  }

  const userId = ctx.connection.integration_user_id;
  if (userId) {
    const { records: assignments } = await ctx.admin.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)} AND PermissionSetId = ${soqlString(setId)}`,
    );
    if (!assignments[0]) await ctx.admin.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: setId });
  }

  await ctx.save({ granted_access: JSON.stringify(plan) });
  const granted = changes.objectsToGrant.length + changes.fieldsToGrant.length;
  const revoked = changes.objectsToRevoke.length + changes.fieldsToRevoke.length;
  const scope = `${plan.objects.map((o) => o.sobject).join(' and ')} (Read, View All) and ${plan.fields.length} fields (Read)`;
  return {
    status: 'done',
    detail: created
      ? `Created ${PERMISSION_SET_LABEL}: ${scope}, assigned to the integration user.`
      : granted + revoked === 0
        ? `${PERMISSION_SET_LABEL} already grants exactly ${scope}.`
        : `Updated ${PERMISSION_SET_LABEL} (${granted} granted, ${revoked} revoked): ${scope}.`,
  };
}

export async function deletePermissionSet(ctx: StepContext): Promise<StepOutcome> {
  const { records } = await ctx.admin.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`);
  const set = records[0];
  if (!set) return { status: 'skipped', detail: 'There was no Forcebridge permission set to delete.' };
  // Salesforce refuses to delete an assigned permission set: remove the assignments first.
  const { records: assignments } = await ctx.admin.query<{ Id: string }>(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(set.Id)}`);
  for (const assignment of assignments) await ctx.admin.sobject('PermissionSetAssignment').destroy(assignment.Id);
  await ctx.admin.sobject('PermissionSet').destroy(set.Id);
  await ctx.save({ permission_set_id: null, granted_access: null });
  return { status: 'done', detail: `Removed the assignment and deleted ${PERMISSION_SET_LABEL}.` };
}
