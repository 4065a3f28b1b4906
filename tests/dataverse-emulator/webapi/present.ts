/**
 * How a row reads on the wire (retrieve-and-owner-lookup.http, query-paging.http): `@odata.etag` first, then the
 * selected columns in `$select` order (every column when there is no `$select`), `null` for empty ones, lookups as
 * `_<column>_value`, `_transactioncurrencyid_value` after a money column, and the primary key last. Annotations
 * (FormattedValue, associatednavigationproperty, lookuplogicalname) only when `Prefer: odata.include-annotations`
 * asks, each before the value it describes.
 */
import { unknownQueryProperty } from '../errors';
import { isLookup, lookupValueName, type Column, type TableDefinition } from './schema';
import type { LookupValue, Row, Store } from './store';

export type Annotations = (name: string) => boolean;

/** Parses `odata.include-annotations="*"` (or a comma list, with `*` wildcards) out of the Prefer header. */
export function annotationsFrom(prefer: string | undefined): { wanted: Annotations; applied?: string } {
  const match = /odata\.include-annotations="([^"]*)"/i.exec(prefer ?? '');
  if (match?.[1] === undefined) return { wanted: () => false };
  const patterns = match[1].split(',').map((p) => p.trim()).filter(Boolean);
  const wanted = (name: string) =>
    patterns.some((p) => p === '*' || p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1))));
  return { wanted, applied: `odata.include-annotations="${match[1]}"` };
}

/** The wire name of a column (`_ownerid_value` for lookups) → the column. */
export function readableColumns(table: TableDefinition): Map<string, Column> {
  let map = cache.get(table);
  if (!map) {
    map = new Map(table.columns.map((c) => [isLookup(c) ? lookupValueName(c) : c.logicalName, c]));
    cache.set(table, map);
  }
  return map;
}
const cache = new WeakMap<TableDefinition, Map<string, Column>>();

export function resolveSelect(table: TableDefinition, select: string | undefined): Column[] | undefined {
  if (select === undefined) return undefined;
  const columns = readableColumns(table);
  return select
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const column = columns.get(name);
      if (!column) throw unknownQueryProperty(table.logicalName, name);
      return column;
    });
}

/** The plain value of a column on a row, as filters and sorting see it (lookups as their GUID). */
export function plainValue(row: Row, column: Column): string | number | boolean | null {
  const value = row.values[column.logicalName];
  if (column.isPrimaryId) return row.id;
  if (value === undefined || value === null) return null;
  if (isLookup(column)) return (value as LookupValue).id;
  return value as string | number | boolean;
}

export const etagOf = (row: Row) => `W/"${row.version}"`;

export function presentRow(store: Store, table: TableDefinition, row: Row, select: Column[] | undefined, wanted: Annotations): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  const columns = select ?? table.columns.filter((c) => !c.isPrimaryId);
  let money = false;
  for (const column of columns) {
    if (column.isPrimaryId) {
      out[column.logicalName] = row.id;
      continue;
    }
    const value = plainValue(row, column);
    if (isLookup(column)) {
      const name = lookupValueName(column);
      const target = row.values[column.logicalName] as LookupValue | undefined;
      if (target) {
        if (wanted('OData.Community.Display.V1.FormattedValue')) out[`${name}@OData.Community.Display.V1.FormattedValue`] = primaryNameOf(store, target);
        if (wanted('Microsoft.Dynamics.CRM.associatednavigationproperty'))
          out[`${name}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = column.targets?.find((t) => t.table === target.table)?.navigation ?? column.logicalName;
        if (wanted('Microsoft.Dynamics.CRM.lookuplogicalname')) out[`${name}@Microsoft.Dynamics.CRM.lookuplogicalname`] = target.table;
      }
      out[name] = value;
      continue;
    }
    if (value !== null && wanted('OData.Community.Display.V1.FormattedValue')) {
      const formatted = formatValue(column, value);
      if (formatted !== undefined) out[`${column.logicalName}@OData.Community.Display.V1.FormattedValue`] = formatted;
    }
    out[column.logicalName] = value;
    if (column.type === 'Money') money = true;
  }
  if (money) out._transactioncurrencyid_value = (row.values.transactioncurrencyid as string | undefined) ?? null;
  if (!select?.some((c) => c.isPrimaryId)) out[table.primaryId] = row.id;
  return out;
}

function primaryNameOf(store: Store, target: LookupValue): string | null {
  const row = store.get(target.table, target.id);
  if (!row) return null;
  const value = row.values.fullname ?? row.values.name;
  return typeof value === 'string' ? value : null;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const integer = new Intl.NumberFormat('en-US');

function formatValue(column: Column, value: string | number | boolean): string | undefined {
  switch (column.type) {
    case 'Money':
      return usd.format(Number(value));
    case 'Integer':
      return integer.format(Number(value));
    case 'Picklist':
    case 'State':
    case 'Status':
      return column.options?.[Number(value)];
    case 'Boolean':
      return value ? 'Yes' : 'No';
    case 'DateTime':
      if (column.dateOnly) return new Date(`${String(value)}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC' });
      return new Date(String(value)).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }).replace(',', '');
    default:
      return undefined;
  }
}
