/**
 * Converting a Salesforce value into a destination column's value, per the type table. Values arrive typed from
 * REST (JSON) or as text from Bulk API 2.0 (CSV, where an empty string is null), so both are accepted. A value that
 * cannot be converted is not guessed at: it becomes a reject with the reason, and the rest of the record waits
 * with it.
 */
import { salesforceDateTime } from '../../../shared/salesforce-datetime';
import { lookupGuid, recordGuid } from './record-guid';
import type { DestinationColumn } from '../../../shared/mapping/destination';
import type { SourceField } from '../../../shared/mapping/type-rules';
import type { StoredValue } from '../destinations/destination';

export type Converted = { ok: true; value: StoredValue } | { ok: false; reason: string };

const ok = (value: StoredValue): Converted => ({ ok: true, value });
const fail = (reason: string): Converted => ({ ok: false, reason });

function asText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

export function convertValue(column: DestinationColumn, field: SourceField, raw: unknown): Converted {
  if (raw === null || raw === undefined || raw === '') return ok(null);
  const text = asText(raw);
  if (text === undefined) return fail(`${field.name} holds a ${typeof raw}, not a ${field.type} value`);

  switch (column.type) {
    case 'Boolean': {
      if (raw === true || text === 'true') return ok(1);
      if (raw === false || text === 'false') return ok(0);
      return fail(`${field.name} = "${text}" is not true or false`);
    }
    case 'Integer':
    case 'BigInt': {
      const n = Number(text);
      if (!Number.isInteger(n)) return fail(`${field.name} = "${text}" is not a whole number, which ${column.name} needs`);
      if (column.type === 'Integer' && Math.abs(n) > 2_147_483_647) return fail(`${field.name} = ${text} is outside ${column.name}'s Integer range`);
      return ok(n);
    }
    case 'Decimal':
    case 'Double': {
      const n = Number(text);
      if (!Number.isFinite(n)) return fail(`${field.name} = "${text}" is not a number`);
      return ok(n);
    }
    case 'DateTime': {
      if (field.type === 'date') {
        return /^\d{4}-\d{2}-\d{2}$/.test(text) ? ok(text) : fail(`${field.name} = "${text}" is not a date (YYYY-MM-DD)`);
      }
      const iso = salesforceDateTime(text);
      return iso ? ok(iso) : fail(`${field.name} = "${text}" is not a date and time`);
    }
    case 'String':
    case 'Memo': {
      const value = field.type === 'datetime' ? (salesforceDateTime(text) ?? text) : text;
      if (column.maxLength && value.length > column.maxLength) {
        return fail(`${field.name} is ${value.length} characters long; ${column.name} holds at most ${column.maxLength}`);
      }
      return ok(value);
    }
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Owner':
    case 'Customer': {
      try {
        return ok(column.type === 'Uniqueidentifier' ? recordGuid(text) : lookupGuid(text));
      } catch {
        return fail(`${field.name} = "${text}" is not a Salesforce Id`);
      }
    }
  }
}
