/** A connector as the API shows it: settings, each table's mapping and progress and last run, permission coverage. */
import { type Connector, ConnectorDestinationSchema } from '../../../shared/api';
import { connectorStateOf } from '../../../shared/connector-state';
import { TABLES } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import { type ConnectorRow, connectorTables } from '../db/connectors';
import { cursorsOf } from '../db/cursors';
import { dataverseRowCount } from '../db/dataverse-rows';
import { connectorRowCount } from '../db/destination-rows';
import { formulaRefreshesOf } from '../db/formula-refreshes';
import { type ReconciliationRow, reconciliationsOf } from '../db/reconciliations';
import { parseMapping } from '../db/stored-json';
import { type RunRow, apiUsageOf, lastRunPerTable, runView } from '../db/sync-runs';
import { formulaRefreshApiCallsPerDay } from '../sync/estimate';
import { cachedDescribe } from './describe-cache';
import { permissionCoverage } from './permission-coverage';

export async function connectorView(db: D1Database, row: ConnectorRow, connection: ConnectionRow | null): Promise<Connector> {
  const [tables, cursors, lastRuns, usage, lastReconciles, reconciles, refreshes] = await Promise.all([
    connectorTables(db, row.id),
    cursorsOf(db, row.id),
    lastRunPerTable(db, row.id),
    apiUsageOf(db, row.connection_id),
    lastRunPerTable(db, row.id, 'reconcile'),
    reconciliationsOf(db, row.id),
    formulaRefreshesOf(db, row.id),
  ]);
  const refreshOf = new Map(refreshes.map((r) => [r.table_name, r]));
  const formulas = new Map<string, string[]>();
  for (const t of tables) {
    const calculated = new Set(((connection && (await cachedDescribe(db, connection.id, TABLES[t.table_name].source))) ?? []).filter((f) => f.calculated).map((f) => f.name));
    formulas.set(t.table_name, [...new Set(Object.values(parseMapping(t.mapping)))].filter((f) => calculated.has(f)));
  }
  const destination = ConnectorDestinationSchema.parse(JSON.parse(row.destination));
  const rows = new Map<string, number>();
  for (const t of tables) {
    const count =
      destination.kind === 'dataverse'
        ? await dataverseRowCount(db, destination.dataverseConnectionId, t.table_name)
        : await connectorRowCount(db, t.table_name, row.tenant_id, row.id);
    rows.set(t.table_name, count);
  }
  const cursorOf = new Map(cursors.map((c) => [c.table_name, c]));
  const view: Omit<Connector, 'state'> = {
    id: row.id,
    connectionId: row.connection_id,
    destination,
    name: row.name,
    team: row.team_name,
    teamId: row.team_id,
    intervalMinutes: row.interval_minutes,
    active: row.active === 1,
    deleteMode: row.delete_mode,
    budgetThreshold: row.budget_threshold,
    reconcileEveryDays: row.reconcile_every_days,
    formulaRefreshHours: row.formula_refresh_hours,
    nextRunAt: row.next_run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    tables: tables.map((t) => {
      const cursor = cursorOf.get(t.table_name);
      const last = lastRuns.get(t.table_name);
      const refresh = refreshOf.get(t.table_name);
      return {
        table: t.table_name,
        enabled: t.enabled === 1,
        mapping: parseMapping(t.mapping),
        filter: t.filter,
        formulaFields: formulas.get(t.table_name) ?? [],
        formulaRefresh: refresh?.last_finished_at ? { finishedAt: refresh.last_finished_at, rowsChanged: refresh.last_rows_changed ?? 0 } : null,
        formulaRefreshApiCallsPerDay: formulas.get(t.table_name)?.length ? formulaRefreshApiCallsPerDay(rows.get(t.table_name) ?? 0, row.formula_refresh_hours) : 0,
        phase: cursor?.phase ?? 'initial',
        // A Bulk job that follows a first REST page reads that page's last record again: never "2,001 of 2,000".
        loaded: Math.min(cursor?.loaded ?? 0, cursor?.total ?? Number.POSITIVE_INFINITY),
        total: cursor?.total ?? null,
        watermark: cursor?.watermark ?? null,
        rows: rows.get(t.table_name) ?? 0,
        lastRun: last ? runView(last) : null,
        reconciliation: reconciliationView(reconciles.find((r) => r.table_name === t.table_name), lastReconciles.get(t.table_name)),
      };
    }),
    apiUsage: usage ? { used: usage.used, max: usage.max, observedAt: usage.observed_at } : null,
    permissions: await permissionCoverage(db, tables.filter((t) => t.enabled === 1).map((t) => ({ table: t.table_name, mapping: parseMapping(t.mapping), filter: t.filter })), connection),
  };
  return { ...view, state: connectorStateOf(view) };
}

function reconciliationView(state: ReconciliationRow | undefined, last: RunRow | undefined) {
  return {
    requestedAt: state?.requested_at ?? null,
    reason: state?.reason ?? null,
    underWay: Boolean(state?.phase),
    lastFinishedAt: state?.last_finished_at ?? null,
    lastRun: last ? runView(last) : null,
  };
}
