/**
 * Reading copied records for agents. Column names come from the caller, who takes them from the table definition
 * and the mapping (never from the agent); every value is a bound parameter. Soft-deleted rows are left out unless asked.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

export type Row = Record<string, string | number | null>;
export type Scalar = string | number | boolean | null;

export interface RecordFilter {
  column: string;
  op: 'equals' | 'prefix' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
  value: Scalar | Scalar[];
}

const notDeleted = (includeDeleted: boolean) => (includeDeleted ? '' : 'AND forcebridge_deleted_at IS NULL');

export function recordByKey(db: D1Database, tenantId: string, table: DestinationTable, columns: string[], key: string, id: string, includeDeleted: boolean): Promise<Row | null> {
  return db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE tenant_id = ?1 AND ${key} = ?2 ${notDeleted(includeDeleted)}`).bind(tenantId, id).first<Row>();
}

export function accountById(db: D1Database, tenantId: string, columns: string[], accountId: string, includeDeleted: boolean): Promise<Row | null> {
  return db.prepare(`SELECT ${columns.join(', ')} FROM account WHERE tenant_id = ?1 AND accountid = ?2 ${notDeleted(includeDeleted)}`).bind(tenantId, accountId).first<Row>();
}

export async function contactsOfAccount(db: D1Database, tenantId: string, columns: string[], accountId: string, includeDeleted: boolean, limit: number): Promise<Row[]> {
  const { results } = await db
    .prepare(`SELECT ${columns.join(', ')} FROM contact WHERE tenant_id = ?1 AND parentcustomerid = ?2 ${notDeleted(includeDeleted)} ORDER BY contactid LIMIT ?3`)
    .bind(tenantId, accountId, limit)
    .all<Row>();
  return results;
}

export interface RecordPageQuery {
  table: DestinationTable;
  /** the primary key column */
  key: string;
  columns: string[];
  /** checked by the caller: mapped columns, a list only for `in`, a non-empty text for `prefix`, no null to compare */
  filters: RecordFilter[];
  sort?: { column: string; direction: 'asc' | 'desc' };
  includeDeleted: boolean;
  limit: number;
  /** where the previous page ended; rows come strictly after it in the page order */
  after?: PagePosition;
}

/** Where a page ended: the last row's sort value (null when it had none) and its primary key. */
export interface PagePosition {
  value: string | number | null;
  key: string;
}

const sqlValue = (value: Scalar) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/**
 * Up to `limit` + 1 rows after `after` (keyset paging), filtered and sorted by the sort column and then the key, so the
 * order is total and a page starts exactly after the last row of the previous one however the table changed meanwhile.
 * SQLite sorts NULL first ascending and last descending: the position test follows that.
 */
export async function recordPage(db: D1Database, tenantId: string, query: RecordPageQuery): Promise<Row[]> {
  const { key } = query;
  const where = ['tenant_id = ?1'];
  const params: Scalar[] = [tenantId];
  const bind = (value: Scalar) => {
    params.push(sqlValue(value));
    return `?${params.length}`;
  };
  if (!query.includeDeleted) where.push('forcebridge_deleted_at IS NULL');
  for (const { column, op, value } of query.filters) {
    if (op === 'in') where.push(`${column} IN (${(value as Scalar[]).map((v) => bind(v)).join(', ')})`);
    else if (op === 'equals') where.push(value === null ? `${column} IS NULL` : `${column} = ${bind(value as Scalar)}`);
    // A range, not LIKE, so an index on the column serves it; case-sensitive like equals.
    else if (op === 'prefix') where.push(`${column} >= ${bind(value as Scalar)} AND ${column} < ${bind(`${value as string}\u{10FFFF}`)}`);
    else where.push(`${column} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[op]} ${bind(value as Scalar)}`);
  }
  const sortColumn = query.sort?.column ?? key;
  const ascending = query.sort?.direction !== 'desc';
  if (query.after) where.push(afterPosition(sortColumn, key, ascending, query.after, bind));
  const direction = ascending ? 'ASC' : 'DESC';
  // Without a sort of its own, a filtered query is ordered by `+key`: the unary plus keeps SQLite from walking the
  // primary key for the order (and testing every row against the filter) instead of using the filter's index.
  const keyOrder = !query.sort && query.filters.length > 0 ? `+${key}` : key;
  const order = sortColumn === key ? `${keyOrder} ${direction}` : `${sortColumn} ${direction}, ${key} ${direction}`;
  const { results } = await db
    .prepare(`SELECT ${query.columns.join(', ')} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${bind(query.limit + 1)}`)
    .bind(...params)
    .all<Row>();
  return results;
}

/** The rows after `after` in the order (sort column, key), both ascending or both descending. */
function afterPosition(column: string, key: string, ascending: boolean, after: PagePosition, bind: (value: Scalar) => string): string {
  const k = bind(after.key);
  if (column === key) return `${key} ${ascending ? '>' : '<'} ${k}`;
  if (after.value === null) {
    // NULLs come first ascending (then every non-NULL), last descending (nothing after them but other NULLs).
    return ascending ? `(${column} IS NOT NULL OR ${key} > ${k})` : `(${column} IS NULL AND ${key} < ${k})`;
  }
  // A row value compares column first, then key; a NULL column compares as unknown, so it is left out, which is right
  // ascending (NULLs came first) and is added back descending (they come last).
  const v = bind(after.value);
  return ascending ? `(${column}, ${key}) > (${v}, ${k})` : `((${column}, ${key}) < (${v}, ${k}) OR ${column} IS NULL)`;
}
