/**
 * Formula fields kept fresh. A formula's value is computed when it is read, so it changes when a record it reads
 * changes (an account renamed changes its contacts' `Account.Name` formula) while the record's own SystemModstamp
 * stays where it was — the incremental pass never sees it. Every `formula_refresh_hours` (per connector, daily by
 * default), each table with mapped formula fields (`calculated` in the describe) is read again, only `Id` and those
 * fields (through its row filter) — REST pages chained five to a Composite call (formula-refresh-rest.ts), or Bulk
 * API 2.0 above the sync's Bulk threshold, judged by the destination's own row count (formula-refresh-bulk.ts) — and a
 * copied row is written, in D1 or in Dataverse, only where a value differs. Progress is kept per table, so a large
 * refresh goes on over several invocations; each is recorded as a run of its own kind, `formula_refresh`, with the
 * rows it changed.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 */
import { TABLES } from '../../../shared/mapping/destination';
import { type RunErrorCode, salesforceCode } from '../../../shared/run-outcomes';
import { formulaRefreshesOf, saveFormulaRefreshStatement } from '../db/formula-refreshes';
import { finishRunStatement, startRunStatement } from '../db/sync-runs';
import { DataverseError } from '../dataverse/errors';
import { MalformedResponse, type SalesforceError, asSalesforceError } from '../salesforce/errors';
import type { Invocation, TableRun } from './invocation';
import { type FormulaRefresh, formulaColumns, refreshContext } from './formula-refresh-context';
import { refreshInBulk } from './formula-refresh-bulk';
import { refreshThroughRest } from './formula-refresh-rest';

const HOUR_MS = 3_600_000;

/** A failure said in the admin's words: a formula field the integration user cannot read any more has its own. */
export function queryRefusal(t: TableRun, error: SalesforceError, formulas: readonly string[], what = 'formula refresh'): { code: RunErrorCode; message: string } {
  const source = TABLES[t.table].source;
  const hidden = /No such column '([^']+)'/.exec(error.message)?.[1];
  if (error.errorCode === 'INVALID_FIELD' && hidden && formulas.some((f) => f.toLowerCase() === hidden.toLowerCase())) {
    return {
      code: 'formula_field_unreadable',
      message: `The formula field ${source}.${hidden} can no longer be read by the integration user (it was deleted, or its Read permission removed). Update permissions in the Connectors panel, or unmap it; nothing was lost.`,
    };
  }
  return { code: salesforceCode(error.errorCode), message: `Salesforce refused the ${source} ${what}: ${error.message}` };
}

/** Refreshes the formula fields of every table that is due; each refresh is recorded as its own run. */
export async function refreshFormulas(inv: Invocation): Promise<void> {
  const states = new Map((await formulaRefreshesOf(inv.env.DB, inv.connector.id)).map((r) => [r.table_name, r]));
  for (const t of inv.tables) {
    // Only after a pass that ended well (its run still 'running' until the invocation records it).
    if (!['running', 'succeeded'].includes(t.outcome.status) || t.cursor.phase !== 'incremental' || t.cursor.next_page !== null) continue;
    const columns = await formulaColumns(inv, t);
    if (columns.length === 0) continue;
    const state = states.get(t.table);
    if (!state) {
      // The load that just ended read the formulas: the first refresh is due one cadence from now.
      const first = { connector_id: inv.connector.id, table_name: t.table, next_page: null, bulk_job_id: null, started_at: inv.at.toISOString(), rows_changed: 0, last_finished_at: null, last_rows_changed: null };
      await saveFormulaRefreshStatement(inv.env.DB, first).run();
      continue;
    }
    const underWay = state.next_page !== null || state.bulk_job_id !== null;
    if (underWay || !state.started_at || Date.parse(state.started_at) + inv.connector.formula_refresh_hours * HOUR_MS <= inv.at.getTime()) {
      const fresh = underWay ? state : { ...state, started_at: inv.at.toISOString(), rows_changed: 0 };
      const bulk = state.bulk_job_id !== null || (!underWay && (await inv.destination.rowCount({ tenantId: inv.connector.tenant_id, connectorId: inv.connector.id, table: t.table })) > inv.limits.bulkThreshold);
      await recorded(refreshContext(inv, t, columns, fresh), bulk ? refreshInBulk : refreshThroughRest);
    }
  }
}

/** Runs one refresh step under a run record of kind `formula_refresh`. */
async function recorded(r: FormulaRefresh, step: (r: FormulaRefresh) => Promise<void>): Promise<void> {
  const { DB } = r.inv.env;
  const runId = crypto.randomUUID();
  const started = Date.now();
  await startRunStatement(DB, { id: runId, connector_id: r.inv.connector.id, table_name: r.t.table, mode: 'formula_refresh', started_at: new Date().toISOString() }).run();
  try {
    await step(r);
  } catch (error) {
    const sf = asSalesforceError(error);
    if (error instanceof DataverseError) {
      // Rows already refreshed stay so; the next run reads the formulas again and writes what still differs.
      const code = error.status === 429 ? 'dataverse_throttled' : 'dataverse_failed';
      Object.assign(r.run, { status: 'failed', code, message: `Dataverse refused the formula values (${error.code || `HTTP ${error.status}`}: ${error.message}).` });
    } else if (!sf && !(error instanceof MalformedResponse)) throw error;
    else Object.assign(r.run, sf ? queryRefusal(r.t, sf, r.columns.map((c) => c.field.name)) : { code: 'malformed_response', message: error instanceof Error ? error.message : String(error) });
    r.run.status = 'failed';
    r.run.message = `${r.run.message} The next run tries the formula refresh again.`;
  }
  if (r.run.status === 'partial') r.run.message ??= 'Stopped at this invocation’s work limit; the next run carries the formula refresh on.';
  await finishRunStatement(DB, {
    id: runId,
    status: r.run.status,
    finished_at: new Date().toISOString(),
    records_read: r.run.read,
    records_upserted: r.run.changed,
    records_deleted: 0,
    records_rejected: 0,
    api_calls: r.run.calls,
    duration_ms: Date.now() - started,
    error_code: r.run.code,
    error_message: r.run.message,
  }).run();
}
