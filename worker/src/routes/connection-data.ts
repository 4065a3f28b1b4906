/**
 * What the connector wizard reads about a connected org, under `/api/connections/:id`:
 *
 *   GET  /fields/:table     each destination column with the Salesforce fields that may fill it (type-compatible
 *                           only), and the predefined choice
 *   POST /fields/refresh    describe the objects again with the admin's session `{ session }` (new custom fields)
 *   GET  /estimate          record counts and the API calls a first sync will cost (`?tables=contact,account`),
 *                           with the org's daily usage
 *   POST /filter-check      `{ table, filter }`: a row filter checked (400 naming the problem) and how many records
 *                           match it now (the panel's live count)
 */
import { Hono } from 'hono';
import { AdminSessionRequestSchema, DESTINATION_TABLES, FilterCheckInputSchema } from '../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { compatibleFields } from '../../../shared/mapping/type-rules';
import type { AppEnv } from '../app-env';
import { connectedConnection } from '../connectors/connected-connection';
import { describeFields, refreshDescribe } from '../connectors/describe-cache';
import { checkedFilter } from '../connectors/row-filter';
import { apiUsageOf, saveApiUsageStatement } from '../db/sync-runs';
import { AppError } from '../errors';
import { openAdminSession } from '../salesforce/provisioning/admin-session';
import { MalformedResponse, SalesforceError } from '../salesforce/errors';
import { integrationSession } from '../salesforce/integration-session';
import { countRecords, openApiSession } from '../salesforce/rest';
import { ESTIMATE_NOTE, firstSyncApiCalls } from '../sync/estimate';
import { jsonBody } from '../validation';

function tableParam(value: string | undefined): DestinationTable {
  if (!DESTINATION_TABLES.includes(value as DestinationTable)) {
    throw new AppError('validation_failed', 400, `Unknown table "${value}". Tables are ${DESTINATION_TABLES.join(' and ')}.`);
  }
  return value as DestinationTable;
}

export const connectionData = new Hono<AppEnv>()
  .post('/:id/filter-check', jsonBody(FilterCheckInputSchema), async (c) => {
    const connection = await connectedConnection(c.env, c.var.tenant.id, c.req.param('id'));
    const { table, filter } = c.req.valid('json');
    return c.json({ table, ...(await checkedFilter(c.env, connection, table, filter)) });
  })
  .get('/:id/fields/:table', async (c) => {
    const connection = await connectedConnection(c.env, c.var.tenant.id, c.req.param('id'));
    const table = tableParam(c.req.param('table'));
    const fields = await describeFields(c.env.DB, connection.id, TABLES[table].source, () => integrationSession(c.env, connection));
    return c.json({
      table,
      source: TABLES[table].source,
      columns: TABLES[table].columns
        .filter((column) => !column.system)
        .map((column) => ({
          name: column.name,
          label: column.label,
          type: column.type,
          primaryKey: column.primaryKey ?? false,
          defaultField: DEFAULT_MAPPINGS[table][column.name] ?? null,
          compatible: compatibleFields(column, fields).map((f) => ({ name: f.name, label: f.label, type: f.type, permissionable: f.permissionable ?? false })),
        })),
    });
  })

  .post('/:id/fields/refresh', jsonBody(AdminSessionRequestSchema), async (c) => {
    const connection = await connectedConnection(c.env, c.var.tenant.id, c.req.param('id'));
    const opened = await openAdminSession(c.req.valid('json').session, c.env.SALESFORCE_DEV_ORIGINS);
    if (opened.orgId !== connection.org_id) throw new AppError('validation_failed', 400, 'The Salesforce session is for another org than this connection.');
    for (const table of DESTINATION_TABLES) await refreshDescribe(c.env.DB, connection.id, TABLES[table].source, opened.admin);
    return c.json({ refreshed: DESTINATION_TABLES.map((t) => TABLES[t].source) });
  })

  .get('/:id/estimate', async (c) => {
    const connection = await connectedConnection(c.env, c.var.tenant.id, c.req.param('id'));
    const tables = (c.req.query('tables') ?? DESTINATION_TABLES.join(',')).split(',').map((t) => tableParam(t.trim()));
    const api = await openApiSession(c.env, connection, Date.now() + 10_000);
    let counted: Map<string, number>;
    try {
      counted = await countRecords(api, tables.map((table) => TABLES[table].source));
    } catch (error) {
      if (!(error instanceof SalesforceError || error instanceof MalformedResponse)) throw error;
      throw new AppError('salesforce_error', 502, `Salesforce did not count the records (${error.message}). Try again in a moment.`);
    }
    const counts = tables.map((table) => ({ table, records: counted.get(TABLES[table].source)! }));
    if (api.usage) await saveApiUsageStatement(c.env.DB, connection.id, api.usage, new Date().toISOString()).run();
    const usage = api.usage ?? (await apiUsageOf(c.env.DB, connection.id)) ?? null;
    return c.json({
      tables: counts,
      firstSyncApiCalls: firstSyncApiCalls(counts),
      firstSyncApiCallsNote: ESTIMATE_NOTE,
      quietTickApiCalls: 1,
      usage: usage ? { used: usage.used, max: usage.max } : null,
    });
  });
