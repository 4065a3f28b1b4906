/**
 * `dataverse_rows`: the version of each row the Dataverse destination has written to an environment (see the
 * migration 0008). Read before a page is sent, to skip what is already there or newer; written with the page's cursor.
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

/**
 * A row Dataverse acknowledged: `[guid, modstamp, deletedAt, pendingTarget, pendingBinds, salesforceId]` (pending: the
 * lookups of a row written without them because their target was missing; salesforceId '' for a delete, which keeps
 * the Id the row has).
 */
export type WrittenRow = [guid: string, modstamp: string, deletedAt: string | null, pendingTarget: string | null, pendingBinds: string | null, salesforceId: string];

/**
 * One statement recording what Dataverse acknowledged for a connector, never going back in version. A row written
 * again with its lookups (pendingTarget null) drops what was pending for it.
 */
export function saveWrittenVersionsStatement(db: D1Database, dataverseConnectionId: string, table: DestinationTable, connectorId: string, rows: WrittenRow[]) {
  return db
    .prepare(
      `INSERT INTO dataverse_rows (dataverse_connection_id, table_name, guid, modstamp, deleted_at, pending_target, pending_binds, salesforce_id, connector_id)
         SELECT ?1, ?2, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', nullif(value ->> '$[5]', ''), ?4
         FROM json_each(?3) WHERE true
       ON CONFLICT (dataverse_connection_id, table_name, guid) DO UPDATE SET modstamp = excluded.modstamp, deleted_at = excluded.deleted_at,
         pending_target = excluded.pending_target, pending_binds = excluded.pending_binds,
         salesforce_id = coalesce(excluded.salesforce_id, dataverse_rows.salesforce_id), connector_id = excluded.connector_id
         WHERE excluded.modstamp >= dataverse_rows.modstamp`,
    )
    .bind(dataverseConnectionId, table, JSON.stringify(rows), connectorId);
}

/** A connector's rows of an environment's table after the Salesforce Id `after`, in Salesforce Id order, at most `size`. */
export async function ledgerRowsAfter(db: D1Database, dataverseConnectionId: string, connectorId: string, table: DestinationTable, after: string, size: number) {
  const { results } = await db
    .prepare(
      `SELECT salesforce_id, guid, modstamp, deleted_at FROM dataverse_rows
        WHERE dataverse_connection_id = ?1 AND connector_id = ?2 AND table_name = ?3 AND salesforce_id > ?4 ORDER BY salesforce_id LIMIT ?5`,
    )
    .bind(dataverseConnectionId, connectorId, table, after, size)
    .all<{ salesforce_id: string; guid: string; modstamp: string; deleted_at: string | null }>();
  return results;
}

/** Which of these GUIDs are a connector's live rows in the environment (written by it, not deleted or deactivated). */
export async function liveLedgerGuids(db: D1Database, dataverseConnectionId: string, connectorId: string, table: DestinationTable, guids: string[]): Promise<Set<string>> {
  if (guids.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT guid FROM dataverse_rows WHERE dataverse_connection_id = ?1 AND table_name = ?2 AND connector_id = ?3 AND deleted_at IS NULL
         AND guid IN (SELECT value FROM json_each(?4))`,
    )
    .bind(dataverseConnectionId, table, connectorId, JSON.stringify(guids))
    .all<{ guid: string }>();
  return new Set(results.map((r) => r.guid));
}

/** A connector's live rows of an environment's table (not deleted or deactivated). */
export async function connectorLedgerCount(db: D1Database, dataverseConnectionId: string, connectorId: string, table: DestinationTable): Promise<number> {
  const row = await db
    .prepare('SELECT COUNT(*) AS n FROM dataverse_rows WHERE dataverse_connection_id = ?1 AND connector_id = ?2 AND table_name = ?3 AND deleted_at IS NULL')
    .bind(dataverseConnectionId, connectorId, table)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export interface PendingLink {
  table: DestinationTable;
  guid: string;
  /** `{ "<navigation>@odata.bind": "/accounts(<id>)" }` */
  binds: Record<string, string>;
}

/** Rows waiting for a lookup whose target Dataverse now has (written and not deleted), oldest first. */
export async function pendingLinksReady(db: D1Database, dataverseConnectionId: string, limit: number): Promise<PendingLink[]> {
  const { results } = await db
    .prepare(
      `SELECT p.table_name, p.guid, p.pending_binds FROM dataverse_rows p
         JOIN dataverse_rows t ON t.dataverse_connection_id = p.dataverse_connection_id AND t.table_name = 'account' AND t.guid = p.pending_target AND t.deleted_at IS NULL
       WHERE p.dataverse_connection_id = ?1 AND p.pending_target IS NOT NULL AND p.deleted_at IS NULL LIMIT ?2`,
    )
    .bind(dataverseConnectionId, limit)
    .all<{ table_name: DestinationTable; guid: string; pending_binds: string }>();
  return results.map((r) => ({ table: r.table_name, guid: r.guid, binds: JSON.parse(r.pending_binds) as Record<string, string> }));
}

/** The lookups of these rows are in Dataverse now. */
export function clearPendingLinksStatement(db: D1Database, dataverseConnectionId: string, rows: { table: DestinationTable; guid: string }[]) {
  return db
    .prepare(
      `UPDATE dataverse_rows SET pending_target = NULL, pending_binds = NULL
         WHERE dataverse_connection_id = ?1 AND (table_name, guid) IN (SELECT value ->> '$[0]', value ->> '$[1]' FROM json_each(?2))`,
    )
    .bind(dataverseConnectionId, JSON.stringify(rows.map((r) => [r.table, r.guid])));
}

/**
 * Rows Forcebridge has written to an environment's table and not deleted or deactivated since: what a Dataverse
 * connector's card shows as its rows (kept per environment, so connectors writing one environment share the figure).
 */
export async function dataverseRowCount(db: D1Database, dataverseConnectionId: string, table: DestinationTable): Promise<number> {
  const row = await db
    .prepare('SELECT COUNT(*) AS n FROM dataverse_rows WHERE dataverse_connection_id = ?1 AND table_name = ?2 AND deleted_at IS NULL')
    .bind(dataverseConnectionId, table)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
