/**
 * `/api/connectors/:id/rejects`: the records a connector could not write, and retrying them.
 *
 *   GET  /:id/rejects         the latest 200, with the reason (`?names=true`: each record's name, read from Salesforce)
 *   POST /:id/rejects/retry   `{ table? }`: read them again and write those that convert now (up to 200 per table)
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DESTINATION_TABLES } from '../../../shared/api';
import type { AppEnv } from '../app-env';
import { connectedConnection } from '../connectors/connected-connection';
import { rejectedRecordNames } from '../connectors/rejected-record-names';
import { tenantConnector } from '../connectors/tenant-connector';
import { findConnectionById } from '../db/connections';
import { recentRejects } from '../db/rejects';
import { AppError } from '../errors';
import { retryRejects } from '../sync/retry-rejects';
import { jsonBody } from '../validation';

const RetrySchema = z.object({ table: z.enum(DESTINATION_TABLES).optional() }).strict();

export const connectorRejects = new Hono<AppEnv>()
  .get('/:id/rejects', async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    const names = c.req.query('names');
    if (names !== undefined && names !== 'true' && names !== 'false') throw new AppError('validation_failed', 400, '`names` is true or false.');
    const rejects = await recentRejects(c.env.DB, row.id, 200);
    // Names need the integration user; without a working connection the rejects are listed by Id alone.
    const connection = names === 'true' && rejects.length > 0 ? await findConnectionById(c.env.DB, row.connection_id) : null;
    const named = connection?.status === 'connected' ? await rejectedRecordNames(c.env, connection, rejects) : null;
    return c.json(
      rejects.map((r) => ({ table: r.table_name, salesforceId: r.salesforce_id, name: named?.get(r.salesforce_id) ?? null, reason: r.reason, rejectedAt: r.rejected_at })),
    );
  })

  .post('/:id/rejects/retry', jsonBody(RetrySchema), async (c) => {
    const row = await tenantConnector(c.env, c.var.tenant.id, c.req.param('id'));
    const connection = await connectedConnection(c.env, c.var.tenant.id, row.connection_id);
    const tables = await retryRejects(c.env, row, connection, c.req.valid('json').table);
    return c.json({ tables });
  });
