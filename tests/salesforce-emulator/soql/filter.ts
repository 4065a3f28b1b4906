/**
 * WHERE clauses compiled into row predicates. Comparisons follow SOQL: text compares case-insensitively, ids match
 * in their 15- or 18-character form, date/time fields take unquoted literals (quoted ones are rejected with
 * Salesforce's "must be of type dateTime and should not be enclosed in quotes"), and date literals such as
 * LAST_N_DAYS:30 are ranges of whole UTC days.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */
import { normalizeId } from '../ids';
import type { FieldDef } from '../org/schema';
import { reasons, SoqlError } from './errors';
import type { Condition, Literal, Operator, Query } from './parser';
import type { Resolver } from './resolve';

type Predicate = (index: number) => boolean;
const DAY = 86_400_000;
const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

export function compileWhere(condition: Condition, resolver: Resolver, query: Query, now: number): Predicate {
  switch (condition.kind) {
    case 'and': {
      const left = compileWhere(condition.left, resolver, query, now);
      const right = compileWhere(condition.right, resolver, query, now);
      return (i) => left(i) && right(i);
    }
    case 'or': {
      const left = compileWhere(condition.left, resolver, query, now);
      const right = compileWhere(condition.right, resolver, query, now);
      return (i) => left(i) || right(i);
    }
    case 'not': {
      const operand = compileWhere(condition.operand, resolver, query, now);
      return (i) => !operand(i);
    }
    case 'compare': {
      const column = resolver.column(condition.field);
      if (column.leaf.describe.filterable === false) throw resolver.error('INVALID_FIELD', condition.field, reasons.notFilterable(column.leaf.name));
      const test = valueTest(column.leaf, condition.op, condition.values, query, now);
      return (i) => test(column.read(i));
    }
  }
}

function literalError(field: FieldDef, literal: Literal, query: Query, expected: string): SoqlError {
  return new SoqlError('INVALID_FIELD', query.soql, literal.token.row, literal.token.column, reasons.wrongLiteral(field.name, expected, literal.kind === 'string'));
}

/** A comparable form of a literal for `field`, or a [start, end) range for date literals. */
function operand(field: FieldDef, literal: Literal, query: Query, now: number): unknown {
  if (literal.kind === 'null') return null;
  if (field.type === 'datetime' || field.type === 'date') {
    if (literal.kind === 'dateLiteral') return dateRange(literal.name, literal.n, now);
    if (field.type === 'datetime' && literal.kind === 'datetime') return literal.value;
    if (field.type === 'date' && literal.kind === 'date') return Date.parse(`${literal.value}T00:00:00Z`);
    throw literalError(field, literal, query, field.type === 'date' ? 'date' : 'dateTime');
  }
  if (field.type === 'boolean') {
    if (literal.kind !== 'boolean') throw literalError(field, literal, query, 'boolean');
    return literal.value;
  }
  if (NUMBER_TYPES.has(field.type)) {
    if (literal.kind !== 'number') throw literalError(field, literal, query, field.type === 'int' ? 'integer' : 'double');
    return literal.value;
  }
  if (literal.kind !== 'string') throw literalError(field, literal, query, 'string');
  if (field.type === 'id' || field.type === 'reference') {
    const id = normalizeId(literal.value);
    if (!id && literal.value !== '') {
      throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', query.soql, literal.token.row, literal.token.column, `invalid ID field: ${literal.value}`);
    }
    return (id ?? '').toLowerCase();
  }
  return literal.value.toLowerCase();
}

function comparable(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'date' && typeof value === 'string') return Date.parse(`${value}T00:00:00Z`);
  if (TEXT_TYPES.has(field.type) && typeof value === 'string') return value.toLowerCase();
  return value;
}

function valueTest(field: FieldDef, op: Operator, literals: Literal[], query: Query, now: number): (value: unknown) => boolean {
  const operands = literals.map((literal) => operand(field, literal, query, now));
  if (op === 'IN' || op === 'NOT IN') {
    const set = new Set(operands.map((o) => (typeof o === 'string' ? o.toLowerCase() : o)));
    return (value) => set.has(comparable(field, value) as never) === (op === 'IN');
  }
  const target = operands[0];
  if (op === 'LIKE') {
    const pattern = likePattern(String(target ?? ''));
    return (value) => typeof value === 'string' && pattern.test(value);
  }
  if (Array.isArray(target)) {
    const [start, end] = target as [number, number];
    return (value) => {
      const v = comparable(field, value);
      if (typeof v !== 'number') return op === '!=';
      return compareRange(v, start, end, op);
    };
  }
  return (value) => compareValues(comparable(field, value), target, op);
}

function compareValues(value: unknown, target: unknown, op: Operator): boolean {
  if (op === '=') return value === target;
  if (op === '!=') return value !== target;
  if (value === null || target === null) return false;
  const a = value as number | string | boolean;
  const b = target as number | string | boolean;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

function compareRange(v: number, start: number, end: number, op: Operator): boolean {
  switch (op) {
    case '=':
      return v >= start && v < end;
    case '!=':
      return v < start || v >= end;
    case '<':
      return v < start;
    case '<=':
      return v < end;
    case '>':
      return v >= end;
    case '>=':
      return v >= start;
    default:
      return false;
  }
}

function dateRange(name: string, n: number, now: number): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  switch (name) {
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY];
    default:
      return [today, today + DAY];
  }
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}
