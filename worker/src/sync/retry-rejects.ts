/**
 * Retry rejected records on request (after the admin fixed the values in Salesforce or changed the mapping): under
 * the connector's lease, each table's rejected records are read again by Id through `queryAll` as the integration
 * user, converted with the table's current mapping, and committed like any page — those that convert now are written
 * and leave the rejects, the rest stay with today's reason. Each table's retry is a run in the history, with its
 * counts. The cursors do not move: the next scheduled pass carries on where it was.
 */
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { salesforceCode } from '../../../shared/run-outcomes';
import { nowIso } from '../clock';
import type { ConnectionRow } from '../db/connections';
import { type ConnectorRow, connectorTables } from '../db/connectors';
import { releaseLease, takeLease } from '../db/leases';
import { rejectedIds } from '../db/rejects';
import { parseMapping } from '../db/stored-json';
import { finishRunStatement, startRunStatement } from '../db/sync-runs';
import { describeFields } from '../connectors/describe-cache';
import type { Destination } from '../destinations/destination';
import { destinationFor } from '../destinations/for-connector';
import { DataverseError } from '../dataverse/errors';
import { type ConnectionFacts, explainDataverseError } from '../dataverse/explain';
import { AppError } from '../errors';
import { asSalesforceError } from '../salesforce/errors';
import { SALESFORCE_ID, readRecordsById } from '../salesforce/records-by-id';
import { type ApiSession, openApiSession } from '../salesforce/rest';
import { pageConverter } from './convert-page';
import { passFields } from './plan';

/** Records retried per table and request: one `queryAll` page (an Id list this long stays far below SOQL's limits). */
export const RETRY_BATCH = 200;
const RETRY_MS = 20_000;

export interface RetryOutcome {
  table: DestinationTable;
  retried: number;
  written: number;
  stillRejected: number;
  /** rejected Ids Salesforce no longer has (purged) or the integration user cannot see */
  notFound: number;
}

export async function retryRejects(env: Env, connector: ConnectorRow, connection: ConnectionRow, only?: DestinationTable): Promise<RetryOutcome[]> {
  const deadline = Date.now() + RETRY_MS;
  if (!(await takeLease(env.DB, 'connectors', connector.id, new Date(deadline + 60_000)))) {
    throw new AppError('connector_busy', 409, 'A sync of this connector is running right now. Try again in a minute, when it has finished.');
  }
  try {
    const api = await openApiSession(env, connection, deadline);
    // The connector's own destination: D1, or the Dataverse environment its pages go to (with its facts, to word a refusal).
    const { destination, facts } = await destinationFor(env, connector, deadline, {}).catch((error: unknown) => {
      throw explainDataverseError(error, null);
    });
    const outcomes: RetryOutcome[] = [];
    for (const t of await connectorTables(env.DB, connector.id)) {
      if (!t.enabled || (only && t.table_name !== only)) continue;
      const ids = (await rejectedIds(env.DB, connector.id, t.table_name, RETRY_BATCH)).filter((id) => SALESFORCE_ID.test(id));
      if (ids.length === 0) continue;
      outcomes.push(await retryTable(env, { connector, connection, api, destination, facts, table: t.table_name, mapping: parseMapping(t.mapping), ids }));
    }
    return outcomes;
  } finally {
    await releaseLease(env.DB, 'connectors', connector.id);
  }
}

async function retryTable(
  env: Env,
  r: { connector: ConnectorRow; connection: ConnectionRow; api: ApiSession; destination: Destination; facts: ConnectionFacts | null; table: DestinationTable; mapping: Record<string, string>; ids: string[] },
): Promise<RetryOutcome> {
  const runId = crypto.randomUUID();
  const started = nowIso();
  const callsBefore = r.api.apiCalls;
  await startRunStatement(env.DB, { id: runId, connector_id: r.connector.id, table_name: r.table, mode: 'incremental', started_at: started }).run();
  const finish = (status: 'succeeded' | 'failed', counts: { read: number; upserted: number; deleted: number; rejected: number }, error: { code: string; message: string } | null = null) =>
    finishRunStatement(env.DB, {
      id: runId,
      status,
      finished_at: nowIso(),
      records_read: counts.read,
      records_upserted: counts.upserted,
      records_deleted: counts.deleted,
      records_rejected: counts.rejected,
      api_calls: r.api.apiCalls - callsBefore,
      duration_ms: Date.now() - Date.parse(started),
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
    }).run();
  try {
    const fields = await describeFields(env.DB, r.connection.id, TABLES[r.table].source, async () => {
      r.api.apiCalls++;
      return r.api.conn;
    });
    const records = await readRecordsById(r.api, r.table, passFields(r.mapping), r.ids);
    const target = { tenantId: r.connector.tenant_id, connectorId: r.connector.id, table: r.table, deleteMode: r.connector.delete_mode, rewriteSameVersion: true };
    const at = nowIso();
    const page = pageConverter({ target, mapping: r.mapping, fields: new Map(fields.map((f) => [f.name, f])), teamId: r.connector.team_id })(records, at);
    const written = await r.destination.commitPage(page, { cursor: null, runId, passEndedAt: null, at });
    // A destination may refuse records of its own (Dataverse answers per record): those stay rejected too.
    const stillRejected = page.rejects.length + (written.rejected ?? 0);
    await finish('succeeded', { read: records.length, upserted: written.upserted, deleted: written.deleted, rejected: stillRejected });
    return { table: r.table, retried: r.ids.length, written: written.upserted + written.deleted, stillRejected, notFound: r.ids.length - records.length };
  } catch (error) {
    if (error instanceof DataverseError) {
      const message = `Dataverse refused the retried records (${error.code}): ${error.message}`;
      await finish('failed', { read: 0, upserted: 0, deleted: 0, rejected: 0 }, { code: error.code, message });
      const explained = explainDataverseError(error, r.facts) as AppError;
      throw new AppError(explained.code, explained.status, `${explained.message} The records are still listed as rejected.`, { cause: error });
    }
    const sf = asSalesforceError(error);
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (!sf && !timedOut) throw error; // a bug: the run stays 'running' and the next sync closes it as interrupted
    const message = sf ? `Salesforce refused reading the rejected records again (${sf.errorCode}: ${sf.message}).` : 'Salesforce did not answer in time.';
    await finish('failed', { read: 0, upserted: 0, deleted: 0, rejected: 0 }, { code: sf ? salesforceCode(sf.errorCode) : 'salesforce_timeout', message });
    throw new AppError(sf ? 'salesforce_error' : 'salesforce_unavailable', 502, `${message} The records are still listed as rejected; verify the connection in the Connectors panel, then retry.`, { cause: error });
  }
}
