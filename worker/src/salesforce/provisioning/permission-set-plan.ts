/**
 * Least privilege, derived from the mapping: object Read + View All Records (a complete sync must see every
 * record, not just shared ones) on each synced object, and field Read on exactly the mapped fields that take
 * field permissions (`permissionable` in the describe) — nothing more. `Id`, audit fields and required name fields
 * are readable with object access and cannot take FieldPermissions.
 */
import type { RequiredAccess, SourceObject } from '../../../../shared/mapping/destination';


export type { RequiredAccess };

export interface DescribedField {
  name: string;
  permissionable: boolean;
}

export interface PermissionSetPlan {
  objects: { sobject: SourceObject; read: true; viewAllRecords: true }[];
  /** `Object.Field` names, sorted */
  fields: string[];
}

export function permissionSetFor(access: RequiredAccess, describe: (object: SourceObject) => readonly DescribedField[]): PermissionSetPlan {
  const objects: PermissionSetPlan['objects'] = [];
  const fields: string[] = [];
  for (const [sobject, wanted] of Object.entries(access) as [SourceObject, readonly string[]][]) {
    objects.push({ sobject, read: true, viewAllRecords: true });
    // Field names as the describe spells them (a row filter may spell one in another case: SOQL does not mind).
    const permissionable = new Map(describe(sobject).filter((f) => f.permissionable).map((f) => [f.name.toLowerCase(), f.name]));
    for (const name of new Set(wanted.map((w) => permissionable.get(w.toLowerCase())))) if (name) fields.push(`${sobject}.${name}`);
  }
  objects.sort((a, b) => a.sobject.localeCompare(b.sobject));
  return { objects, fields: fields.sort() };
}

/** What must change to turn the permissions a set has into the plan: exactly the plan, nothing left over. */
export function permissionChanges(plan: PermissionSetPlan, current: { objects: string[]; fields: string[] }) {
  const wantedObjects = new Set(plan.objects.map((o) => o.sobject));
  const wantedFields = new Set(plan.fields);
  return {
    objectsToGrant: plan.objects.filter((o) => !current.objects.includes(o.sobject)),
    objectsToRevoke: current.objects.filter((o) => !wantedObjects.has(o as SourceObject)),
    fieldsToGrant: plan.fields.filter((f) => !current.fields.includes(f)),
    fieldsToRevoke: current.fields.filter((f) => !wantedFields.has(f)),
  };
}
