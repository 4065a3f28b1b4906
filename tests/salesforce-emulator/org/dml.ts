/**
 * Creating, updating and deleting records the way the sObject REST resources do: unknown and read-only fields,
 * types, lengths, references and required fields are checked generically here, then each object's own rules
 * (rules/*.ts) run. Errors are the real DML error codes. Account/Contact deletes go to the recycle bin; setup
 * objects are deleted outright; Users cannot be deleted at all.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm
 */
import { errors, SalesforceError } from '../errors';
import { objectAccess, readableFields } from './access';
import type { Org } from './org';
import { permissionRules } from './rules/permissions';
import { userRules } from './rules/users';
import { dataRules } from './rules/data';
import type { FieldDef, ObjectSchema } from './schema';
import type { RowValues } from './table';
import { coerce } from './values';

export type DmlContext = { org: Org; userId: string };

export type ObjectRules = {
  beforeInsert?(ctx: DmlContext, values: RowValues): void;
  afterInsert?(ctx: DmlContext, id: string): void;
  beforeUpdate?(ctx: DmlContext, index: number, changes: RowValues): void;
  afterUpdate?(ctx: DmlContext, index: number, changes: RowValues): void;
  beforeDelete?(ctx: DmlContext, index: number): void;
  afterDelete?(ctx: DmlContext, id: string): void;
};

const RULES: Record<string, ObjectRules> = { ...userRules, ...permissionRules, ...dataRules };
const SOFT_DELETE = new Set(['Account', 'Contact']);

export function schemaOrNotFound(org: Org, objectName: string): ObjectSchema {
  const schema = org.schemas.get(objectName);
  if (!schema) throw errors.notFound();
  return schema;
}

export function createRecord(ctx: DmlContext, objectName: string, body: RowValues): string {
  const { org } = ctx;
  const schema = schemaOrNotFound(org, objectName);
  if (!schema.flags.createable) throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be inserted', 400);
  if (!objectAccess(org, ctx.userId, schema.name).create) throw errors.insufficientAccess();
  const values = validate(ctx, schema, body, 'create');
  RULES[schema.name]?.beforeInsert?.(ctx, values);
  for (const field of schema.fields) {
    if (field.type === 'boolean' && !(field.name in values) && field.createable) values[field.name] = defaultBoolean(field);
  }
  const missing = schema.fields
    .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean')
    .filter((f) => values[f.name] === undefined || values[f.name] === null)
    .map((f) => f.name);
  if (missing.length > 0) throw errors.requiredFieldsMissing(missing);
  const table = org.table(schema.name);
  if (!table) throw errors.notFound();
  const stamped: RowValues = { ...values, CreatedById: ctx.userId, LastModifiedById: ctx.userId };
  if (schema.field('OwnerId') && !values.OwnerId) stamped.OwnerId = ctx.userId;
  const id = table.idOf(table.insert(stamped, org.writeTime()));
  RULES[schema.name]?.afterInsert?.(ctx, id);
  return id;
}

export function updateRecord(ctx: DmlContext, objectName: string, id: string, body: RowValues): void {
  const { org } = ctx;
  const schema = schemaOrNotFound(org, objectName);
  const { table, index } = rowOf(org, schema, id);
  if (!table.isLive(index)) throw errors.entityIsDeleted();
  if (!schema.flags.updateable) throw new SalesforceError('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be updated', 400);
  if (!objectAccess(org, ctx.userId, schema.name).edit) throw errors.insufficientAccess();
  const changes = validate(ctx, schema, body, 'update');
  RULES[schema.name]?.beforeUpdate?.(ctx, index, changes);
  table.update(index, { ...changes, LastModifiedById: ctx.userId }, org.writeTime());
  RULES[schema.name]?.afterUpdate?.(ctx, index, changes);
}

export function deleteRecord(ctx: DmlContext, objectName: string, id: string): void {
  const { org } = ctx;
  const schema = schemaOrNotFound(org, objectName);
  const { table, index } = rowOf(org, schema, id);
  if (!table.isLive(index)) throw errors.entityIsDeleted();
  if (!schema.flags.deletable) throw errors.cannotDeleteEntity();
  if (!objectAccess(org, ctx.userId, schema.name).delete) throw errors.insufficientAccess();
  RULES[schema.name]?.beforeDelete?.(ctx, index);
  if (SOFT_DELETE.has(schema.name)) table.softDelete(index, org.writeTime());
  else table.purge(index);
  RULES[schema.name]?.afterDelete?.(ctx, table.idOf(index));
}

function rowOf(org: Org, schema: ObjectSchema, id: string) {
  const table = org.table(schema.name);
  const index = table?.indexOf(id);
  if (!table || index === undefined) throw errors.notFound();
  return { table, index };
}

function defaultBoolean(field: FieldDef): boolean {
  return field.describe.defaultValue === true;
}

/** Checks and converts a request body; returns internal values keyed by canonical field names. */
function validate(ctx: DmlContext, schema: ObjectSchema, body: RowValues, mode: 'create' | 'update'): RowValues {
  const { org } = ctx;
  const visible = readableFields(org, ctx.userId, schema.name);
  const values: RowValues = {};
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = schema.field(key);
    if (!field || (visible && !visible.has(field.name))) throw errors.noSuchColumnOnWrite(key, schema.name);
    if (mode === 'create' ? !field.createable : !field.updateable) {
      readOnly.push(field.name);
      continue;
    }
    const prefixes = field.referenceTo.map((name) => org.schemas.get(name)?.keyPrefix).filter((p): p is string => p !== undefined);
    const value = coerce(field, raw, field.referenceTo.every((name) => org.schemas.get(name)) ? prefixes : []);
    if (field.type === 'reference' && typeof value === 'string' && prefixes.includes(value.slice(0, 3)) && !org.locate(value)) {
      throw errors.invalidCrossReference(field.name);
    }
    values[field.name] = value;
  }
  if (readOnly.length > 0) throw errors.fieldNotWritable(readOnly);
  return values;
}
