/**
 * The sync of one connector, one invocation: under the connector's lease, each enabled table runs a pass — every
 * record changed since its watermark (all of them on a first load), through `queryAll` so deletes arrive too — page
 * by page, each page committed with the table's cursor (destinations/destination.ts). Small loads page through
 * Composite (rest-pass.ts); a first load whose first page says it is large goes on through Bulk API 2.0
 * (bulk-pass.ts). Work is bounded (API calls, records, time) and what is left resumes on the next tick; the org's
 * API budget is respected (budget.ts). Every table's run is recorded with a status that says what really happened.
 */
import { salesforceCode } from '../../../shared/run-outcomes';
import { findConnectionById } from '../db/connections';
import { type ConnectorRow, connectorById, connectorTables, updateConnectorStatement } from '../db/connectors';
import { cursorsOf } from '../db/cursors';
import { reconciliationsOf } from '../db/reconciliations';
import { releaseLease, takeLease } from '../db/leases';
import { closeInterruptedRuns, dropRunStatement, finishRunStatement, startRunStatement } from '../db/sync-runs';
import { DataverseError } from '../dataverse/errors';
import { destinationFor } from '../destinations/for-connector';
import { parseMapping } from '../db/stored-json';
import { type ConnectionRow } from '../db/connections';
import { DeadlineReached, asSalesforceError } from '../salesforce/errors';
import { openApiSession } from '../salesforce/rest';
import { freshCursor, passUnderWay } from './cursor';
import { type Invocation, type SyncOptions, type SyncOutcome, type TableOutcome, type TableRun, DEFAULT_LIMITS, fail } from './invocation';
import { dueReconciliations, runReconciliations } from './reconcile-due';
import { runTables } from './run-tables';
import { refreshFormulas } from './formula-refresh';

export * from './invocation';

/** Cloudflare Queues delays a message at most 12 hours (https://developers.cloudflare.com/queues/configuration/batching-retries/). */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

const notRun = (connectorId: string): SyncOutcome => ({ connectorId, ran: false, more: false, backoffSeconds: null, tables: [] });

export async function syncConnector(env: Env, connectorId: string, options: SyncOptions = {}): Promise<SyncOutcome> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const started = Date.now();
  const deadline = started + limits.maxMs;
  const connector = await connectorById(env.DB, connectorId);
  if (!connector || !connector.active) return notRun(connectorId);
  if (!(await takeLease(env.DB, 'connectors', connectorId, new Date(deadline + 60_000)))) return notRun(connectorId);

  try {
    const at = options.now ?? new Date();
    await closeInterruptedRuns(env.DB, connectorId, at.toISOString());
    const tables = (await tableRuns(env, connector, at)).filter((t) => !options.continuing || passUnderWay(t.cursor));
    if (tables.length === 0 && (await dueReconciliations(env.DB, connector, at)).length === 0) return notRun(connectorId);
    const connection = await findConnectionById(env.DB, connector.connection_id);
    if (tables.length > 0) await env.DB.batch(tables.map((t) => startRunStatement(env.DB, { id: t.runId, connector_id: connectorId, table_name: t.table, mode: t.cursor.phase, started_at: at.toISOString() })));

    let reconciliations: TableOutcome[] = [];
    if (!connection || connection.status !== 'connected') {
      for (const t of tables) fail(t, 'connection_not_connected', `The Salesforce connection is ${connection?.status ?? 'gone'}. Turn access on again in the Connectors panel; the sync resumes by itself.`);
    } else {
      // The invocation's clock: `at`, moving on with real time (a soak moves `at` with the org's clock).
      const clock = () => new Date(at.getTime() + Date.now() - started);
      const inv = await begin(env, connector, connection, tables, clock, { limits, deadline, at, hooks: options.hooks });
      if (inv && tables.length > 0) await runTables(inv, clock);
      if (inv) await refreshFormulas(inv);
      // Id reconciliations run once the passes are done (reconcile-due.ts), each recorded as its own run.
      if (inv) reconciliations = await runReconciliations(inv, await dueReconciliations(env.DB, connector, at, tables));
    }

    const more = tables.some((t) => t.outcome.status === 'partial') || reconciliations.some((r) => r.status === 'partial');
    // Paused by the allowance: no immediate re-send (that was a hot loop of refused or skipped runs). The queue sends
    // the connector back after one interval, when it is due again; the cron claims it then if the message is lost.
    const backoffSeconds = !more && tables.some((t) => t.outcome.status === 'rate_limited') ? Math.min(connector.interval_minutes * 60, MAX_QUEUE_DELAY_SECONDS) : null;
    const finishedAt = new Date();
    await env.DB.batch([
      ...tables.map(({ runId, outcome: o }) =>
        noTurn(o)
          ? dropRunStatement(env.DB, runId)
          : finishRunStatement(env.DB, {
              id: runId,
              status: o.status === 'running' ? 'succeeded' : o.status,
              finished_at: finishedAt.toISOString(),
              records_read: o.read,
              records_upserted: o.upserted,
              records_deleted: o.deleted,
              records_rejected: o.rejected,
              api_calls: o.apiCalls,
              duration_ms: finishedAt.getTime() - started,
              error_code: o.errorCode,
              error_message: o.errorMessage,
            }),
      ),
      // Partial work is due again on the next tick; otherwise after the connector's interval (or its back-off).
      updateConnectorStatement(env.DB, connectorId, {
        next_run_at: more ? at.toISOString() : new Date(at.getTime() + (backoffSeconds ?? connector.interval_minutes * 60) * 1000).toISOString(),
      }),
    ]);
    for (const t of tables) if (t.outcome.status === 'running') t.outcome.status = 'succeeded';
    return { connectorId, ran: true, more, backoffSeconds, tables: tables.map((t) => t.outcome), reconciliations };
  } finally {
    await releaseLease(env.DB, 'connectors', connectorId);
  }
}

async function tableRuns(env: Env, connector: ConnectorRow, at: Date): Promise<TableRun[]> {
  const cursors = new Map((await cursorsOf(env.DB, connector.id)).map((c) => [c.table_name, c]));
  const deletes = new Map((await reconciliationsOf(env.DB, connector.id)).map((r) => [r.table_name, r.deletes_covered_to]));
  return (await connectorTables(env.DB, connector.id))
    .filter((t) => t.enabled)
    // Accounts before contacts, so a contact's account is written (a Dataverse lookup needs its target) first.
    .sort((a, b) => (a.table_name === b.table_name ? 0 : a.table_name === 'account' ? -1 : 1))
    .map((t) => ({
      table: t.table_name,
      mapping: parseMapping(t.mapping),
      filter: t.filter,
      runId: crypto.randomUUID(),
      cursor: cursors.get(t.table_name) ?? freshCursor(connector.id, t.table_name, at),
      outcome: { table: t.table_name, status: 'running', read: 0, upserted: 0, deleted: 0, rejected: 0, apiCalls: 0, errorCode: null, errorMessage: null },
      finished: false,
      deletesCoveredTo: deletes.get(t.table_name) ?? null,
    }));
}

/** Signs in as the integration user; a failure fails every table with the reason and answers nothing. */
async function begin(
  env: Env,
  connector: ConnectorRow,
  connection: ConnectionRow,
  tables: TableRun[],
  clock: () => Date,
  rest: Pick<Invocation, 'limits' | 'deadline' | 'at' | 'hooks'>,
): Promise<Invocation | undefined> {
  try {
    const api = await openApiSession(env, connection, rest.deadline, clock);
    const { destination } = await destinationFor(env, connector, rest.deadline, { failMidCommit: (table) => rest.hooks?.at?.('mid_batch', table) });
    return { env, connector, connection, tables, api, destination, ...rest };
  } catch (error) {
    if (error instanceof DataverseError) {
      for (const t of tables) fail(t, error.code === 'dataverse_connection_not_connected' ? 'dataverse_connection_not_connected' : 'dataverse_failed', error.message);
      return undefined;
    }
    const sf = asSalesforceError(error);
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const why = sf ? `${sf.errorCode}: ${sf.message}` : timedOut || error instanceof DeadlineReached ? 'Salesforce did not answer in time' : String(error);
    for (const t of tables) {
      fail(t, sf ? salesforceCode(sf.errorCode) : 'salesforce_sign_in_failed', `Signing in as the integration user failed (${why}). Verify the connection in the Connectors panel; the next run tries again.`);
    }
    return undefined;
  }
}

/** A table the invocation's limit reached before it got a turn: nothing read, no call made. */
const noTurn = (o: TableOutcome) => o.status === 'partial' && o.read === 0 && o.apiCalls === 0;
