/** Queries on connectors and their tables (cursors are in cursors.ts). Reads that serve a client are scoped by tenant. */
import type { DestinationTable } from '../../../shared/mapping/destination';
import { nowIso } from '../clock';
import { createCursorStatement, restartCursorStatement } from './cursors';

export interface ConnectorRow {
  id: string;
  tenant_id: string;
  connection_id: string;
  name: string;
  team_name: string;
  team_id: string;
  interval_minutes: number;
  active: number;
  delete_mode: 'hard' | 'soft';
  budget_threshold: number;
  /** days between scheduled Id reconciliations (0: only when the delete log cannot cover a pass, or on demand) */
  reconcile_every_days: number;
  /** how often mapped formula fields are read again */
  formula_refresh_hours: number;
  /** JSON: ConnectorDestination */
  destination: string;
  next_run_at: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConnectorTableRow {
  connector_id: string;
  table_name: DestinationTable;
  mapping: string;
  enabled: number;
  /** the row filter, a SOQL condition; null copies every record */
  filter: string | null;
}

export function findConnector(db: D1Database, tenantId: string, id: string): Promise<ConnectorRow | null> {
  return db.prepare('SELECT * FROM connectors WHERE id = ?1 AND tenant_id = ?2').bind(id, tenantId).first<ConnectorRow>();
}

export function connectorById(db: D1Database, id: string): Promise<ConnectorRow | null> {
  return db.prepare('SELECT * FROM connectors WHERE id = ?1').bind(id).first<ConnectorRow>();
}

export async function listConnectors(db: D1Database, tenantId: string): Promise<ConnectorRow[]> {
  return (await db.prepare('SELECT * FROM connectors WHERE tenant_id = ?1 ORDER BY created_at').bind(tenantId).all<ConnectorRow>()).results;
}

export async function connectorTables(db: D1Database, connectorId: string): Promise<ConnectorTableRow[]> {
  return (await db.prepare('SELECT * FROM connector_tables WHERE connector_id = ?1 ORDER BY table_name').bind(connectorId).all<ConnectorTableRow>()).results;
}

export function insertConnectorStatements(
  db: D1Database,
  row: Omit<ConnectorRow, 'created_at' | 'updated_at' | 'lease_until' | 'next_run_at' | 'active' | 'destination' | 'reconcile_every_days' | 'formula_refresh_hours'> & { destination?: string; reconcile_every_days?: number; formula_refresh_hours?: number },
  tables: { table: DestinationTable; mapping: Record<string, string>; filter?: string | null }[],
) {
  return [
    db
      .prepare(
        `INSERT INTO connectors (id, tenant_id, connection_id, name, team_name, team_id, interval_minutes, delete_mode, budget_threshold, destination, reconcile_every_days, formula_refresh_hours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
      )
      .bind(row.id, row.tenant_id, row.connection_id, row.name, row.team_name, row.team_id, row.interval_minutes, row.delete_mode, row.budget_threshold, row.destination ?? '{"kind":"d1"}', row.reconcile_every_days ?? 7, row.formula_refresh_hours ?? 24),
    ...tables.flatMap((t) => [...upsertTableStatements(db, row.id, t.table, t.mapping, []), setTableFilterStatement(db, row.id, t.table, t.filter ?? null)]),
  ];
}

/**
 * A table's mapping, enabled, with its cursor. A new table starts with a first load. `resync` names columns the
 * change added (or all of them, for a table added back): the table then re-reads everything, rewriting existing
 * rows, so the new columns are filled for data already copied.
 */
export function upsertTableStatements(db: D1Database, connectorId: string, table: DestinationTable, mapping: Record<string, string>, resync: string[]) {
  return [
    db
      .prepare(
        `INSERT INTO connector_tables (connector_id, table_name, mapping, enabled) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (connector_id, table_name) DO UPDATE SET mapping = excluded.mapping, enabled = 1`,
      )
      .bind(connectorId, table, JSON.stringify(mapping)),
    resync.length === 0 ? createCursorStatement(db, connectorId, table) : restartCursorStatement(db, connectorId, table, resync, nowIso()),
  ];
}

/** A table's row filter (null: every record). */
export function setTableFilterStatement(db: D1Database, connectorId: string, table: DestinationTable, filter: string | null) {
  return db.prepare('UPDATE connector_tables SET filter = ?3 WHERE connector_id = ?1 AND table_name = ?2').bind(connectorId, table, filter);
}

export function disableTableStatement(db: D1Database, connectorId: string, table: DestinationTable) {
  return db.prepare('UPDATE connector_tables SET enabled = 0 WHERE connector_id = ?1 AND table_name = ?2').bind(connectorId, table);
}

type ConnectorPatch = Partial<Pick<ConnectorRow, 'name' | 'team_name' | 'team_id' | 'interval_minutes' | 'active' | 'delete_mode' | 'budget_threshold' | 'next_run_at' | 'destination' | 'reconcile_every_days' | 'formula_refresh_hours'>>;

export function updateConnectorStatement(db: D1Database, id: string, patch: ConnectorPatch) {
  const entries = Object.entries({ ...patch, updated_at: nowIso() }).filter(([, value]) => value !== undefined);
  return db
    .prepare(`UPDATE connectors SET ${entries.map(([column], index) => `${column} = ?${index + 2}`).join(', ')} WHERE id = ?1`)
    .bind(id, ...entries.map(([, value]) => value));
}

/** Active connectors due at `at`, oldest first. */
export async function dueConnectors(db: D1Database, at: string, limit: number): Promise<ConnectorRow[]> {
  return (
    await db
      .prepare('SELECT * FROM connectors WHERE active = 1 AND (next_run_at IS NULL OR next_run_at <= ?1) ORDER BY next_run_at LIMIT ?2')
      .bind(at, limit)
      .all<ConnectorRow>()
  ).results;
}

export async function deleteConnector(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM connectors WHERE id = ?1').bind(id).run();
}

/** A connection turned off stops its connectors (their rows and cursors stay). */
export function stopConnectorsOfConnectionStatement(db: D1Database, connectionId: string) {
  return db.prepare('UPDATE connectors SET active = 0, next_run_at = NULL WHERE connection_id = ?1').bind(connectionId);
}

/** Mappings of the connection's enabled connector tables: what its permission set must cover. */
export async function enabledMappingsOfConnection(db: D1Database, connectionId: string): Promise<{ table_name: DestinationTable; mapping: string; filter: string | null }[]> {
  const { results } = await db
    .prepare('SELECT t.table_name, t.mapping, t.filter FROM connector_tables t JOIN connectors c ON c.id = t.connector_id WHERE c.connection_id = ?1 AND t.enabled = 1')
    .bind(connectionId)
    .all<{ table_name: DestinationTable; mapping: string; filter: string | null }>();
  return results;
}

/** The largest share of the org's daily API requests any of the connection's connectors keeps in reserve, if any. */
export async function budgetReserveOfConnection(db: D1Database, connectionId: string): Promise<number | null> {
  const reserve = await db.prepare('SELECT max(budget_threshold) AS reserve FROM connectors WHERE connection_id = ?1').bind(connectionId).first<{ reserve: number | null }>();
  return reserve?.reserve ?? null;
}

/** Names of the tenant's connectors whose destination is the given Dataverse connection. */
export async function connectorsUsingDataverseConnection(db: D1Database, tenantId: string, dataverseConnectionId: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT name FROM connectors WHERE tenant_id = ?1 AND json_extract(destination, '$.kind') = 'dataverse' AND json_extract(destination, '$.dataverseConnectionId') = ?2`)
    .bind(tenantId, dataverseConnectionId)
    .all<{ name: string }>();
  return results.map((r) => r.name);
}
