/**
 * Which Salesforce field types may fill which destination attribute types (SPEC §2):
 *   Boolean ← boolean · Integer/BigInt ← int · Decimal/Double/Number ← double, currency, percent, int ·
 *   String/Memo ← string, textarea, email, phone, url, picklist, combobox, date, datetime (not id/reference) ·
 *   Uniqueidentifier/Lookup/Owner/Customer ← id, reference · DateTime ← date, datetime.
 * Salesforce's types are the `type` values of a describe's fields.
 */
import type { AttributeType, DestinationColumn } from './destination';

export const COMPATIBLE_SOURCE_TYPES: Record<AttributeType, readonly string[]> = {
  Boolean: ['boolean'],
  Integer: ['int'],
  BigInt: ['int'],
  Decimal: ['double', 'currency', 'percent', 'int'],
  Double: ['double', 'currency', 'percent', 'int'],
  String: ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox', 'date', 'datetime'],
  Memo: ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox', 'date', 'datetime'],
  DateTime: ['date', 'datetime'],
  Uniqueidentifier: ['id', 'reference'],
  Lookup: ['id', 'reference'],
  Owner: ['id', 'reference'],
  Customer: ['id', 'reference'],
};

/** The part of a describe field the rules need. */
export interface SourceField {
  name: string;
  label?: string;
  type: string;
  referenceTo?: readonly string[];
  permissionable?: boolean;
}

const SOURCE_OBJECT_OF: Record<string, string> = { contact: 'Contact', account: 'Account' };

/** Why a field cannot fill a column, or undefined when it can. Messages name the field and the rule. */
export function incompatibility(column: DestinationColumn, field: SourceField): string | undefined {
  if (column.system) return `${column.name} is written by Forcebridge (the owning team) and cannot be mapped.`;
  const allowed = COMPATIBLE_SOURCE_TYPES[column.type];
  if (!allowed.includes(field.type)) {
    return `${field.name} is a Salesforce ${field.type} field and cannot fill ${column.name} (${column.type}); a ${column.type} column takes ${allowed.join(', ')} fields.`;
  }
  if (column.primaryKey && field.type !== 'id') {
    return `${column.name} is the table's key and must come from the record Id, not ${field.name}.`;
  }
  if (column.target && field.type === 'reference') {
    const targetObject = SOURCE_OBJECT_OF[column.target]!;
    if (!field.referenceTo?.includes(targetObject)) {
      return `${field.name} refers to ${field.referenceTo?.join(', ') || 'nothing'}, but ${column.name} holds a ${targetObject}; choose a field that refers to ${targetObject}.`;
    }
  }
  if (column.target && field.type === 'id') {
    return `${column.name} refers to another ${SOURCE_OBJECT_OF[column.target]} and cannot hold this record's own Id.`;
  }
  return undefined;
}

export function compatibleFields<F extends SourceField>(column: DestinationColumn, fields: readonly F[]): F[] {
  return fields.filter((field) => incompatibility(column, field) === undefined);
}
