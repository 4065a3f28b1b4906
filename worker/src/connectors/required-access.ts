/**
 * What a connection's permission set must let the integration user read: the Salesforce fields every connector
 * of the connection maps, per object. A connection with no connector yet gets what a new connector starts with
 * (the predefined Contact and Account mappings), so creating the first connector needs no permission change.
 */
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable, type SourceObject } from '../../../shared/mapping/destination';
import type { RequiredAccess } from '../salesforce/provisioning/permission-set-plan';

export function accessForMappings(mappings: { table: DestinationTable; mapping: Record<string, string> }[]): RequiredAccess {
  const access: Partial<Record<SourceObject, Set<string>>> = {};
  for (const { table, mapping } of mappings) {
    const fields = (access[TABLES[table].source] ??= new Set());
    for (const field of Object.values(mapping)) fields.add(field);
  }
  return Object.fromEntries(Object.entries(access).map(([object, fields]) => [object, [...fields].sort()])) as RequiredAccess;
}

export async function requiredAccessFor(_db: D1Database, _connectionId: string): Promise<RequiredAccess> {
  return accessForMappings((Object.keys(DEFAULT_MAPPINGS) as DestinationTable[]).map((table) => ({ table, mapping: DEFAULT_MAPPINGS[table] })));
}
