/**
 * The destination tables' columns as the environment defines them: type and, for text, the maximum length. Read
 * from `EntityDefinitions(LogicalName='…')/Attributes`; `MaxLength` is only on the typed casts
 * (`StringAttributeMetadata`, `MemoAttributeMetadata`), so those are asked for separately:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 * Cached per connection for a while: metadata changes rarely, and every connector check would otherwise read it.
 */
import { z } from 'zod';
import type { DataverseClient } from './client';

export type DestinationTable = 'contact' | 'account';

export interface DataverseColumn {
  logicalName: string;
  type: string;
  maxLength: number | null;
  validForCreate: boolean;
  validForUpdate: boolean;
}

export interface TableColumns {
  table: DestinationTable;
  columns: Map<string, DataverseColumn>;
}

const AttributesSchema = z.object({
  value: z.array(
    z.object({
      LogicalName: z.string(),
      AttributeType: z.string(),
      IsValidForCreate: z.boolean().nullish(),
      IsValidForUpdate: z.boolean().nullish(),
    }),
  ),
});
const LengthsSchema = z.object({ value: z.array(z.object({ LogicalName: z.string(), MaxLength: z.number().nullish() })) });

const CACHE_MS = 10 * 60_000;
const cache = new Map<string, { expiresAt: number; columns: Promise<TableColumns> }>();

/** The table's columns in the connection's environment (cached per connection and table). */
export function tableColumns(client: DataverseClient, connectionId: string, table: DestinationTable, now = Date.now()): Promise<TableColumns> {
  const key = `${connectionId}:${table}`;
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return cached.columns;
  const columns = readColumns(client, table);
  cache.set(key, { expiresAt: now + CACHE_MS, columns });
  columns.catch(() => cache.delete(key));
  return columns;
}

export function forgetColumns(connectionId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${connectionId}:`)) cache.delete(key);
}

async function readColumns(client: DataverseClient, table: DestinationTable): Promise<TableColumns> {
  const base = `EntityDefinitions(LogicalName='${table}')/Attributes`;
  const [attributes, strings, memos] = await Promise.all([
    client.request('GET', `${base}?$select=LogicalName,AttributeType,IsValidForCreate,IsValidForUpdate`, { schema: AttributesSchema }),
    client.request('GET', `${base}/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength`, { schema: LengthsSchema }),
    client.request('GET', `${base}/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=LogicalName,MaxLength`, { schema: LengthsSchema }),
  ]);
  const lengths = new Map([...strings.value, ...memos.value].map((a) => [a.LogicalName, a.MaxLength ?? null]));
  const columns = new Map<string, DataverseColumn>();
  for (const a of attributes.value) {
    columns.set(a.LogicalName, {
      logicalName: a.LogicalName,
      type: a.AttributeType,
      maxLength: lengths.get(a.LogicalName) ?? null,
      validForCreate: a.IsValidForCreate ?? false,
      validForUpdate: a.IsValidForUpdate ?? false,
    });
  }
  return { table, columns };
}

/** The mapped destination columns the environment does not have (or that cannot be written). */
export function columnsNotWritable(described: TableColumns, mapped: string[]): string[] {
  return mapped.filter((name) => {
    const column = described.columns.get(name);
    return !column || !(column.validForCreate || column.validForUpdate);
  });
}
