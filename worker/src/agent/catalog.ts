/**
 * What an agent can know about a tenant's copied data: the tables, their mapped columns and the Salesforce field
 * each comes from, and how the sync stands. Read from D1 only; no Salesforce call.
 */
import { DESTINATION_TABLES } from '../../../shared/api';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { AgentToolError } from './tool-error';

export interface MappedTable {
  table: DestinationTable;
  /** destination column → Salesforce field, over every connector that syncs the table */
  fields: Map<string, string>;
  connectorIds: string[];
}

/** The tables the tenant's connectors sync, each with the union of their mappings. */
export async function mappedTables(db: D1Database, tenantId: string): Promise<Map<DestinationTable, MappedTable>> {
  const { results } = await db
    .prepare(
      `SELECT ct.table_name, ct.mapping, ct.connector_id FROM connector_tables ct JOIN connectors c ON c.id = ct.connector_id
        WHERE c.tenant_id = ?1 AND ct.enabled = 1 ORDER BY c.created_at`,
    )
    .bind(tenantId)
    .all<{ table_name: DestinationTable; mapping: string; connector_id: string }>();
  const tables = new Map<DestinationTable, MappedTable>();
  for (const row of results) {
    const entry: MappedTable = tables.get(row.table_name) ?? { table: row.table_name, fields: new Map(), connectorIds: [] };
    for (const [column, field] of Object.entries(JSON.parse(row.mapping) as Record<string, string>)) if (!entry.fields.has(column)) entry.fields.set(column, field);
    entry.connectorIds.push(row.connector_id);
    tables.set(row.table_name, entry);
  }
  return tables;
}

export async function mappedTable(db: D1Database, tenantId: string, table: DestinationTable): Promise<MappedTable> {
  const entry = (await mappedTables(db, tenantId)).get(table);
  if (!entry) throw new AgentToolError(`No connector syncs the ${table} table yet. Call listTables to see the tables there are.`);
  return entry;
}

export const primaryKeyOf = (table: DestinationTable) => TABLES[table].columns.find((c) => c.primaryKey)!.name;

export async function listTables(db: D1Database, tenantId: string, now: Date) {
  const tables = await mappedTables(db, tenantId);
  const out = [];
  for (const table of DESTINATION_TABLES) {
    const entry = tables.get(table);
    if (!entry) continue;
    const ids = JSON.stringify(entry.connectorIds);
    const stats = await db
      .prepare(
        `SELECT (SELECT count(*) FROM ${table} WHERE tenant_id = ?1 AND forcebridge_deleted_at IS NULL) AS rows,
                (SELECT count(*) FROM ${table} WHERE tenant_id = ?1 AND forcebridge_deleted_at IS NOT NULL) AS deleted,
                (SELECT max(finished_at) FROM sync_runs WHERE table_name = ?2 AND status = 'succeeded' AND connector_id IN (SELECT value FROM json_each(?3))) AS last_success`,
      )
      .bind(tenantId, table, ids)
      .first<{ rows: number; deleted: number; last_success: string | null }>();
    out.push({
      table,
      label: TABLES[table].label,
      salesforceObject: TABLES[table].source,
      rows: stats!.rows,
      softDeletedRows: stats!.deleted,
      lastSuccessfulSync: stats!.last_success,
      freshnessSeconds: stats!.last_success ? Math.max(0, Math.round((now.getTime() - Date.parse(stats!.last_success)) / 1000)) : null,
    });
  }
  return out;
}

export async function describeTable(db: D1Database, tenantId: string, table: DestinationTable) {
  const entry = await mappedTable(db, tenantId, table);
  const key = primaryKeyOf(table);
  return {
    table,
    salesforceObject: TABLES[table].source,
    primaryKey: key,
    columns: TABLES[table].columns
      .filter((c) => c.primaryKey || entry.fields.has(c.name))
      .map((c) => ({
        name: c.name,
        label: c.label,
        type: c.type,
        salesforceField: c.primaryKey ? 'Id' : (entry.fields.get(c.name) ?? null),
        ...(c.target ? { references: c.target } : {}),
      })),
  };
}

export async function syncStatus(db: D1Database, tenantId: string) {
  const { results: connectors } = await db
    .prepare(
      `SELECT c.id, c.name, c.active, c.delete_mode, c.next_run_at, n.id AS connection_id, n.instance_url, n.status AS connection_status
         FROM connectors c JOIN connections n ON n.id = c.connection_id WHERE c.tenant_id = ?1 ORDER BY c.created_at`,
    )
    .bind(tenantId)
    .all<{ id: string; name: string; active: number; delete_mode: string; next_run_at: string | null; connection_id: string; instance_url: string; connection_status: string }>();
  const out = [];
  for (const c of connectors) {
    const { results: tables } = await db
      .prepare(
        `SELECT t.table_name, t.enabled, s.phase, s.loaded, s.total, s.watermark,
                r.status, r.started_at, r.finished_at, r.records_upserted, r.records_deleted, r.records_rejected, r.api_calls, r.error_code, r.error_message,
                (SELECT count(*) FROM sync_rejects j WHERE j.connector_id = t.connector_id AND j.table_name = t.table_name) AS rejects
           FROM connector_tables t
           LEFT JOIN sync_cursors s ON s.connector_id = t.connector_id AND s.table_name = t.table_name
           LEFT JOIN sync_runs r ON r.id = (SELECT id FROM sync_runs WHERE connector_id = t.connector_id AND table_name = t.table_name ORDER BY started_at DESC, rowid DESC LIMIT 1)
          WHERE t.connector_id = ?1 AND t.enabled = 1`,
      )
      .bind(c.id)
      .all<Record<string, string | number | null>>();
    out.push({
      connectorId: c.id,
      name: c.name,
      active: c.active === 1,
      deleteMode: c.delete_mode,
      nextRunAt: c.next_run_at,
      connection: { id: c.connection_id, instanceUrl: c.instance_url, status: c.connection_status },
      tables: tables.map((t) => ({
        table: String(t.table_name),
        phase: t.phase === null ? 'not started' : String(t.phase),
        loaded: Number(t.loaded ?? 0),
        total: t.total === null ? null : Number(t.total),
        watermark: t.watermark === null ? null : String(t.watermark),
        rejects: Number(t.rejects),
        lastRun:
          t.status === null
            ? null
            : {
                status: String(t.status),
                startedAt: String(t.started_at),
                finishedAt: t.finished_at === null ? null : String(t.finished_at),
                upserted: Number(t.records_upserted),
                deleted: Number(t.records_deleted),
                rejected: Number(t.records_rejected),
                apiCalls: Number(t.api_calls),
                errorCode: t.error_code === null ? null : String(t.error_code),
                errorMessage: t.error_message === null ? null : String(t.error_message),
              },
      })),
    });
  }
  return out;
}
