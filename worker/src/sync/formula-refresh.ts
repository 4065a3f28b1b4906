/**
 * Formula fields kept fresh. A formula's value is computed when it is read, so it changes when a record it reads
 * changes (an account renamed changes its contacts' `Account.Name` formula) while the record's own SystemModstamp
 * stays where it was — the incremental pass never sees it. Every `formula_refresh_hours` (per connector, daily by
 * default), each table with mapped formula fields (`calculated` in the describe) is read again, only `Id` and those
 * fields (through its row filter), in REST pages chained five to a Composite call; a copied row is written only where
 * a value differs. Progress (the next page) is kept per table, so a large refresh goes on over several invocations;
 * each is recorded as a run of its own kind, `formula_refresh`, with the rows it changed.
 * https://help.salesforce.com/s/articleView?id=sf.formula_field_limitations.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 */
import { TABLES, type DestinationColumn } from '../../../shared/mapping/destination';
import { type RunErrorCode, salesforceCode } from '../../../shared/run-outcomes';
import { cachedDescribe } from '../connectors/describe-cache';
import { type FormulaRefreshRow, formulaRefreshesOf, refreshColumnsStatement, saveFormulaRefreshStatement } from '../db/formula-refreshes';
import { finishRunStatement, startRunStatement } from '../db/sync-runs';
import type { StoredValue } from '../destinations/destination';
import { API_VERSION } from '../salesforce/api';
import { MalformedResponse, SalesforceError, asSalesforceError } from '../salesforce/errors';
import { fetchComposite } from '../salesforce/rest';
import { budgetLeft } from './budget';
import { convertValue } from './convert';
import type { Invocation, TableRun } from './invocation';
import { QUERY_SUBREQUESTS_PER_CALL, pageChain } from './plan';
import { recordGuid } from './record-guid';

const HOUR_MS = 3_600_000;

/** Mapped columns whose Salesforce field is a formula, with the field's describe. */
async function formulaColumns(inv: Invocation, t: TableRun) {
  const definition = TABLES[t.table];
  const fields = new Map(((await cachedDescribe(inv.env.DB, inv.connection.id, definition.source)) ?? []).map((f) => [f.name, f]));
  return Object.entries(t.mapping)
    .filter(([, field]) => fields.get(field)?.calculated === true)
    .map(([column, field]) => ({ column: definition.columns.find((c) => c.name === column)! as DestinationColumn, field: fields.get(field)! }));
}

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
      await saveFormulaRefreshStatement(inv.env.DB, { connector_id: inv.connector.id, table_name: t.table, next_page: null, started_at: inv.at.toISOString(), rows_changed: 0, last_finished_at: null, last_rows_changed: null }).run();
      continue;
    }
    const due = state.next_page !== null || !state.started_at || Date.parse(state.started_at) + inv.connector.formula_refresh_hours * HOUR_MS <= inv.at.getTime();
    if (due) await refreshTable(inv, t, columns, state);
  }
}

async function refreshTable(inv: Invocation, t: TableRun, columns: Awaited<ReturnType<typeof formulaColumns>>, start: FormulaRefreshRow): Promise<void> {
  const { DB } = inv.env;
  const source = TABLES[t.table].source;
  const runId = crypto.randomUUID();
  const started = Date.now();
  await startRunStatement(DB, { id: runId, connector_id: inv.connector.id, table_name: t.table, mode: 'formula_refresh', started_at: new Date().toISOString() }).run();
  const soql = `SELECT Id, ${columns.map((c) => c.field.name).join(', ')} FROM ${source}${t.filter ? ` WHERE ${t.filter}` : ''}`;
  let state: FormulaRefreshRow = start.next_page ? start : { ...start, started_at: inv.at.toISOString(), rows_changed: 0, next_page: null };
  // Rows this refresh changed in earlier invocations (it went on over several).
  const carried = state.rows_changed;
  let url = state.next_page ?? `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`;
  const update = refreshColumnsStatement(DB, t.table, columns.map((c) => c.column.name));
  const run = { read: 0, changed: 0, calls: 0, status: 'partial' as 'partial' | 'succeeded' | 'failed', code: null as RunErrorCode | null, message: null as string | null };
  try {
    while (run.status === 'partial' && inv.api.apiCalls < inv.limits.maxApiCalls && Date.now() < inv.deadline && budgetLeft(inv)) {
      const chain = pageChain(t.table, url, QUERY_SUBREQUESTS_PER_CALL).map((s) => ({ ...s, referenceId: `formula_${s.referenceId}` }));
      const before = inv.api.apiCalls;
      const results = await fetchComposite(inv.api, chain);
      run.calls += inv.api.apiCalls - before;
      for (const { referenceId } of chain) {
        const result = results.get(referenceId);
        if (!result) break;
        if (!result.ok) {
          if (result.error instanceof MalformedResponse) throw result.error;
          // An expired locator starts the refresh over (its writes are idempotent); anything else fails it.
          if (result.error.errorCode === 'INVALID_QUERY_LOCATOR') state = { ...state, next_page: null };
          else ({ code: run.code, message: run.message } = queryRefusal(t, result.error, columns.map((c) => c.field.name)));
          if (run.code) run.status = 'failed';
          break;
        }
        const { page } = result;
        const statements = page.records.flatMap((record) => {
          const values: StoredValue[] = [];
          for (const { column, field } of columns) {
            const converted = convertValue(column, field, record[field.name]);
            if (!converted.ok) return [];
            values.push(converted.value);
          }
          return [update(inv.connector.tenant_id, inv.connector.id, recordGuid(String(record.Id)), values)];
        });
        const written = statements.length > 0 ? await DB.batch(statements) : [];
        run.read += page.records.length;
        run.changed += written.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
        const ended = page.done || !page.nextRecordsUrl;
        const total = carried + run.changed;
        state = ended
          ? { ...state, next_page: null, rows_changed: 0, last_finished_at: new Date().toISOString(), last_rows_changed: total }
          : { ...state, next_page: page.nextRecordsUrl!, rows_changed: total };
        await saveFormulaRefreshStatement(DB, state).run();
        if (ended) run.status = 'succeeded';
        else url = page.nextRecordsUrl!;
        if (ended) break;
      }
      if (!state.next_page && run.status === 'partial') url = `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`;
    }
  } catch (error) {
    const sf = asSalesforceError(error);
    if (!sf && !(error instanceof MalformedResponse)) throw error;
    run.status = 'failed';
    run.code = sf ? salesforceCode(sf.errorCode) : 'malformed_response';
    run.message = `${error instanceof Error ? error.message : String(error)} Nothing was lost: the next run refreshes the formulas again.`;
  }
  if (run.status === 'partial') run.message = 'Stopped at this invocation’s work limit; the next run carries the formula refresh on.';
  await finishRunStatement(DB, {
    id: runId,
    status: run.status,
    finished_at: new Date().toISOString(),
    records_read: run.read,
    records_upserted: run.changed,
    records_deleted: 0,
    records_rejected: 0,
    api_calls: run.calls,
    duration_ms: Date.now() - started,
    error_code: run.code,
    error_message: run.message,
  }).run();
}
