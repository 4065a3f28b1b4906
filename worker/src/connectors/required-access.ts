/**
 * What a connection's permission set must let the integration user read: the Salesforce fields every connector of
 * the connection maps, per object (tables removed from a connector no longer count). A connection with no
 * connector yet gets what a new connector starts with — the predefined Contact and Account mappings — so the first
 * connector needs no permission change.
 */
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable, type RequiredAccess, type SourceObject } from '../../../shared/mapping/destination';
import { enabledMappingsOfConnection } from '../db/connectors';
import { parseMapping } from '../db/stored-json';

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
  return accessForMappings(results.map((row) => ({ table: row.table_name, mapping: parseMapping(row.mapping) })));
}
