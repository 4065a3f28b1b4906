/**
 * What a converted page becomes in Dataverse, pure: one Web API request per record that needs writing, and the
 * records refused before sending (a text longer than the environment's column allows).
 *  - Upsert: `PATCH <set>(<guid>)` without `If-Match` creates the row with that id or updates it
 *    (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#upsert-a-table-row).
 *  - Lookups and the owner are bound with `<navigation>@odata.bind` (`parentcustomerid_account`, `ownerid` →
 *    `/teams(<id>)`): https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 *  - Hard delete: `DELETE <set>(<guid>)`; soft delete: deactivate (`statecode` 1, `statuscode` 2) with `If-Match: *`
 *    so a row that is not there is not created (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api).
 * A record whose written version is already as new (the `dataverse_rows` ledger) is skipped, so a page sent again
 * changes nothing and an older version never replaces a newer one.
 */

/** An upsert sent again without its lookups, after Dataverse refused it because a lookup's target is not there yet. */
export function withoutBinds(op: Operation): Operation {
  const body = { ...(op.request.body as Record<string, unknown>) };
  for (const key of Object.keys(op.binds?.values ?? {})) delete body[key];
  return { ...op, request: { ...op.request, body }, linksPending: true };
}

/** The lookups of a row written without them, sent once their target is there. */
export function linkOperation(table: DestinationTable, guid: string, binds: Record<string, string>): Operation {
  return { kind: 'link', table, guid, salesforceId: '', modstamp: '', request: { method: 'PATCH', path: `${ENTITY_SETS[table]}(${guid})`, headers: { 'If-Match': '*' }, body: binds } };
}
import { TABLES, type DestinationColumn, type DestinationTable } from '../../../../shared/mapping/destination';
import type { TableColumns } from '../../dataverse/columns';
import type { WrittenVersion } from '../../db/dataverse-rows';
import type { ConvertedPage, StoredValue } from '../destination';
import type { BatchRequest } from './multipart';

export const ENTITY_SETS = { contact: 'contacts', account: 'accounts' } as const;

/** The value Dataverse is sent for a stored value: checkboxes as booleans, the rest as they are. */
export function wireValue(column: DestinationColumn, value: StoredValue): unknown {
  return column.type === 'Boolean' && value !== null ? value === 1 : value;
}

export interface Operation {
  /** `refresh`: only a row's changed formula columns (formula-values.ts) */
  kind: 'upsert' | 'delete' | 'link' | 'refresh';
  table: DestinationTable;
  guid: string;
  salesforceId: string;
  modstamp: string;
  request: BatchRequest;
  /** an upsert's lookups to other rows (`parentcustomerid_account@odata.bind` → `/accounts(<id>)`), and the first one's target GUID */
  binds?: { values: Record<string, string>; target: string };
  /** sent without its lookups: they wait in the ledger for their target */
  linksPending?: boolean;
}

export interface PlannedPage {
  operations: Operation[];
  /** refused before sending, with the reason */
  rejects: { salesforceId: string; reason: string }[];
}

/** The navigation property a lookup column binds through: a Customer column names its target table. */
const navigationOf = (column: DestinationColumn) => (column.type === 'Customer' ? `${column.name}_${column.target}` : column.name);

const BOOKKEEPING = new Set(['ownerid', 'forcebridge_connector_id', 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_deleted_at', 'forcebridge_synced_at']);

export function planPage(page: ConvertedPage, versions: Map<string, WrittenVersion>, described: TableColumns, teamId: string): PlannedPage {
  const { table, deleteMode, rewriteSameVersion } = page.target;
  const set = ENTITY_SETS[table];
  const definition = TABLES[table];
  const at = (name: string) => page.columns.indexOf(name) + 1;
  const salesforceIdAt = at('forcebridge_salesforce_id');
  const modstampAt = at('forcebridge_modstamp');
  const mapped = page.columns
    .map((name, i) => ({ index: i + 1, column: definition.columns.find((c) => c.name === name)! }))
    .filter(({ column }) => column && !BOOKKEEPING.has(column.name));

  // The newest version of each record in the page wins (a record can appear twice when it changed mid-read).
  const latest = new Map<string, { kind: 'upsert'; row: StoredValue[]; modstamp: string } | { kind: 'delete'; modstamp: string }>();
  const keep = (guid: string, next: { modstamp: string } & ({ kind: 'upsert'; row: StoredValue[] } | { kind: 'delete' })) => {
    const seen = latest.get(guid);
    if (!seen || next.modstamp >= seen.modstamp) latest.set(guid, next);
  };
  for (const row of page.rows) keep(String(row[0]), { kind: 'upsert', row, modstamp: String(row[modstampAt]) });
  for (const d of page.deletes) keep(d.guid, { kind: 'delete', modstamp: d.modstamp });
  const salesforceIds = new Map(page.rows.map((row) => [String(row[0]), String(row[salesforceIdAt])]));

  const planned: PlannedPage = { operations: [], rejects: [] };
  for (const [guid, change] of latest) {
    const written = versions.get(guid);
    const salesforceId = salesforceIds.get(guid) ?? '';
    if (change.kind === 'delete') {
      if (written && (written.modstamp > change.modstamp || written.deleted)) continue;
      const request: BatchRequest =
        deleteMode === 'hard'
          ? { method: 'DELETE', path: `${set}(${guid})` }
          : { method: 'PATCH', path: `${set}(${guid})`, headers: { 'If-Match': '*' }, body: { statecode: 1, statuscode: 2 } };
      planned.operations.push({ kind: 'delete', table, guid, salesforceId, modstamp: change.modstamp, request });
      continue;
    }
    if (written && (written.modstamp > change.modstamp || (written.modstamp === change.modstamp && !written.deleted && !rewriteSameVersion))) continue;
    const body: Record<string, unknown> = {};
    const tooLong: string[] = [];
    let binds: Operation['binds'];
    for (const { index, column } of mapped) {
      const value = change.row[index] ?? null;
      if (column.type === 'Lookup' || column.type === 'Customer') {
        const bind = value === null ? null : `/${ENTITY_SETS[column.target!]}(${value})`;
        body[`${navigationOf(column)}@odata.bind`] = bind;
        if (bind) {
          binds ??= { values: {}, target: String(value) };
          binds.values[`${navigationOf(column)}@odata.bind`] = bind;
        }
        continue;
      }
      const limit = described.columns.get(column.name)?.maxLength;
      if (typeof value === 'string' && limit != null && value.length > limit) {
        tooLong.push(`${column.name} is ${value.length} characters long; the ${table} column ${column.name} in Dataverse holds at most ${limit} (its MaxLength)`);
      }
      body[column.name] = wireValue(column, value);
    }
    if (tooLong.length > 0) {
      planned.rejects.push({ salesforceId, reason: tooLong.join('; ') });
      continue;
    }
    body['ownerid@odata.bind'] = `/teams(${teamId})`;
    // A row deactivated by a soft delete and changed again in Salesforce (undeleted) is active again.
    if (written?.deleted && deleteMode === 'soft') Object.assign(body, { statecode: 0, statuscode: 1 });
    planned.operations.push({ kind: 'upsert', table, guid, salesforceId, modstamp: change.modstamp, request: { method: 'PATCH', path: `${set}(${guid})`, body }, binds });
  }
  return planned;
}
