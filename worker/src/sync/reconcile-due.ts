/**
 * Which of a connector's tables reconcile in this invocation: those with a reconciliation under way, asked for (the
 * delete log could not cover a pass, or "Reconcile now"), or due on the connector's schedule — and only once the
 * table syncs incrementally with no pass under way, so the pass and the reconciliation never work on the same rows at
 * once. A table seen synced incrementally for the first time starts its schedule's clock (its first load read every
 * record). Each reconciliation that runs gets its own run (`mode` = `reconcile`) with its counts.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectorRow } from '../db/connectors';
import { connectorTables } from '../db/connectors';
import { cursorsOf } from '../db/cursors';
import { reconciliationsOf, startReconcileClockStatement } from '../db/reconciliations';
import { finishRunStatement, startRunStatement } from '../db/sync-runs';
import { passUnderWay } from './cursor';
import type { Invocation, TableOutcome, TableRun } from './invocation';
import { type ReconcileRun, reconcile, reconcileReason } from './reconcile';
import { budgetLeft } from './budget';

/** Tables whose reconciliation may run now (`passes`: this invocation's table runs, whose outcome must be clean). */
export async function dueReconciliations(db: D1Database, connector: ConnectorRow, at: Date, passes: TableRun[] = []): Promise<ReconcileRun[]> {
  const [tables, cursors, states] = await Promise.all([connectorTables(db, connector.id), cursorsOf(db, connector.id), reconciliationsOf(db, connector.id)]);
  const clocks: D1PreparedStatement[] = [];
  const due: ReconcileRun[] = [];
  for (const { table_name: table, enabled } of tables) {
    const pass = passes.find((t) => t.table === table);
    const cursor = pass?.cursor ?? cursors.find((c) => c.table_name === table);
    if (!enabled || !cursor || cursor.phase !== 'incremental' || passUnderWay(cursor)) continue;
    if (pass && pass.outcome.status !== 'running' && pass.outcome.status !== 'succeeded') continue;
    const state = states.find((s) => s.table_name === table);
    if (!state) clocks.push(startReconcileClockStatement(db, connector.id, table, at.toISOString()));
    const reason = reconcileReason(state, connector.reconcile_every_days, at);
    if (!state || !reason) continue;
    due.push({ state: { ...state, reason }, runId: crypto.randomUUID(), outcome: emptyOutcome(table), finished: false });
  }
  if (clocks.length > 0) await db.batch(clocks);
  return due;
}

const emptyOutcome = (table: DestinationTable): TableOutcome => ({ table, status: 'running', read: 0, upserted: 0, deleted: 0, rejected: 0, apiCalls: 0, errorCode: null, errorMessage: null });

/** Runs the due reconciliations one after the other within the invocation's limits, each recorded as its own run. */
export async function runReconciliations(inv: Invocation, due: ReconcileRun[]): Promise<TableOutcome[]> {
  const db = inv.env.DB;
  const ran: ReconcileRun[] = [];
  for (const r of due) {
    if (Date.now() >= inv.deadline || inv.api.apiCalls >= inv.limits.maxApiCalls || !budgetLeft(inv)) break;
    const started = Date.now();
    await startRunStatement(db, { id: r.runId, connector_id: inv.connector.id, table_name: r.state.table_name, mode: 'reconcile', started_at: inv.at.toISOString() }).run();
    ran.push(r);
    await reconcile(inv, r);
    const o = r.outcome;
    if (o.status === 'running') o.status = r.finished ? 'succeeded' : 'partial';
    const finishedAt = new Date();
    await finishRunStatement(db, {
      id: r.runId,
      status: o.status,
      finished_at: finishedAt.toISOString(),
      records_read: o.read,
      records_upserted: 0,
      records_deleted: o.deleted,
      records_rejected: 0,
      api_calls: o.apiCalls,
      duration_ms: finishedAt.getTime() - started,
      error_code: o.errorCode,
      error_message: o.errorMessage,
    }).run();
  }
  return ran.map((r) => r.outcome);
}
