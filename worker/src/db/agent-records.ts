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
  offset: number;
}

const sqlValue = (value: Scalar) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** Up to `limit` rows from `offset`, filtered and sorted (by the key last, so pages are stable). */
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
  const direction = query.sort?.direction === 'desc' ? 'DESC' : 'ASC';
  // Without a sort of its own, a filtered query is ordered by `+key`: the unary plus keeps SQLite from walking the
  // primary key for the order (and testing every row against the filter) instead of using the filter's index.
  const keyOrder = !query.sort && query.filters.length > 0 ? `+${key}` : key;
  const order = sortColumn === key ? `${keyOrder} ${direction}` : `${sortColumn} ${direction}, ${key} ${direction}`;
  const { results } = await db
    .prepare(`SELECT ${query.columns.join(', ')} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${bind(query.limit + 1)} OFFSET ${bind(query.offset)}`)
    .bind(...params)
    .all<Row>();
  return results;
}
