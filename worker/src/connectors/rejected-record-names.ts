/**
 * The names of rejected records, so the panel can say "Ana Díaz" and not only 003…: read from Salesforce as the
 * integration user (Name on Contact and Account needs no field permission: real orgs' describes say
 * `permissionable: false`), one query per table with rejects. A rejected record may never have reached the
 * destination, so the names cannot come from there. When Salesforce cannot answer, the rejects are still listed,
 * without names.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import type { RejectRow } from '../db/rejects';
import { asSalesforceError } from '../salesforce/errors';
import { readRecordsById } from '../salesforce/records-by-id';
import { openApiSession } from '../salesforce/rest';

const LOOKUP_MS = 10_000;

export async function rejectedRecordNames(env: Env, connection: ConnectionRow, rejects: RejectRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const byTable = new Map<DestinationTable, string[]>();
  for (const r of rejects) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.salesforce_id]);
  if (byTable.size === 0) return names;
  try {
    const api = await openApiSession(env, connection, Date.now() + LOOKUP_MS);
    for (const [table, ids] of byTable) {
      for (const record of await readRecordsById(api, table, ['Id', 'Name'], ids)) {
        if (typeof record.Id === 'string' && typeof record.Name === 'string') names.set(record.Id, record.Name);
      }
    }
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (!asSalesforceError(error) && !timedOut) throw error;
    console.warn(`rejects: names not read from Salesforce (${String(error)})`);
  }
  return names;
}
