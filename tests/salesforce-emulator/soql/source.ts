/**
 * Where a query's rows come from: an object's table, or, for UserPermissionAccess, a single virtual row holding the
 * caller's effective system permissions (profile plus permission sets), which is what that object returns in a real
 * org. https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userpermissionaccess.htm
 */
import { hasPermission } from '../org/access';
import type { Org } from '../org/org';
import type { FieldDef, ObjectSchema } from '../org/schema';
import { RowState } from '../org/table';

export type Source = {
  schema: ObjectSchema;
  rows(includeDeleted: boolean): Iterable<number>;
  read(index: number, field: FieldDef): unknown;
  idOf(index: number): string;
  isDeleted(index: number): boolean;
};

export function sourceFor(org: Org, schema: ObjectSchema, userId: string): Source {
  if (schema.name === 'UserPermissionAccess') return permissionAccessSource(org, schema, userId);
  const table = org.table(schema.name);
  if (!table) throw new Error(`No table for ${schema.name}`);
  return {
    schema,
    rows: (includeDeleted) => table.indices(includeDeleted),
    read: (index, field) => org.read(schema, index, field),
    idOf: (index) => table.idOf(index),
    isDeleted: (index) => table.stateOf(index) === RowState.Deleted,
  };
}

function permissionAccessSource(org: Org, schema: ObjectSchema, userId: string): Source {
  const id = '000000000000000AAA';
  return {
    schema,
    rows: () => [0],
    read: (_index, field) => {
      if (field.name === 'Id') return id;
      if (field.name === 'LastCacheUpdate') return org.clock.now();
      return hasPermission(org, userId, field.name);
    },
    idOf: () => id,
    isDeleted: () => false,
  };
}
