/**
 * Turns one page of Salesforce records into what a destination writes (destinations/destination.ts): a row per
 * record keyed by the deterministic GUID, with the mapped values converted per the type table and the bookkeeping
 * columns; deletes for records Salesforce marks `IsDeleted`; and rejects, with the reason, for records that cannot be
 * converted. Pure: no I/O, so the cost per record is the conversion alone.
 */
import { TABLES, type DestinationColumn } from '../../../shared/mapping/destination';
import { recordGuid } from './record-guid';
import { salesforceDateTime } from '../../../shared/salesforce-datetime';
import type { SourceField } from '../../../shared/mapping/type-rules';
import type { ConvertedPage, StoredValue, TableTarget } from '../destinations/destination';
import { convertValue } from './convert';

export interface ConvertContext {
  target: TableTarget;
  /** destination column → Salesforce field */
  mapping: Record<string, string>;
  /** the describe's fields by name, for value types */
  fields: Map<string, SourceField>;
  /** the owner every row gets (the connector's team) */
  teamId: string;
}

/** Columns every row carries after the mapped ones. */
const BOOKKEEPING_COLUMNS = ['ownerid', 'forcebridge_connector_id', 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_deleted_at', 'forcebridge_synced_at'];

const isTrue = (value: unknown) => value === true || value === 'true';

/** A converter for one table, its mapping worked out once: call it with each page. */
export function pageConverter(ctx: ConvertContext): (records: Record<string, unknown>[], syncedAt: string) => ConvertedPage {
  const definition = TABLES[ctx.target.table];
  const key = definition.columns.find((c) => c.primaryKey)!.name;
  const mapped = Object.entries(ctx.mapping)
    .filter(([column]) => column !== key)
    .map(([column, field]) => ({ column: definition.columns.find((c) => c.name === column)! as DestinationColumn, field: ctx.fields.get(field) ?? { name: field, type: 'string' } }));
  const columns = [...mapped.map((m) => m.column.name), ...BOOKKEEPING_COLUMNS];

  return function convertPage(records, syncedAt) {
    const page: ConvertedPage = { target: ctx.target, key, columns, rows: [], deletes: [], rejects: [], accepted: [], records: records.length, maxModstamp: null };
    for (const record of records) {
      const id = typeof record.Id === 'string' ? record.Id : '';
      const modstamp = salesforceDateTime(String(record.SystemModstamp ?? ''));
      if (!id || !modstamp) {
        page.rejects.push({ salesforceId: id || '(no Id)', reason: 'Salesforce sent the record without an Id or SystemModstamp' });
        continue;
      }
      if (page.maxModstamp === null || modstamp > page.maxModstamp) page.maxModstamp = modstamp;
      let guid: string;
      try {
        guid = recordGuid(id);
      } catch {
        page.rejects.push({ salesforceId: id, reason: `"${id}" is not a Salesforce Id` });
        continue;
      }
      if (isTrue(record.IsDeleted)) {
        page.deletes.push({ guid, modstamp });
        page.accepted.push(id);
        continue;
      }
      const row: StoredValue[] = [guid];
      let problems: string[] | undefined;
      for (const { column, field } of mapped) {
        const converted = convertValue(column, field, record[field.name]);
        if (converted.ok) row.push(converted.value);
        else (problems ??= []).push(converted.reason);
      }
      if (problems) {
        page.rejects.push({ salesforceId: id, reason: problems.join('; ') });
        continue;
      }
      row.push(ctx.teamId, ctx.target.connectorId, id, modstamp, null, syncedAt);
      page.rows.push(row);
      page.accepted.push(id);
    }
    return page;
  };
}
