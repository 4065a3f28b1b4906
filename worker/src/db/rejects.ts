/** Records that could not be converted (`sync_rejects`), with the reason: recorded with their page, cleared once they convert. */
import type { DestinationTable } from '../../../shared/mapping/destination';

export interface RejectRow {
  table_name: DestinationTable;
  salesforce_id: string;
  reason: string;
  rejected_at: string;
}

/** One statement for a page's rejects (a JSON array of `[salesforceId, reason]`), newest reason kept. */
export function saveRejectsStatement(db: D1Database, connectorId: string, table: DestinationTable, runId: string, rejects: { salesforceId: string; reason: string }[], at: string) {
  return db
    .prepare(
      `INSERT INTO sync_rejects (connector_id, table_name, salesforce_id, reason, run_id, rejected_at)
         SELECT ?1, ?2, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?3, ?4 FROM json_each(?5) WHERE true
       ON CONFLICT (connector_id, table_name, salesforce_id) DO UPDATE SET reason = excluded.reason, run_id = excluded.run_id, rejected_at = excluded.rejected_at`,
    )
    .bind(connectorId, table, runId, at, JSON.stringify(rejects.map((r) => [r.salesforceId, r.reason])));
}

/** Records that convert now are no longer rejects. */
export function clearRejectsStatement(db: D1Database, connectorId: string, table: DestinationTable, salesforceIds: string[]) {
  return db
    .prepare('DELETE FROM sync_rejects WHERE connector_id = ?1 AND table_name = ?2 AND salesforce_id IN (SELECT value FROM json_each(?3))')
    .bind(connectorId, table, JSON.stringify(salesforceIds));
}

export async function recentRejects(db: D1Database, connectorId: string, limit: number): Promise<RejectRow[]> {
  const { results } = await db
    .prepare('SELECT table_name, salesforce_id, reason, rejected_at FROM sync_rejects WHERE connector_id = ?1 ORDER BY rejected_at DESC LIMIT ?2')
    .bind(connectorId, limit)
    .all<RejectRow>();
  return results;
}

/** The Salesforce Ids of a table's rejected records, oldest first (the longest waiting are retried first). */
export async function rejectedIds(db: D1Database, connectorId: string, table: DestinationTable, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT salesforce_id FROM sync_rejects WHERE connector_id = ?1 AND table_name = ?2 ORDER BY rejected_at ASC LIMIT ?3')
    .bind(connectorId, table, limit)
    .all<{ salesforce_id: string }>();
  return results.map((r) => r.salesforce_id);
}
