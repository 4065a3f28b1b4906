/**
 * What a connection's permission set must let the integration user read: the Salesforce fields every connector of
 * the connection maps or filters on, per object (tables removed from a connector, and filters removed, no longer
 * count — the next Update permissions revokes what they alone needed). A connection with no
 * connector yet gets what a new connector starts with — the predefined Contact and Account mappings — so the first
 * connector needs no permission change.
 */
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable, type RequiredAccess, type SourceObject } from '../../../shared/mapping/destination';
import { enabledMappingsOfConnection } from '../db/connectors';
import { parseMapping } from '../db/stored-json';
import { cachedDescribe } from './describe-cache';
import { storedFilterFields } from './row-filter';

export type { RequiredAccess };

export function accessForMappings(mappings: { table: DestinationTable; mapping: Record<string, string> }[]): RequiredAccess {
  const access: Partial<Record<SourceObject, Set<string>>> = {};
  for (const { table, mapping } of mappings) {
    const fields = (access[TABLES[table].source] ??= new Set());
    for (const field of Object.values(mapping)) fields.add(field);
  }
  return Object.fromEntries(Object.entries(access).map(([object, fields]) => [object, [...fields].sort()])) as RequiredAccess;
}

const DEFAULT_ACCESS = accessForMappings((Object.keys(DEFAULT_MAPPINGS) as DestinationTable[]).map((table) => ({ table, mapping: DEFAULT_MAPPINGS[table] })));

export async function requiredAccessFor(db: D1Database, connectionId: string): Promise<RequiredAccess> {
  const results = await enabledMappingsOfConnection(db, connectionId);
  if (results.length === 0) return DEFAULT_ACCESS;
  const access = accessForMappings(results.map((row) => ({ table: row.table_name, mapping: parseMapping(row.mapping) })));
  // A filter's fields as the describe spells them (the readiness and verify checks compare names exactly).
  for (const row of results.filter((r) => r.filter)) {
    const object = TABLES[row.table_name].source;
    const fields = storedFilterFields(row.table_name, row.filter!, (await cachedDescribe(db, connectionId, object)) ?? null);
    access[object] = [...new Set([...(access[object] ?? []), ...fields])].sort();
  }
  return access;
}
