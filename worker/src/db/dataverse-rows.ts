/**
 * `dataverse_rows`: the version of each row the Dataverse destination has written to an environment (see the
 * migration 0009). Read before a page is sent, to skip what is already there or newer; written with the page's cursor.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';

export interface WrittenVersion {
  modstamp: string;
  deleted: boolean;
}

/** The versions Dataverse acknowledged for these GUIDs (absent: never written by Forcebridge). */
export async function writtenVersions(db: D1Database, dataverseConnectionId: string, table: DestinationTable, guids: string[]): Promise<Map<string, WrittenVersion>> {
  const versions = new Map<string, WrittenVersion>();
  if (guids.length === 0) return versions;
  const { results } = await db
    .prepare('SELECT guid, modstamp, deleted_at FROM dataverse_rows WHERE dataverse_connection_id = ?1 AND table_name = ?2 AND guid IN (SELECT value FROM json_each(?3))')
    .bind(dataverseConnectionId, table, JSON.stringify(guids))
    .all<{ guid: string; modstamp: string; deleted_at: string | null }>();
  for (const r of results) versions.set(r.guid, { modstamp: r.modstamp, deleted: r.deleted_at !== null });
  return versions;
}

/** One statement recording what Dataverse acknowledged: `[guid, modstamp, deletedAt | null]` per row, never going back in version. */
export function saveWrittenVersionsStatement(db: D1Database, dataverseConnectionId: string, table: DestinationTable, rows: [string, string, string | null][]) {
  return db
    .prepare(
      `INSERT INTO dataverse_rows (dataverse_connection_id, table_name, guid, modstamp, deleted_at)
         SELECT ?1, ?2, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?3) WHERE true
       ON CONFLICT (dataverse_connection_id, table_name, guid) DO UPDATE SET modstamp = excluded.modstamp, deleted_at = excluded.deleted_at
         WHERE excluded.modstamp >= dataverse_rows.modstamp`,
    )
    .bind(dataverseConnectionId, table, JSON.stringify(rows));
}
