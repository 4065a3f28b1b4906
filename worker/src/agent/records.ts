/**
 * Reading copied records for agents: one record with its relations, and filtered, sorted pages. Agents never send
 * SQL: a filter names a mapped column and an operator, columns are checked against the mapping and only ever written
 * into the SQL from the table definition, and every value is a bound parameter. Soft-deleted rows are left out unless
 * asked for. Pages are keyset pages: the signed cursor (./page-cursor.ts) holds the last row's sort value and key.
 */
import { TABLES, type DestinationTable, primaryKeyOf } from '../../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../../shared/mapping/guid';
import { type PagePosition, type RecordFilter, type Scalar, accountById, contactsOfAccount, recordByKey, recordPage } from '../db/agent-records';
import { mappedTable } from './catalog';
import { type CursorScope, START_AGAIN, openCursor, signCursor } from './page-cursor';
import { AgentToolError } from './tool-error';

export interface RecordQuery {
  table: DestinationTable;
  filters: RecordFilter[];
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
    const row = await recordByKey(db, tenantId, table, columns, key, guid, input.includeDeleted);
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
  return accountById(db, tenantId, visibleColumns('account', entry.fields), accountId, includeDeleted);
}

const RELATED_CONTACTS_LIMIT = 50;

async function accountContacts(db: D1Database, tenantId: string, accountId: string, includeDeleted: boolean) {
  const entry = await mappedTable(db, tenantId, 'contact').catch(() => undefined);
  if (!entry) return null;
  return contactsOfAccount(db, tenantId, visibleColumns('contact', entry.fields), accountId, includeDeleted, RELATED_CONTACTS_LIMIT);
}

const COMPARISONS = new Set<RecordFilter['op']>(['gt', 'gte', 'lt', 'lte']);

/** Refuses, with what to do instead, a filter the agent got wrong: an unmapped column, a list where one value goes, … */
function checkFilter(filter: RecordFilter, checkColumn: (column: string) => string): RecordFilter {
  const column = checkColumn(filter.column);
  const isList = Array.isArray(filter.value);
  if ((filter.op === 'in') !== isList) {
    throw new AgentToolError(filter.op === 'in' ? `The "in" filter on ${column} needs a list of values.` : `The "${filter.op}" filter on ${column} takes one value, not a list.`);
  }
  const value = filter.value as Scalar;
  if (filter.op === 'prefix' && (typeof value !== 'string' || value === '')) throw new AgentToolError(`The "prefix" filter on ${column} needs a non-empty text value.`);
  if (COMPARISONS.has(filter.op) && value === null) throw new AgentToolError(`The "${filter.op}" filter on ${column} needs a value, not null.`);
  return filter;
}

/** `secret` is the Worker's `ENCRYPTION_KEY`, from which the cursors' signing key is derived. */
export async function queryRecords(db: D1Database, secret: string | undefined, tenantId: string, query: RecordQuery) {
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
  const filters = query.filters.map((f) => checkFilter(f, checkColumn));
  if (query.sort) checkColumn(query.sort.column);
  const scope: CursorScope = { tool: 'queryRecords', tenantId, connectorIds: entry.connectorIds, query: { table: query.table, filters, sort: query.sort ?? null, includeDeleted: query.includeDeleted } };
  const after = query.cursor ? pagePosition(await openCursor(secret, scope, query.cursor)) : undefined;
  const results = await recordPage(db, tenantId, { table: query.table, key, columns, filters, sort: query.sort, includeDeleted: query.includeDeleted, limit: query.limit, after });
  const more = results.length > query.limit;
  const records = more ? results.slice(0, query.limit) : results;
  const last = records.at(-1);
  const position = last && [last[query.sort?.column ?? key] ?? null, String(last[key])];
  return { table: query.table, records, nextCursor: more && position ? await signCursor(secret, scope, position) : null };
}

/** A keyset position out of a genuine cursor: `[sort value, key]`. Signed by this Worker, and checked all the same. */
function pagePosition(position: unknown): PagePosition {
  const [value, key] = Array.isArray(position) && position.length === 2 ? position : [undefined, undefined];
  if (typeof key !== 'string' || !(value === null || typeof value === 'string' || typeof value === 'number')) {
    throw new AgentToolError(`The cursor could not be read. ${START_AGAIN}`);
  }
  return { value, key };
}
