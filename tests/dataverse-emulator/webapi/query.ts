/**
 * Reads: a collection with `$select`, `$filter`, `$orderby`, `$top` and server-driven paging, one row (with its ETag
 * and conditional GET), and one column of a row. Paging follows page-results.md (query-paging.http):
 * `Prefer: odata.maxpagesize=N` (at most 5,000, the default), `Preference-Applied`, an `@odata.nextLink` carrying a
 * `$skiptoken` paging cookie on every page but the last, `$top` ignored when paging is asked for, no `$skip`. The
 * cookie holds the last row's sort values, so paging needs no server state and survives writes between pages.
 */
import { badQuery, notEmulated, rowNotFound, unknownQueryProperty } from '../errors';
import { compileFilter, type Value } from './filter';
import { type Operation, type OperationContext, type Outcome, emptyOutcome, jsonOutcome } from './operation';
import { annotationsFrom, etagOf, plainValue, presentRow, readableColumns, resolveSelect } from './present';
import type { Column, TableDefinition } from './schema';
import type { Row } from './store';

export const MAX_PAGE_SIZE = 5000;
const SUPPORTED_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$skiptoken', '$count']);

type SortKey = { column: Column; descending: boolean };

/** `scope` narrows the rows first (a collection-valued navigation property such as `accounts(<id>)/Account_Tasks`). */
export function queryCollection(ctx: OperationContext, table: TableDefinition, op: Operation, scope?: (row: Row) => boolean): Outcome {
  const params = op.url.searchParams;
  for (const name of params.keys()) {
    if (name === '$expand') throw notEmulated('$expand on table rows');
    if (name === '$skip') throw badQuery('The query parameter $skip is not supported');
    if (name.startsWith('$') && !SUPPORTED_OPTIONS.has(name)) throw badQuery(`The query parameter ${name} is not supported`);
  }
  const select = resolveSelect(table, params.get('$select') ?? undefined);
  const columns = readableColumns(table);
  const filterText = params.get('$filter');
  const predicate = filterText
    ? compileFilter(filterText, (property) => {
        const column = columns.get(property);
        if (!column) throw unknownQueryProperty(table.logicalName, property);
        return (row) => plainValue(row as Row, column);
      })
    : undefined;
  const sort = sortKeys(table, params.get('$orderby'));
  const prefer = op.headers.get('prefer');
  const pageMatch = /odata\.maxpagesize=(\d+)/i.exec(prefer ?? '');
  const top = params.get('$top');
  if (top !== null && !/^\d+$/.test(top)) throw badQuery(`Invalid value '${top}' for $top query option found. The $top query option requires a non-negative integer value.`);
  const pageSize = pageMatch ? Math.min(Math.max(Number(pageMatch[1]), 1), MAX_PAGE_SIZE) : top !== null ? Math.min(Number(top), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;

  const cookie = params.get('$skiptoken');
  const parsed = cookie ? parseCookie(cookie, sort) : undefined;
  const pageNumber = parsed?.pageNumber ?? 1;
  const after = parsed ? parsed.last.map(sortable) : undefined;
  // Each row's sort keys are read once; rows at or before the paging cookie are dropped before sorting.
  let matched = 0;
  const entries: { row: Row; keys: Value[] }[] = [];
  for (const row of ctx.env.store.rows(table.logicalName).values()) {
    if ((scope && !scope(row)) || (predicate && !predicate(row))) continue;
    matched++;
    const keys = sort.map((key) => sortable(plainValue(row, key.column)));
    if (after && compareKeys(keys, after, sort) <= 0) continue;
    entries.push({ row, keys });
  }
  entries.sort((a, b) => compareKeys(a.keys, b.keys, sort));
  const rows = entries.map((entry) => entry.row);
  const page = rows.slice(0, pageSize);
  // Only server-driven paging continues: a plain $top answers one page, however many rows match.
  const more = rows.length > page.length && (pageMatch !== null || top === null);

  const { wanted, applied } = annotationsFrom(prefer);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}$metadata#${table.entitySetName}${select ? `(${params.get('$select')})` : ''}`,
  };
  if (params.get('$count') === 'true') body['@odata.count'] = Math.min(matched, MAX_PAGE_SIZE);
  body.value = page.map((row) => presentRow(ctx.env.store, table, row, select, wanted));
  const last = page[page.length - 1];
  if (more && last) body['@odata.nextLink'] = nextLink(op.url, ctx.base, table, last, sort, pageNumber + 1);
  const preferences = [pageMatch ? `odata.maxpagesize=${pageSize}` : undefined, applied].filter(Boolean).join(',');
  return jsonOutcome(200, body, preferences ? [['Preference-Applied', preferences]] : []);
}

export function retrieveRow(ctx: OperationContext, table: TableDefinition, id: string, op: Operation): Outcome {
  const params = op.url.searchParams;
  if (params.has('$expand')) throw notEmulated('$expand on table rows');
  const row = ctx.env.store.get(table.logicalName, id);
  if (!row) throw rowNotFound({ filled: ctx.env.switches.filledErrorCodes }, table.logicalName, id);
  const select = resolveSelect(table, params.get('$select') ?? undefined);
  const { wanted, applied } = annotationsFrom(op.headers.get('prefer'));
  const etag = etagOf(row);
  // A conditional GET never answers 304 when annotations are asked for (perform-conditional-operations-using-web-api.md).
  if (op.headers.get('if-none-match') === etag && !applied) return emptyOutcome(304, [['Content-Type', 'application/json; odata.metadata=minimal']]);
  const body = {
    '@odata.context': `${ctx.base}$metadata#${table.entitySetName}${select ? `(${params.get('$select')})` : ''}/$entity`,
    ...presentRow(ctx.env.store, table, row, select, wanted),
  };
  return jsonOutcome(200, body, [['ETag', etag], ...(applied ? ([['Preference-Applied', applied]] as [string, string][]) : [])]);
}

export function retrieveColumn(ctx: OperationContext, table: TableDefinition, id: string, property: string): Outcome {
  const row = ctx.env.store.get(table.logicalName, id);
  if (!row) throw rowNotFound({ filled: ctx.env.switches.filledErrorCodes }, table.logicalName, id);
  const column = readableColumns(table).get(property);
  if (!column) throw unknownQueryProperty(table.logicalName, property);
  const value = plainValue(row, column);
  if (value === null) return emptyOutcome(204);
  return jsonOutcome(200, { '@odata.context': `${ctx.base}$metadata#${table.entitySetName}(${row.id})/${property}`, value });
}

function sortKeys(table: TableDefinition, orderby: string | null): SortKey[] {
  const keys: SortKey[] = [];
  const columns = readableColumns(table);
  for (const part of (orderby ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name = '', direction = 'asc', extra] = part.split(/\s+/);
    if (extra || !/^(asc|desc)$/i.test(direction)) throw badQuery(`Syntax error in $orderby: '${part}'.`);
    const column = columns.get(name);
    if (!column) throw unknownQueryProperty(table.logicalName, name);
    keys.push({ column, descending: direction.toLowerCase() === 'desc' });
  }
  // The primary key ends every ordering, so pages never overlap (Dataverse orders by it when nothing else is asked).
  if (!keys.some((k) => k.column.isPrimaryId)) keys.push({ column: table.byName.get(table.primaryId)!, descending: false });
  return keys;
}

/** A value as sorting compares it: text without case, as Dataverse's collation does. */
const sortable = (value: Value): Value => (typeof value === 'string' ? value.toLowerCase() : value);

/** Orders two rows' sort keys; nulls sort first ascending (SQL Server's order), last descending. */
function compareKeys(a: Value[], b: Value[], sort: SortKey[]): number {
  for (let i = 0; i < sort.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    let c = 0;
    if (x === null || y === null) c = x === y ? 0 : x === null ? -1 : 1;
    else if (typeof x === 'number' && typeof y === 'number') c = x - y;
    else c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return sort[i]!.descending ? -c : c;
  }
  return 0;
}

const cookieName = (key: SortKey) => key.column.logicalName;
const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const xmlUnescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** GUIDs appear in paging cookies upper-case in braces (query-paging.http). */
const cookieValue = (value: Value) => (typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value) ? `{${value.toUpperCase()}}` : String(value));

/** Percent-encodes like .NET's UrlEncode with lower-case hex (the inner cookie in query-paging.http). */
const encodeInner = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const encodeOuter = (text: string) => text.replace(/[%<>" ]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

function nextLink(url: URL, base: string, table: TableDefinition, last: Row, sort: SortKey[], pageNumber: number): string {
  const entries = sort
    .map((key) => {
      const value = plainValue(last, key.column);
      return value === null ? `<${cookieName(key)} />` : `<${cookieName(key)} last="${xmlEscape(cookieValue(value))}" />`;
    })
    .join('');
  const inner = `<cookie page="${pageNumber - 1}">${entries}</cookie>`;
  const outer = `<cookie pagenumber="${pageNumber}" pagingcookie="${encodeInner(inner)}" istracking="False" />`;
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair && !pair.startsWith('$skiptoken=') && !pair.startsWith('%24skiptoken='));
  return `${base}${table.entitySetName}?${[...kept, `$skiptoken=${encodeOuter(outer)}`].join('&')}`;
}

function parseCookie(cookie: string, sort: SortKey[]): { pageNumber: number; last: Value[] } {
  const outer = /^<cookie pagenumber="(\d+)" pagingcookie="([^"]*)" istracking="False" \/>$/.exec(cookie.trim());
  if (!outer) throw badQuery('The $skiptoken is not a paging cookie this environment issued. Use the @odata.nextLink unchanged.');
  let inner: string;
  try {
    inner = decodeURIComponent(outer[2] ?? '');
  } catch {
    throw badQuery('The paging cookie in $skiptoken is malformed. Use the @odata.nextLink unchanged.');
  }
  const last = sort.map((key) => {
    const match = new RegExp(`<${cookieName(key)}(?: last="([^"]*)")? />`).exec(inner);
    if (!match) throw badQuery('The paging cookie does not match the query: keep $orderby and $filter as they were on the first page.');
    if (match[1] === undefined) return null;
    const text = xmlUnescape(match[1]);
    if (/^\{[0-9A-F-]{36}\}$/.test(text)) return text.slice(1, -1).toLowerCase();
    if (key.column.type === 'Integer' || key.column.type === 'Double' || key.column.type === 'Money' || key.column.type === 'Picklist' || key.column.type === 'State' || key.column.type === 'Status') return Number(text);
    if (key.column.type === 'Boolean') return text === 'true';
    return text;
  });
  return { pageNumber: Number(outer[1]), last };
}
