/**
 * What an agent can know about a tenant's copied data: the tables, their mapped columns and the Salesforce field
 * each comes from, and how the sync stands. Read from D1 only; no Salesforce call.
 */
import { DESTINATION_TABLES } from '../../../shared/api';
import { TABLES, type DestinationTable, primaryKeyOf } from '../../../shared/mapping/destination';
import { enabledMappingsOfTenant, statusConnectors, statusTables, tableStats } from '../db/agent-catalog';
import { AgentToolError } from './tool-error';

export interface MappedTable {
  table: DestinationTable;
  /** destination column → Salesforce field, over every connector that syncs the table */
  fields: Map<string, string>;
  connectorIds: string[];
}

/** The tables the tenant's connectors sync, each with the union of their mappings. */
export async function mappedTables(db: D1Database, tenantId: string): Promise<Map<DestinationTable, MappedTable>> {
  const tables = new Map<DestinationTable, MappedTable>();
  for (const row of await enabledMappingsOfTenant(db, tenantId)) {
    const entry: MappedTable = tables.get(row.table_name) ?? { table: row.table_name, fields: new Map(), connectorIds: [] };
    for (const [column, field] of Object.entries(row.mapping)) if (!entry.fields.has(column)) entry.fields.set(column, field);
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

export async function listTables(db: D1Database, tenantId: string, now: Date) {
  const tables = await mappedTables(db, tenantId);
  const out = [];
  for (const table of DESTINATION_TABLES) {
    const entry = tables.get(table);
    if (!entry) continue;
    const stats = await tableStats(db, tenantId, table, entry.connectorIds);
    out.push({
      table,
      label: TABLES[table].label,
      salesforceObject: TABLES[table].source,
      rows: stats.rows,
      softDeletedRows: stats.deleted,
      lastSuccessfulSync: stats.last_success,
      freshnessSeconds: stats.last_success ? Math.max(0, Math.round((now.getTime() - Date.parse(stats.last_success)) / 1000)) : null,
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
  const out = [];
  for (const c of await statusConnectors(db, tenantId)) {
    const tables = await statusTables(db, c.id);
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
