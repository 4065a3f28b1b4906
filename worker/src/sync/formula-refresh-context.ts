/**
 * What one formula refresh step works with (formula-refresh.ts): the table's formula columns, the query reading only
 * Id and them, where the refresh stands, its run's counts — and the two things every step does: write a batch of
 * records' formula values through the connector's destination (only rows whose values differ change), and save where
 * the refresh stands.
 */
import { TABLES, type DestinationColumn } from '../../../shared/mapping/destination';
import type { RunErrorCode } from '../../../shared/run-outcomes';
import { cachedDescribe } from '../connectors/describe-cache';
import { type FormulaRefreshRow, saveFormulaRefreshStatement } from '../db/formula-refreshes';
import type { FormulaValues, StoredValue } from '../destinations/destination';
import type { SourceField } from '../../../shared/mapping/type-rules';
import { convertValue } from './convert';
import type { Invocation, TableRun } from './invocation';
import { recordGuid } from './record-guid';

export type FormulaColumn = { column: DestinationColumn; field: SourceField };

export interface FormulaRefresh {
  inv: Invocation;
  t: TableRun;
  columns: FormulaColumn[];
  soql: string;
  state: FormulaRefreshRow;
  run: { read: number; changed: number; calls: number; status: 'partial' | 'succeeded' | 'failed'; code: RunErrorCode | null; message: string | null };
  /** writes the formula values of `records`; answers the rows that changed */
  write(records: Record<string, unknown>[]): Promise<number>;
  /** saves where the refresh stands; `ended` closes it with its total of rows changed */
  save(next: Partial<FormulaRefreshRow>, ended: boolean): Promise<void>;
}

/** Mapped columns whose Salesforce field is a formula, with the field's describe. */
export async function formulaColumns(inv: Invocation, t: TableRun): Promise<FormulaColumn[]> {
  const definition = TABLES[t.table];
  const fields = new Map(((await cachedDescribe(inv.env.DB, inv.connection.id, definition.source)) ?? []).map((f) => [f.name, f]));
  return Object.entries(t.mapping)
    .filter(([, field]) => fields.get(field)?.calculated === true)
    .map(([column, field]) => ({ column: definition.columns.find((c) => c.name === column)!, field: fields.get(field)! }));
}

export function refreshContext(inv: Invocation, t: TableRun, columns: FormulaColumn[], start: FormulaRefreshRow): FormulaRefresh {
  const { DB } = inv.env;
  const names = columns.map((c) => c.column.name);
  const scope = { tenantId: inv.connector.tenant_id, connectorId: inv.connector.id, table: t.table };
  // Rows this refresh changed in earlier invocations (a large one goes on over several).
  const carried = start.rows_changed;
  const r: FormulaRefresh = {
    inv,
    t,
    columns,
    soql: `SELECT Id, ${columns.map((c) => c.field.name).join(', ')} FROM ${TABLES[t.table].source}${t.filter ? ` WHERE ${t.filter}` : ''}`,
    state: start,
    run: { read: 0, changed: 0, calls: 0, status: 'partial', code: null, message: null },
    async write(records) {
      const rows = records.flatMap((record): FormulaValues[] => {
        const values: StoredValue[] = [];
        for (const { column, field } of columns) {
          const converted = convertValue(column, field, record[field.name]);
          // A value that does not convert is left as it was (the pass's rejects already name the record).
          if (!converted.ok) return [];
          values.push(converted.value);
        }
        return [{ guid: recordGuid(String(record.Id)), values }];
      });
      // Through the connector's destination (D1's table, or Dataverse): only values that differ are written.
      const changed = await inv.destination.refreshColumns(scope, names, rows);
      r.run.read += records.length;
      r.run.changed += changed;
      return changed;
    },
    async save(next, ended) {
      const total = carried + r.run.changed;
      r.state = ended
        ? { ...r.state, next_page: null, bulk_job_id: null, rows_changed: 0, last_finished_at: new Date().toISOString(), last_rows_changed: total }
        : { ...r.state, ...next, rows_changed: total };
      await saveFormulaRefreshStatement(DB, r.state).run();
      if (ended) r.run.status = 'succeeded';
    },
  };
  return r;
}
