/**
 * Writes: create (POST), upsert / update-only / create-only (PATCH with no condition, `If-Match`, `If-None-Match: *`),
 * delete, one column (PUT/DELETE `…/<column>`) and single-valued lookups (`<nav>@odata.bind`, PUT/DELETE
 * `…/<nav>/$ref`). Every value is checked against the table's metadata before anything is stored; the answers
 * follow create-204-201.http, upsert-*.http, create-if-none-match-412.http, patch-update-204.http,
 * concurrency-etag-412-304.http, delete-204.http and associate-odata-bind.http.
 */
import {
  boundRowNotFound,
  DataverseError,
  invalidOwner,
  invalidProperty,
  lengthExceeded,
  matchingKeyExists,
  notEmulated,
  rowNotFound,
  versionMismatch,
  wrongValueType,
} from '../errors';
import { isGuid, sequentialGuid } from '../ids';
import { invalidKey, parseReference } from './lookups';
import { type Operation, type OperationContext, type Outcome, emptyOutcome, jsonOutcome } from './operation';
import { annotationsFrom, etagOf, presentRow, resolveSelect } from './present';
import { edmType, isLookup, TABLE_BY_NAME, WRITABLE_TABLES, type Column, type TableDefinition } from './schema';
import type { LookupValue, Row } from './store';

type Json = Record<string, unknown>;

function parseBody(op: Operation, table: TableDefinition): Json {
  let body: unknown;
  try {
    body = op.body.trim() ? JSON.parse(op.body) : {};
  } catch {
    throw new DataverseError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${table.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293 ----> InnerException : Microsoft.OData.ODataException: The request body is not valid JSON.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw wrongValueType(table.entitySetName, `Microsoft.Dynamics.CRM.${table.logicalName}`);
  return body as Json;
}

const codeStyle = (ctx: OperationContext) => ({ filled: ctx.env.switches.filledErrorCodes });

function demandWritable(table: TableDefinition): void {
  if (!WRITABLE_TABLES.has(table.logicalName)) throw notEmulated(`writes to ${table.entitySetName} through the Web API (shape them through the control API)`);
}

type Change = { values: Json; ownerChanged?: LookupValue; binds: LookupValue[] };

/** Checks a body against the table's columns and turns it into stored values; nothing is stored here. */
function changesFrom(ctx: OperationContext, table: TableDefinition, body: Json, creating: boolean): Change {
  const values: Json = {};
  const binds: LookupValue[] = [];
  let ownerChanged: LookupValue | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    const at = key.indexOf('@');
    if (at > 0) {
      const annotation = key.slice(at + 1);
      const navigation = key.slice(0, at);
      const entry = table.byNavigation.get(navigation);
      if (annotation !== 'odata.bind' || !entry) throw invalidProperty(table.entitySetName, table.logicalName, navigation);
      if (value === null) {
        values[entry.column.logicalName] = null;
        continue;
      }
      if (typeof value !== 'string') throw wrongValueType(table.entitySetName, 'Edm.String');
      const target = parseReference(ctx, value);
      if (!entry.tables.includes(target.table.logicalName)) {
        // A bind's set must be the navigation property's target (parentcustomerid_account → accounts).
        throw new DataverseError(400, '0x80048d19', `Error identified in Payload provided by the user for Entity :'${table.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293 ----> InnerException : Microsoft.OData.ODataException: The navigation property '${navigation}' refers to '${entry.tables.join("' or '")}' rows, not '${target.table.logicalName}'.`);
      }
      if (!ctx.env.store.get(target.table.logicalName, target.id)) throw boundRowNotFound(target.table.logicalName);
      const lookup = ctx.env.store.lookup(target.table.logicalName, target.id);
      values[entry.column.logicalName] = lookup;
      if (entry.column.type === 'Owner') ownerChanged = lookup;
      else binds.push(lookup);
      continue;
    }
    const navigation = table.byNavigation.get(key);
    if (navigation && value === null) {
      // The bare navigation property set to null clears the lookup (associate-odata-bind.http #3).
      values[navigation.column.logicalName] = null;
      continue;
    }
    const column = table.byName.get(key);
    if (!column || isLookup(column)) throw invalidProperty(table.entitySetName, table.logicalName, key);
    if (column.isPrimaryId) {
      if (creating) values[key] = checkValue(table, column, value);
      continue;
    }
    // Read-only columns (createdon, fullname, …) are ignored on write, as Dataverse ignores them.
    if (!(creating ? column.validForCreate : column.validForUpdate)) continue;
    values[key] = checkValue(table, column, value);
  }
  if (values.ownerid === null) throw invalidOwner();
  return { values, ownerChanged, binds };
}

function checkValue(table: TableDefinition, column: Column, value: unknown): unknown {
  if (value === null) return null;
  const wrong = () => wrongValueType(table.entitySetName, edmType(column));
  switch (column.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string') throw wrong();
      if (column.maxLength !== undefined && value.length > column.maxLength) throw lengthExceeded(column.logicalName, table.logicalName, column.maxLength);
      return value;
    case 'Integer':
    case 'Double':
    case 'Money':
    case 'Picklist':
    case 'State':
    case 'Status':
      if (typeof value !== 'number' || !Number.isFinite(value) || (column.type !== 'Money' && column.type !== 'Double' && !Number.isInteger(value))) throw wrong();
      if ((column.minValue !== undefined && value < column.minValue) || (column.maxValue !== undefined && value > column.maxValue) || (column.options && !(value in column.options)))
        throw outOfRange(column, table, value);
      return column.precision === undefined ? value : Number(value.toFixed(column.precision));
    case 'Boolean':
      if (typeof value !== 'boolean') throw wrong();
      return value;
    case 'DateTime':
      // Edm.Date takes a calendar date only; a date and time for it is a payload error, as for any wrong type.
      if (column.dateOnly) {
        if (typeof value !== 'string' || !isCalendarDate(value)) throw wrong();
        return value;
      }
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw wrong();
      return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !isGuid(value)) throw wrong();
      return value.toLowerCase();
    default:
      throw wrong();
  }
}

/** `yyyy-MM-dd` naming a real day, from 1753-01-01 (the earliest date Dataverse stores) to 9999-12-31. */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1753-01-01') return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

/** A number outside the column's range or option set (validation code 0x80044331 as for lengths; wording ours). */
function outOfRange(column: Column, table: TableDefinition, value: number): DataverseError {
  const accepted = column.options ? Object.keys(column.options).join(', ') : `${column.minValue} to ${column.maxValue}`;
  return new DataverseError(400, '0x80044331', `A validation error occurred.  The value ${value} of '${column.logicalName}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${accepted}`);
}

/** Privileges a write needs beyond Create/Write: Assign for a new owner (who must be able to hold the row), Append/AppendTo for lookups. */
function demandForChange(ctx: OperationContext, table: TableDefinition, change: Change, currentOwner: LookupValue | undefined): void {
  const { privileges } = ctx.env;
  if (change.ownerChanged) {
    if (change.ownerChanged.table !== 'team' && change.ownerChanged.table !== 'systemuser') throw invalidOwner();
    if (change.ownerChanged.id !== (currentOwner?.id ?? ctx.callerId)) {
      privileges.demand(ctx.callerId, 'Assign', table);
      privileges.demandOwnerCanHold(change.ownerChanged.id, table);
    }
  }
  for (const bind of change.binds) {
    privileges.demand(ctx.callerId, 'Append', table);
    const target = TABLE_BY_NAME.get(bind.table)!;
    if (WRITABLE_TABLES.has(target.logicalName)) privileges.demand(ctx.callerId, 'AppendTo', target);
  }
}

/** Default status of each state (contact.md/account.md: state 0 Active → status 1, state 1 Inactive → status 2). */
const DEFAULT_STATUS: Record<number, number> = { 0: 1, 1: 2 };

/**
 * Deactivating (statecode 1) without a statuscode takes the state's default status; a status that belongs to the
 * other state is refused (wording ours; the code is the validation code the length errors use).
 */
function settleStatus(table: TableDefinition, values: Json, change: Json): void {
  if (!table.byName.has('statecode')) return;
  if (change.statecode !== undefined && change.statuscode === undefined) values.statuscode = DEFAULT_STATUS[Number(values.statecode)];
  const state = Number(values.statecode ?? 0);
  if (values.statuscode !== undefined && DEFAULT_STATUS[state] !== values.statuscode) {
    throw new DataverseError(400, '0x80044331', `A validation error occurred.  ${String(values.statuscode)} is not a valid status code for state code ${state} on ${table.logicalName}.`);
  }
}

function finish(ctx: OperationContext, table: TableDefinition, values: Json): Json {
  if (table.logicalName === 'contact') {
    const fullname = [values.firstname, values.lastname].filter((part) => typeof part === 'string' && part).join(' ');
    values.fullname = fullname || null;
  }
  if (table.columns.some((c) => c.type === 'Money' && values[c.logicalName] !== undefined && values[c.logicalName] !== null)) values.transactioncurrencyid ??= ctx.env.currencyId;
  values.modifiedon = ctx.env.now();
  return values;
}

function createRow(ctx: OperationContext, table: TableDefinition, id: string, change: Change): Row {
  const { [table.primaryId]: _ignored, ...values } = change.values;
  const now = ctx.env.now();
  const row: Json = { statecode: 0, ownerid: ctx.env.store.lookup('systemuser', ctx.callerId), ...dropNulls(values), createdon: now };
  if (table.byName.has('statecode')) settleStatus(table, row, { statecode: row.statecode, statuscode: values.statuscode ?? undefined });
  return ctx.env.store.put(table.logicalName, id, finish(ctx, table, row));
}

function dropNulls(values: Json): Json {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

function updateRow(ctx: OperationContext, table: TableDefinition, row: Row, change: Change): Row {
  const merged: Json = { ...row.values };
  for (const [key, value] of Object.entries(change.values)) {
    if (key === table.primaryId) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  settleStatus(table, merged, change.values);
  return ctx.env.store.put(table.logicalName, row.id, finish(ctx, table, merged));
}

function representation(ctx: OperationContext, table: TableDefinition, row: Row, op: Operation, status: 200 | 201, withEtag: boolean): Outcome {
  const selectText = op.url.searchParams.get('$select') ?? undefined;
  const select = resolveSelect(table, selectText);
  const { wanted } = annotationsFrom(op.headers.get('prefer'));
  const body = {
    '@odata.context': `${ctx.base}$metadata#${table.entitySetName}${selectText ? `(${selectText})` : ''}/$entity`,
    ...presentRow(ctx.env.store, table, row, select, wanted),
  };
  return jsonOutcome(status, body, [...(withEtag ? ([['ETag', etagOf(row)]] as [string, string][]) : []), ['Preference-Applied', 'return=representation']]);
}

const wantsRepresentation = (op: Operation) => /return=representation/i.test(op.headers.get('prefer') ?? '');

/** POST /<set>: 204 + OData-EntityId, or 201 + the row with `Prefer: return=representation` (create-204-201.http). */
export function createOperation(ctx: OperationContext, table: TableDefinition, op: Operation): Outcome {
  demandWritable(table);
  ctx.env.privileges.demand(ctx.callerId, 'Create', table);
  const change = changesFrom(ctx, table, parseBody(op, table), true);
  demandForChange(ctx, table, change, undefined);
  const id = (change.values[table.primaryId] as string | undefined) ?? sequentialGuid();
  // A primary key that is taken: DuplicateRecord, 412 (compose-http-requests-handle-errors.md lists it under 412).
  if (ctx.env.store.get(table.logicalName, id)) throw matchingKeyExists(codeStyle(ctx));
  const row = createRow(ctx, table, id, change);
  if (wantsRepresentation(op)) return representation(ctx, table, row, op, 201, false);
  return emptyOutcome(204, [['OData-EntityId', `${ctx.base}${table.entitySetName}(${row.id})`]]);
}

/** PATCH /<set>(<id>): upsert, or update-only with If-Match, or create-only with If-None-Match: * (upsert-*.http). */
export function patchOperation(ctx: OperationContext, table: TableDefinition, keyText: string, op: Operation): Outcome {
  demandWritable(table);
  if (!isGuid(keyText)) throw invalidKey(table.logicalName);
  const id = keyText.toLowerCase();
  const existing = ctx.env.store.get(table.logicalName, id);
  const ifMatch = op.headers.get('if-match');
  // Microsoft's samples send "If-None-Match: null" on every request: only "*" makes a PATCH create-only.
  const ifNoneMatch = op.headers.get('if-none-match');
  if (ifMatch !== undefined) {
    if (!existing) throw rowNotFound(codeStyle(ctx), table.logicalName, keyText);
    if (ifMatch !== '*' && ifMatch !== etagOf(existing)) throw versionMismatch(codeStyle(ctx));
  }
  if (ifNoneMatch === '*' && existing) throw matchingKeyExists(codeStyle(ctx));
  const body = parseBody(op, table);
  const change = changesFrom(ctx, table, body, !existing);
  let row: Row;
  if (existing) {
    ctx.env.privileges.demand(ctx.callerId, 'Write', table);
    demandForChange(ctx, table, change, existing.values.ownerid as LookupValue | undefined);
    row = updateRow(ctx, table, existing, change);
  } else {
    ctx.env.privileges.demand(ctx.callerId, 'Create', table);
    demandForChange(ctx, table, change, undefined);
    row = createRow(ctx, table, id, change);
  }
  if (wantsRepresentation(op)) return representation(ctx, table, row, op, existing ? 200 : 201, true);
  return emptyOutcome(204, [['OData-EntityId', `${ctx.base}${table.entitySetName}(${keyText})`]]);
}

/** DELETE /<set>(<id>): 204; 404 when the row is not there; 412 for a stale If-Match ETag. */
export function deleteOperation(ctx: OperationContext, table: TableDefinition, keyText: string, op: Operation): Outcome {
  demandWritable(table);
  if (!isGuid(keyText)) throw invalidKey(table.logicalName);
  const existing = ctx.env.store.get(table.logicalName, keyText);
  if (!existing) throw rowNotFound(codeStyle(ctx), table.logicalName, keyText);
  const ifMatch = op.headers.get('if-match');
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(existing)) throw versionMismatch(codeStyle(ctx));
  ctx.env.privileges.demand(ctx.callerId, 'Delete', table);
  ctx.env.store.delete(table.logicalName, keyText);
  return emptyOutcome(204);
}

/** PUT /<set>(<id>)/<column> `{"value":…}` or DELETE /<set>(<id>)/<column> (patch-update-204.http #3, #6). */
export function columnOperation(ctx: OperationContext, table: TableDefinition, keyText: string, property: string, op: Operation): Outcome {
  demandWritable(table);
  const existing = ctx.env.store.get(table.logicalName, keyText);
  if (!existing) throw rowNotFound(codeStyle(ctx), table.logicalName, keyText);
  let value: unknown = null;
  if (op.method === 'PUT') {
    const body = parseBody(op, table);
    if (!('value' in body)) throw wrongValueType(table.entitySetName, 'Edm.Untyped');
    value = body.value;
  }
  ctx.env.privileges.demand(ctx.callerId, 'Write', table);
  const change = changesFrom(ctx, table, { [property]: value }, false);
  updateRow(ctx, table, existing, change);
  return emptyOutcome(204);
}

/** PUT /<set>(<id>)/<nav>/$ref `{"@odata.id": url}` and DELETE …/<nav>/$ref (associate-odata-bind.http #4, #5). */
export function referenceOperation(ctx: OperationContext, table: TableDefinition, keyText: string, navigation: string, op: Operation): Outcome {
  demandWritable(table);
  const existing = ctx.env.store.get(table.logicalName, keyText);
  if (!existing) throw rowNotFound(codeStyle(ctx), table.logicalName, keyText);
  if (!table.byNavigation.has(navigation)) throw notEmulated(`the navigation property '${navigation}' (only single-valued lookups are emulated)`);
  let body: Json = { [navigation]: null };
  if (op.method === 'PUT') {
    const reference = parseBody(op, table)['@odata.id'];
    if (typeof reference !== 'string') throw wrongValueType(table.entitySetName, 'Edm.String');
    body = { [`${navigation}@odata.bind`]: reference };
  }
  ctx.env.privileges.demand(ctx.callerId, 'Write', table);
  const change = changesFrom(ctx, table, body, false);
  demandForChange(ctx, table, change, existing.values.ownerid as LookupValue | undefined);
  updateRow(ctx, table, existing, change);
  return emptyOutcome(204);
}
