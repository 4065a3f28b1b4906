/**
 * Whether a connection's permission set lets the integration user read what a set of mappings reads: the objects,
 * and each mapped field — or field a row filter reads — that takes a field permission. Used for a stored connector's view and for the dry runs of
 * create and edit, so the wizard shows the Worker's answer instead of working it out itself.
 */
import type { ConnectorPermissions } from '../../../shared/api';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import { parseGrantedAccess } from '../db/stored-json';
import { cachedDescribe } from './describe-cache';
import { storedFilterFields } from './row-filter';

export async function permissionCoverage(db: D1Database, tables: { table: DestinationTable; mapping: Record<string, string>; filter?: string | null }[], connection: ConnectionRow | null): Promise<ConnectorPermissions> {
  const plan = parseGrantedAccess(connection?.granted_access ?? null);
  if (!connection || connection.status !== 'connected' || !plan) return { covered: false, missing: ['the connection is not connected'] };
  const granted = new Set(plan.fields);
  const grantedObjects = new Set(plan.objects.map((o) => o.sobject));
  const missing: string[] = [];
  for (const { table, mapping, filter } of tables) {
    const object = TABLES[table].source;
    if (!grantedObjects.has(object)) missing.push(object);
    const fields = (await cachedDescribe(db, connection.id, object)) ?? [];
    const describe = new Map(fields.map((f) => [f.name, f]));
    for (const field of new Set([...Object.values(mapping), ...(filter ? storedFilterFields(table, filter, fields) : [])])) {
      if (describe.get(field)?.permissionable && !granted.has(`${object}.${field}`)) missing.push(`${object}.${field}`);
    }
  }
  return { covered: missing.length === 0, missing };
}
