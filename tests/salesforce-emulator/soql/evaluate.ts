/**
 * Runs a parsed query against the org as a given user: filter, order (nulls first ascending, last descending, text
 * case-insensitively, as SOQL does), offset and limit. The result is the list of matching rows plus the columns to
 * show; pages are materialized later (records.ts), so a million-row result costs an index array, not a million
 * objects. `SELECT COUNT()` only counts; `COUNT(field)` gives one AggregateResult row.
 */
import type { Org } from '../org/org';
import type { JsonObject } from '../recordings';
import { reasons } from './errors';
import { compileWhere } from './filter';
import { parseSoql, type Query, type SelectItem } from './parser';
import { Resolver, type Column } from './resolve';
import { sourceFor, type Source } from './source';

export type QueryContext = { org: Org; userId: string };

export type QueryOutcome =
  | { kind: 'count'; totalSize: number }
  | { kind: 'aggregate'; records: JsonObject[] }
  | { kind: 'rows'; query: Query; source: Source; columns: Column[]; rows: Int32Array };

export function runQuery(ctx: QueryContext, soql: string, options: { includeDeleted: boolean }): QueryOutcome {
  const query = parseSoql(soql);
  return runParsed(ctx, query, options);
}

/** A query checked against the org and ready to run: its object, columns, COUNT items and WHERE predicate. */
export type QueryPlan = {
  query: Query;
  source: Source;
  resolver: Resolver;
  columns: Column[];
  counts: SelectItem[];
  predicate: ((index: number) => boolean) | undefined;
};

/**
 * Resolves everything a query names (object, SELECT, WHERE, ORDER BY) as the user, throwing Salesforce's error for
 * the first thing that does not resolve, without reading any row.
 */
export function planQuery(ctx: QueryContext, query: Query): QueryPlan {
  const { org, userId } = ctx;
  const schema = Resolver.object(org, userId, query);
  const source = sourceFor(org, schema, userId);
  const resolver = new Resolver(org, userId, query, source);
  const counts = query.select.filter((item) => item.kind === 'count');
  const columns: Column[] = [];
  const seen = new Set<string>();
  for (const item of query.select) {
    if (item.kind !== 'field') continue;
    const column = resolver.column(item.field);
    if (!seen.has(column.label.toLowerCase())) columns.push(column);
    seen.add(column.label.toLowerCase());
  }
  const predicate = query.where ? compileWhere(query.where, resolver, query, org.clock.now()) : undefined;
  if (counts.length > 0 && columns.length > 0) {
    const first = query.select.find((item) => item.kind === 'field');
    if (first?.kind === 'field') throw resolver.error('MALFORMED_QUERY', first.field, reasons.unexpected(first.field.token.text));
  }
  for (const item of query.orderBy) {
    const column = resolver.column(item.field);
    if (column.leaf.describe.sortable === false) throw resolver.error('INVALID_FIELD', item.field, reasons.notSortable(column.leaf.name));
  }
  return { query, source, resolver, columns, counts, predicate };
}

export function runParsed(ctx: QueryContext, query: Query, options: { includeDeleted: boolean }): QueryOutcome {
  const { source, resolver, columns, counts, predicate } = planQuery(ctx, query);

  const plainCount = counts.length === 1 && counts[0]?.kind === 'count' && !counts[0].field && columns.length === 0;
  const canStopEarly = query.orderBy.length === 0 && query.limit !== undefined && !plainCount && counts.length === 0;
  const stopAt = canStopEarly ? (query.offset ?? 0) + (query.limit ?? 0) : Number.POSITIVE_INFINITY;
  const matches: number[] = [];
  for (const index of source.rows(options.includeDeleted)) {
    if (predicate && !predicate(index)) continue;
    matches.push(index);
    if (matches.length >= stopAt) break;
  }

  if (plainCount) return { kind: 'count', totalSize: applyWindow(matches, query).length };
  if (counts.length > 0) {
    const record: JsonObject = { attributes: { type: 'AggregateResult' } };
    counts.forEach((item, k) => {
      if (item.kind !== 'count') return;
      const column = item.field ? resolver.column(item.field) : undefined;
      const value = column ? matches.filter((i) => column.read(i) !== null && column.read(i) !== undefined).length : matches.length;
      record[item.alias ?? `expr${k}`] = value;
    });
    return { kind: 'aggregate', records: [record] };
  }

  const ordered = query.orderBy.length > 0 ? sortRows(matches, query, resolver) : matches;
  return { kind: 'rows', query, source, columns, rows: Int32Array.from(applyWindow(ordered, query)) };
}

function applyWindow(rows: number[], query: Query): number[] {
  const start = query.offset ?? 0;
  const end = query.limit === undefined ? undefined : start + query.limit;
  return start === 0 && end === undefined ? rows : rows.slice(start, end);
}

function sortRows(rows: number[], query: Query, resolver: Resolver): number[] {
  const n = rows.length;
  const keys = query.orderBy.map((item) => {
    const column = resolver.column(item.field);
    const values: unknown[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const value = column.read(rows[k] as number);
      values[k] = typeof value === 'string' ? value.toLowerCase() : value;
    }
    return { values, descending: item.descending, nullsLast: item.nullsLast };
  });
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((a, b) => {
    for (const key of keys) {
      const x = key.values[a];
      const y = key.values[b];
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull && yNull) continue;
        return xNull === key.nullsLast ? 1 : -1;
      }
      if (x === y) continue;
      const cmp = (x as number | string) < (y as number | string) ? -1 : 1;
      return key.descending ? -cmp : cmp;
    }
    return a - b;
  });
  return order.map((k) => rows[k] as number);
}

