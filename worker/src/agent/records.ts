/**
 * Reading copied records for agents: one record with its relations, and filtered, sorted pages. Agents never send
 * SQL: a filter names a mapped column and an operator, columns are checked against the mapping and only ever written
 * into the SQL from the table definition, and every value is a bound parameter. Soft-deleted rows are left out unless
 * asked for.
 */
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../../shared/mapping/guid';
import { mappedTable, primaryKeyOf } from './catalog';
import { AgentToolError } from './tool-error';

export type Row = Record<string, string | number | null>;
type Scalar = string | number | boolean | null;

export interface Filter {
  column: string;
  op: 'equals' | 'prefix' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
  value: Scalar | Scalar[];
}

export interface RecordQuery {
  table: DestinationTable;
  filters: Filter[];
  sort?: { column: string; direction: 'asc' | 'desc' };
  limit: number;
  cursor?: string;
  includeDeleted: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const KEY_PREFIX: Record<string, DestinationTable> = { '003': 'contact', '001': 'account' };

/** The columns an agent sees of a row: the key, the mapped columns, and where the row came from. */
function visibleColumns(table: DestinationTable, fields: Map<string, string>) {
  const key = primaryKeyOf(table);
  return [key, ...TABLES[table].columns.filter((c) => !c.primaryKey && fields.has(c.name)).map((c) => c.name), 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_deleted_at'];
}

export async function getRecord(db: D1Database, tenantId: string, input: { id: string; includeDeleted: boolean }) {
  let guid: string;
  let tables: DestinationTable[] = ['contact', 'account'];
  if (GUID.test(input.id)) guid = input.id.toLowerCase();
  else if (SALESFORCE_ID.test(input.id)) {
    guid = guidFromSalesforceId(input.id);
    const byPrefix = KEY_PREFIX[input.id.slice(0, 3)];
    if (byPrefix) tables = [byPrefix];
  } else throw new AgentToolError(`"${input.id.slice(0, 40)}" is neither a GUID nor a Salesforce Id (15 or 18 letters and digits).`);

  for (const table of tables) {
    const entry = await mappedTable(db, tenantId, table).catch(() => undefined);
    if (!entry) continue;
    const columns = visibleColumns(table, entry.fields);
    const key = primaryKeyOf(table);
    const deleted = input.includeDeleted ? '' : 'AND forcebridge_deleted_at IS NULL';
    const row = await db.prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE tenant_id = ?1 AND ${key} = ?2 ${deleted}`).bind(tenantId, guid).first<Row>();
    if (!row) continue;
    if (table === 'contact') {
      const accountId = row.parentcustomerid;
      const account = accountId ? await relatedAccount(db, tenantId, String(accountId), input.includeDeleted) : null;
      return { table, record: row, account, contacts: null };
    }
    return { table, record: row, account: null, contacts: await accountContacts(db, tenantId, guid, input.includeDeleted) };
  }
  return null;
}

async function relatedAccount(db: D1Database, tenantId: string, accountId: string, includeDeleted: boolean) {
  const entry = await mappedTable(db, tenantId, 'account').catch(() => undefined);
  if (!entry) return null;
  const deleted = includeDeleted ? '' : 'AND forcebridge_deleted_at IS NULL';
  return db.prepare(`SELECT ${visibleColumns('account', entry.fields).join(', ')} FROM account WHERE tenant_id = ?1 AND accountid = ?2 ${deleted}`).bind(tenantId, accountId).first<Row>();
}

const RELATED_CONTACTS_LIMIT = 50;

async function accountContacts(db: D1Database, tenantId: string, accountId: string, includeDeleted: boolean) {
  const entry = await mappedTable(db, tenantId, 'contact').catch(() => undefined);
  if (!entry) return null;
  const deleted = includeDeleted ? '' : 'AND forcebridge_deleted_at IS NULL';
  const { results } = await db
    .prepare(`SELECT ${visibleColumns('contact', entry.fields).join(', ')} FROM contact WHERE tenant_id = ?1 AND parentcustomerid = ?2 ${deleted} ORDER BY contactid LIMIT ?3`)
    .bind(tenantId, accountId, RELATED_CONTACTS_LIMIT)
    .all<Row>();
  return results;
}

/** A cursor is the next offset plus a fingerprint of the query, so it cannot be replayed against another query. */
function fingerprint(query: RecordQuery): string {
  const text = JSON.stringify([query.table, query.filters, query.sort ?? null, query.includeDeleted]);
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return (hash >>> 0).toString(36);
}

export const encodeCursor = (offset: number, print: string) => btoa(JSON.stringify({ o: offset, f: print })).replace(/=+$/, '');

export function decodeCursor(cursor: string, print: string): number {
  try {
    const { o, f } = JSON.parse(atob(cursor)) as { o: unknown; f: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && f === print) return o;
  } catch {
    // falls through to the error below
  }
  throw new AgentToolError('The cursor does not belong to this query. Pass back the nextCursor of the previous page, with the same table, filters and sort.');
}

const sqlValue = (value: Scalar) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

export async function queryRecords(db: D1Database, tenantId: string, query: RecordQuery) {
  const entry = await mappedTable(db, tenantId, query.table);
  const key = primaryKeyOf(query.table);
  const columns = visibleColumns(query.table, entry.fields);
  const filterable = new Set(columns.filter((c) => c !== 'forcebridge_deleted_at'));
  const checkColumn = (column: string) => {
    if (!filterable.has(column)) {
      throw new AgentToolError(`"${column.slice(0, 64)}" is not a mapped column of ${query.table}. Use one of: ${[...filterable].join(', ')} (describeTable lists them).`);
    }
    return column;
  };

  const where = ['tenant_id = ?1'];
  const params: Scalar[] = [tenantId];
  const bind = (value: Scalar) => {
    params.push(sqlValue(value));
    return `?${params.length}`;
  };
  if (!query.includeDeleted) where.push('forcebridge_deleted_at IS NULL');
  for (const filter of query.filters) {
    const column = checkColumn(filter.column);
    const isList = Array.isArray(filter.value);
    if ((filter.op === 'in') !== isList) {
      throw new AgentToolError(filter.op === 'in' ? `The "in" filter on ${column} needs a list of values.` : `The "${filter.op}" filter on ${column} takes one value, not a list.`);
    }
    const value = filter.value as Scalar;
    switch (filter.op) {
      case 'equals':
        where.push(value === null ? `${column} IS NULL` : `${column} = ${bind(value)}`);
        break;
      case 'prefix':
        if (typeof value !== 'string' || value === '') throw new AgentToolError(`The "prefix" filter on ${column} needs a non-empty text value.`);
        // A range, not LIKE, so an index on the column serves it; case-sensitive like equals.
        where.push(`${column} >= ${bind(value)} AND ${column} < ${bind(value + '\u{10FFFF}')}`);
        break;
      case 'in':
        where.push(`${column} IN (${(filter.value as Scalar[]).map((v) => bind(v)).join(', ')})`);
        break;
      default: {
        if (value === null) throw new AgentToolError(`The "${filter.op}" filter on ${column} needs a value, not null.`);
        const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[filter.op];
        where.push(`${column} ${op} ${bind(value)}`);
      }
    }
  }
  const sortColumn = query.sort ? checkColumn(query.sort.column) : key;
  const direction = query.sort?.direction === 'desc' ? 'DESC' : 'ASC';
  // Without a sort of its own, a filtered query is ordered by `+key`: the unary plus keeps SQLite from walking the
  // primary key for the order (and testing every row against the filter) instead of using the filter's index.
  const keyOrder = !query.sort && query.filters.length > 0 ? `+${key}` : key;
  const order = sortColumn === key ? `${keyOrder} ${direction}` : `${sortColumn} ${direction}, ${key} ${direction}`;
  const print = fingerprint(query);
  const offset = query.cursor ? decodeCursor(query.cursor, print) : 0;
  const { results } = await db
    .prepare(`SELECT ${columns.join(', ')} FROM ${query.table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${bind(query.limit + 1)} OFFSET ${bind(offset)}`)
    .bind(...params)
    .all<Row>();
  const more = results.length > query.limit;
  const records = more ? results.slice(0, query.limit) : results;
  return { table: query.table, records, nextCursor: more ? encodeCursor(offset + query.limit, print) : null };
}
