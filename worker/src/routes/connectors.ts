/**
 * `/api/connectors`: the Contact/Account connectors of the tenant.
 *
 *   GET    /                  the tenant's connectors (`?connectionId=` for one connection's)
 *   POST   /                  create one (inactive) on a connected connection; mappings checked against the describe
 *                             (`?dryRun=true`: check everything, store nothing, say what it would do and whether the
 *                             connection's permissions cover the mappings)
 *   GET    /:id               one connector: tables, mappings, progress, last run per table, permission coverage
 *   PATCH  /:id               edit tables, mappings, row filters, team, interval, delete mode, budget, formula
 *                             refresh cadence (`?dryRun=true`: only say what the change would do)
 *   DELETE /:id               delete it; the copied data stays
 *   POST   /:id/activate      start syncing (now, then every interval);  POST /:id/deactivate  stop
 *   POST   /:id/reset         `{ table }`: the table's mapping back to the predefined one
 *   POST   /:id/sync          run now;  POST /:id/reconcile  compare every Id with Salesforce now
 *   GET    /:id/runs          run history (`?limit=`, newest first)
 *   (rejects: routes/connector-rejects.ts)
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ConnectorInputSchema, ConnectorPatchSchema, DESTINATION_TABLES } from '../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { teamGuid } from '../../../shared/mapping/guid';
import type { AppEnv } from '../app-env';
import { connectedConnection } from '../connectors/connected-connection';
import { connectorView } from '../connectors/connector-view';
import { checkedDestination } from '../connectors/destination';
import { describeFields } from '../connectors/describe-cache';
import { permissionCoverage } from '../connectors/permission-coverage';
import { tenantConnector } from '../connectors/tenant-connector';
import { normaliseMapping } from '../connectors/validate-mapping';
import { cadenceEffect, filterChange } from '../connectors/filter-change';
import { checkedFilter } from '../connectors/row-filter';
import { settingEffects } from '../connectors/setting-effects';
import { nowIso } from '../clock';
import { type ConnectionRow, findConnectionById } from '../db/connections';
import {
  type ConnectorRow,
  connectorTables,
  deleteConnector,
  disableTableStatement,
  findConnector,
  insertConnectorStatements,
  listConnectors,
  updateConnectorStatement,
  upsertTableStatements,
} from '../db/connectors';
import { requestReconciliationStatement } from '../db/reconciliations';
import { parseMapping } from '../db/stored-json';
import { recentRuns, runView } from '../db/sync-runs';
import { AppError } from '../errors';
import { integrationSession } from '../salesforce/integration-session';
import { jsonBody } from '../validation';

/** Checks a table's mapping against the org's describe (cached; taken as the integration user if there is none). */
async function checkedMapping(env: Env, connection: ConnectionRow, table: DestinationTable, mapping: Record<string, string> | undefined) {
  const fields = await describeFields(env.DB, connection.id, TABLES[table].source, () => integrationSession(env, connection));
  return normaliseMapping(table, mapping, fields);
}

async function view(env: Env, row: ConnectorRow) {
  return connectorView(env.DB, row, await findConnectionById(env.DB, row.connection_id));
}

/** Starts a sync now: due immediately, and handed to the queue so it does not wait for the next cron tick. */
async function syncNow(env: Env, id: string) {
  await updateConnectorStatement(env.DB, id, { next_run_at: nowIso() }).run();
  await env.SYNC_QUEUE.send({ connectorId: id });
}

const ResetSchema = z.object({ table: z.enum(DESTINATION_TABLES) }).strict();

export const connectors = new Hono<AppEnv>()
  .get('/', async (c) => {
    const connectionId = c.req.query('connectionId');
    const rows = (await listConnectors(c.env.DB, c.var.tenant.id)).filter((row) => !connectionId || row.connection_id === connectionId);
    return c.json(await Promise.all(rows.map((row) => view(c.env, row))));
  })

  .post('/', jsonBody(ConnectorInputSchema), async (c) => {
    const input = c.req.valid('json');
    const connection = await connectedConnection(c.env, c.var.tenant.id, input.connectionId);
    const tables = [];
    for (const t of input.tables) {
      const filter = t.filter || null;
      if (filter) await checkedFilter(c.env, connection, t.table, filter);
      tables.push({ table: t.table, mapping: await checkedMapping(c.env, connection, t.table, t.mapping), filter });
    }
    const destination = await checkedDestination(c.env, c.var.tenant.id, input.destination, tables);
    if (c.req.query('dryRun') === 'true') {
      const effects = tables.map((t) => `Copies all existing Salesforce ${TABLES[t.table].source} records into ${t.table}, then keeps them in sync.`);
      return c.json({ effects: [...effects, destination.describe], permissions: await permissionCoverage(c.env.DB, tables, connection) });
    }
    const id = crypto.randomUUID();
    await c.env.DB.batch(
      insertConnectorStatements(
        c.env.DB,
        {
          id,
          tenant_id: c.var.tenant.id,
          connection_id: connection.id,
          name: input.name,
          team_name: input.team,
          team_id: teamGuid(c.var.tenant.id, input.team),
          interval_minutes: input.intervalMinutes,
          delete_mode: input.deleteMode,
          budget_threshold: input.budgetThreshold,
          reconcile_every_days: input.reconcileEveryDays,
          formula_refresh_hours: input.formulaRefreshHours,
          destination: destination.stored,
        },
        tables,
      ),
    );
    return c.json(await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, id))!), 201);
  })

  .get('/:id', async (c) => c.json(await view(c.env, await tenantConnector(c.env, c.var.tenant.id, c.req.param('id')))))

  .patch('/:id', jsonBody(ConnectorPatchSchema), async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    const patch = c.req.valid('json');
    const statements: D1PreparedStatement[] = [];
    const effects: string[] = [];
    /** the tables and mappings the connector will have, when the patch changes them */
    let proposed: { table: DestinationTable; mapping: Record<string, string>; filter: string | null }[] | null = null;
    let connection: ConnectionRow | null = null;

    if (patch.tables) {
      connection = await connectedConnection(c.env, c.var.tenant.id, row.connection_id);
      proposed = [];
      const current = new Map((await connectorTables(c.env.DB, row.id)).map((t) => [t.table_name, t]));
      const wanted = new Set(patch.tables.map((t) => t.table));
      for (const t of patch.tables) {
        const mapping = await checkedMapping(c.env, connection, t.table, t.mapping ?? (current.get(t.table) ? parseMapping(current.get(t.table)!.mapping) : undefined));
        const before = current.get(t.table);
        proposed.push({ table: t.table, mapping, filter: t.filter === undefined ? (before?.filter ?? null) : t.filter || null });
        const old: Record<string, string> = before?.enabled ? parseMapping(before.mapping) : {};
        const added = Object.keys(mapping).filter((column) => old[column] !== mapping[column]);
        const removed = Object.keys(old).filter((column) => !(column in mapping));
        if (!before?.enabled) effects.push(`Adds ${t.table}: copies all of its existing Salesforce ${TABLES[t.table].source} records, then keeps them in sync.`);
        else if (added.length > 0) effects.push(`Maps ${added.join(', ')} on ${t.table}: re-reads existing ${TABLES[t.table].source} records to fill them.`);
        if (before?.enabled && removed.length > 0) effects.push(`Stops syncing ${removed.join(', ')} on ${t.table}; the values already copied stay.`);
        statements.push(...upsertTableStatements(c.env.DB, row.id, t.table, mapping, before?.enabled ? added : Object.keys(mapping)));
        if (t.filter !== undefined) {
          const change = await filterChange(c.env, connection, row.id, t.table, before?.filter ?? null, t.filter || null);
          effects.push(...change.effects);
          statements.push(...change.statements);
        }
      }
      for (const [table, t] of current) {
        if (t.enabled && !wanted.has(table)) {
          effects.push(`Removes ${table}: stops syncing it; the ${table} rows already copied stay.`);
          statements.push(disableTableStatement(c.env.DB, row.id, table));
        }
      }
    }
    const destinationChanged = patch.destination !== undefined && JSON.stringify(patch.destination) !== row.destination;
    if (destinationChanged || (patch.tables && JSON.parse(row.destination).kind === 'dataverse')) {
      const enabled = (await connectorTables(c.env.DB, row.id)).filter((t) => t.enabled).map((t) => ({ table: t.table_name, mapping: JSON.parse(t.mapping) as Record<string, string> }));
      const tables = patch.tables ? patch.tables.map((t) => ({ table: t.table, mapping: t.mapping ?? enabled.find((e) => e.table === t.table)?.mapping ?? {} })) : enabled;
      const checked = await checkedDestination(c.env, c.var.tenant.id, patch.destination ?? JSON.parse(row.destination), tables);
      if (destinationChanged) {
        effects.push(checked.describe);
        statements.push(updateConnectorStatement(c.env.DB, row.id, { destination: checked.stored }));
      }
    }
    effects.push(...settingEffects(patch, row));
    if (patch.formulaRefreshHours !== undefined && patch.formulaRefreshHours !== row.formula_refresh_hours) effects.push(await cadenceEffect(c.env, row, patch.formulaRefreshHours));
    statements.push(
      updateConnectorStatement(c.env.DB, row.id, {
        name: patch.name,
        team_name: patch.team,
        team_id: patch.team === undefined ? undefined : teamGuid(c.var.tenant.id, patch.team),
        interval_minutes: patch.intervalMinutes,
        delete_mode: patch.deleteMode,
        budget_threshold: patch.budgetThreshold,
        reconcile_every_days: patch.reconcileEveryDays,
        formula_refresh_hours: patch.formulaRefreshHours,
      }),
    );
    if (c.req.query('dryRun') === 'true') {
      const current = await view(c.env, row);
      // Coverage of the mappings the edit leaves, not of the ones stored now.
      const permissions = proposed ? await permissionCoverage(c.env.DB, proposed, connection) : current.permissions;
      return c.json({ effects, permissions, connector: current });
    }
    await c.env.DB.batch(statements);
    const changed = await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, row.id))!);
    return c.json({ effects, permissions: changed.permissions, connector: changed });
  })

  .delete('/:id', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    await deleteConnector(c.env.DB, row.id);
    return c.json({ deleted: row.id, message: 'The connector is deleted. The contact and account rows it copied stay in place.' });
  })

  .post('/:id/activate', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    await connectedConnection(c.env, c.var.tenant.id, row.connection_id);
    await updateConnectorStatement(c.env.DB, row.id, { active: 1 }).run();
    await syncNow(c.env, row.id);
    return c.json(await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, row.id))!));
  })

  .post('/:id/deactivate', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    await updateConnectorStatement(c.env.DB, row.id, { active: 0, next_run_at: null }).run();
    return c.json(await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, row.id))!));
  })

  .post('/:id/sync', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    if (!row.active) throw new AppError('connector_inactive', 409, 'The connector is not active. Activate it to sync.');
    await syncNow(c.env, row.id);
    return c.json(await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, row.id))!), 202);
  })

  // Reconcile now: every enabled table compares its Ids with Salesforce on the next run, which starts at once.
  .post('/:id/reconcile', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    if (!row.active) throw new AppError('connector_inactive', 409, 'The connector is not active. Activate it to reconcile.');
    const at = new Date().toISOString();
    const tables = (await connectorTables(c.env.DB, row.id)).filter((t) => t.enabled);
    await c.env.DB.batch(tables.map((t) => requestReconciliationStatement(c.env.DB, row.id, t.table_name, 'requested', at)));
    await syncNow(c.env, row.id);
    return c.json(await view(c.env, (await findConnector(c.env.DB, c.var.tenant.id, row.id))!), 202);
  })

  .post('/:id/reset', jsonBody(ResetSchema), async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    const { table } = c.req.valid('json');
    const current = (await connectorTables(c.env.DB, row.id)).find((t) => t.table_name === table && t.enabled);
    if (!current) throw new AppError('validation_failed', 400, `The connector does not sync ${table}. Add the table first.`);
    const connection = await connectedConnection(c.env, c.var.tenant.id, row.connection_id);
    const mapping = await checkedMapping(c.env, connection, table, DEFAULT_MAPPINGS[table]);
    const old = parseMapping(current.mapping);
    const added = Object.keys(mapping).filter((column) => old[column] !== mapping[column]);
    await c.env.DB.batch(upsertTableStatements(c.env.DB, row.id, table, mapping, added));
    return c.json(await view(c.env, row));
  })

  .get('/:id/runs', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 500);
    return c.json((await recentRuns(c.env.DB, row.id, limit)).map(runView));
  });
