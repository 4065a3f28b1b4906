/**
 * Field values as the org holds them and as the APIs show them. Inside, date/times are epoch milliseconds and dates
 * `YYYY-MM-DD`; on the wire REST writes `2026-01-01T00:00:00.000+0000`. System and compound fields are computed here:
 * Id, IsDeleted, audit fields, `Name` of people, and address objects whose keys are the component names in
 * alphabetical order (rest/Organization_record.cumulusci.json: `city, country, geocodeAccuracy, …`).
 */
import { formatDateTime, parseSalesforceDateTime } from '../clock';
import { errors, SalesforceError } from '../errors';
import { normalizeId } from '../ids';
import type { FieldDef, ObjectSchema } from './schema';
import { RowState, type Table } from './table';

/** Values computed by the org rather than stored (licence usage counts). */
export type ComputedField = (index: number) => unknown;

export function readField(schema: ObjectSchema, table: Table, index: number, field: FieldDef, computed?: ComputedField): unknown {
  if (computed) return computed(index);
  switch (field.name) {
    case 'Id':
      return table.idOf(index);
    case 'IsDeleted':
      return table.stateOf(index) === RowState.Deleted;
    case 'CreatedDate':
      return table.createdAt(index);
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return table.modifiedAt(index);
    case 'CreatedById':
    case 'LastModifiedById':
    case 'OwnerId':
      return table.value(index, field.name) ?? (table.defaultUserId || null);
  }
  if (field.type === 'address') return addressOf(schema, table, index, field);
  if (field.name === 'Name' && schema.field('FirstName') && schema.field('LastName')) {
    const first = table.value(index, 'FirstName');
    const last = table.value(index, 'LastName');
    return [first, last].filter((part) => part !== undefined && part !== null && part !== '').join(' ') || null;
  }
  const value = table.value(index, field.name);
  if (value === undefined || value === null) return field.type === 'boolean' ? false : null;
  return value;
}

function addressOf(schema: ObjectSchema, table: Table, index: number, compound: FieldDef): Record<string, unknown> | null {
  const prefix = compound.name.replace(/Address$/, '');
  const parts = schema
    .components(compound.name)
    .map((component) => [lowerFirst(component.name.slice(prefix.length)), table.value(index, component.name) ?? null] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  if (parts.every(([, value]) => value === null)) return null;
  return Object.fromEntries(parts);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The JSON form of an internal value (REST records, composite bodies). */
export function toWire(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}

/**
 * Turns a value a client sent into the internal form for `field`, rejecting what Salesforce rejects
 * (wrong JSON type, over-long text, ids of the wrong object).
 */
export function coerce(field: FieldDef, value: unknown, targetPrefixes: string[]): unknown {
  if (value === null || value === '') return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw errors.invalidTypeOnField(field.label, value, field.name);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) throw errors.invalidTypeOnField(field.label, value, field.name);
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'datetime': {
      const ms = typeof value === 'number' ? value : parseSalesforceDateTime(String(value));
      if (Number.isNaN(ms)) throw errors.invalidTypeOnField(field.label, value, field.name);
      return ms;
    }
    case 'date': {
      const text = String(value);
      if (!/^\d{4}-\d{2}-\d{2}/.test(text)) throw errors.invalidTypeOnField(field.label, value, field.name);
      return text.slice(0, 10);
    }
    case 'reference':
    case 'id': {
      const id = typeof value === 'string' ? normalizeId(value) : undefined;
      if (!id || (targetPrefixes.length > 0 && !targetPrefixes.includes(id.slice(0, 3)))) {
        throw errors.malformedId(field.label, String(value), field.name);
      }
      return id;
    }
    case 'address':
      throw new SalesforceError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, 400, [field.name]);
    default: {
      if (typeof value === 'object') throw errors.invalidTypeOnField(field.label, JSON.stringify(value), field.name);
      const text = String(value);
      if (field.length > 0 && text.length > field.length) throw errors.stringTooLong(field.label, text, field.length, field.name);
      return text;
    }
  }
}
