/**
 * `/api/connections`: the server-to-server connection of each Salesforce org a tenant connects.
 *
 *   GET    /                        the tenant's connections (`?instanceUrl=` for one org)
 *   GET    /:id                     one connection with its steps
 *   POST   /                        Turn on access        { session }
 *   POST   /:id/advance             carry the current operation on / retry it   { session }
 *   POST   /:id/turn-off            Turn off access       { session }
 *   POST   /:id/reconnect           Recreate connection   { session }
 *   POST   /:id/update-permissions  fix the permission set in place   { session }
 *   POST   /:id/verify              drift check as the integration user (no session needed)
 *
 * Operations with a session run for a bounded time per request; the answer's `done` says whether to call
 * `advance` again. The session is used during the request only.
 */
import { Hono } from 'hono';
import { AdminSessionRequestSchema, type ConnectionOperation } from '../../../shared/api';
import type { AppEnv } from '../app-env';
import { requiredAccessFor } from '../connectors/required-access';
import { type ConnectionRow, findConnection, findLiveConnectionForOrg, findTenantConnectionForOrg, insertConnection, listConnections, listSteps, updateConnection } from '../db/connections';
import { AppError } from '../errors';
import { openAdminSession } from '../salesforce/provisioning/admin-session';
import { connectionView } from '../salesforce/provisioning/connection-view';
import { APP_NAME, PERMISSION_SET_NAME, integrationUsername } from '../salesforce/provisioning/names';
import { runOperation } from '../salesforce/provisioning/run-operation';
import { verifyDrift } from '../salesforce/provisioning/verify-drift';
import { jsonBody } from '../validation';

const session = jsonBody(AdminSessionRequestSchema);

/** The origin of the `instanceUrl` filter, or a 400 that says what to send. */
function originOf(instanceUrl: string): string {
  if (!URL.canParse(instanceUrl)) {
    throw new AppError('validation_failed', 400, `instanceUrl "${instanceUrl.slice(0, 200)}" is not a URL. Send the org's My Domain URL, e.g. https://acme.my.salesforce.com.`);
  }
  return new URL(instanceUrl).origin;
}

async function view(db: D1Database, row: ConnectionRow) {
  return connectionView(row, await listSteps(db, row.id));
}

async function connectionOf(c: { env: Env; var: { tenant: { id: string } }; req: { param(name: 'id'): string } }): Promise<ConnectionRow> {
  const row = await findConnection(c.env.DB, c.var.tenant.id, c.req.param('id'));
  if (!row) throw new AppError('connection_not_found', 404, 'There is no such connection for your tenant. Reload the panel to see your connections.');
  return row;
}

const ALLOWED_FROM: Record<ConnectionOperation, ConnectionRow['status'][]> = {
  turn_on: ['off'],
  reconnect: ['connected', 'failed'],
  update_permissions: ['connected', 'failed'],
  turn_off: ['connected', 'failed', 'provisioning'],
};

export const connections = new Hono<AppEnv>()
  .get('/', async (c) => {
    const rows = await listConnections(c.env.DB, c.var.tenant.id);
    const instanceUrl = c.req.query('instanceUrl');
    const wanted = instanceUrl === undefined ? rows : rows.filter((row) => row.instance_url === originOf(instanceUrl));
    return c.json(await Promise.all(wanted.map((row) => view(c.env.DB, row))));
  })

  .get('/:id', async (c) => c.json(await view(c.env.DB, await connectionOf(c))))

  .post('/', session, async (c) => {
    const opened = await openAdminSession(c.req.valid('json').session, c.env.SALESFORCE_DEV_ORIGINS);
    const tenantId = c.var.tenant.id;
    const holder = await findLiveConnectionForOrg(c.env.DB, opened.orgId);
    if (holder && holder.tenant_id !== tenantId) {
      throw new AppError(
        'org_connected_elsewhere',
        409,
        `This Salesforce org (${opened.orgId}) is already connected to another Forcebridge tenant. An org belongs to one tenant: turn access off there first, or use that tenant's API key.`,
      );
    }
    if (holder && holder.status !== 'off') return c.json(await view(c.env.DB, holder), 200);

    let row = await findTenantConnectionForOrg(c.env.DB, tenantId, opened.orgId);
    if (!row) {
      try {
        await insertConnection(c.env.DB, {
          id: crypto.randomUUID(),
          tenant_id: tenantId,
          org_id: opened.orgId,
          instance_url: opened.org.origin,
          login_audience: opened.isSandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
          status: 'provisioning',
          operation: 'turn_on',
          app_name: APP_NAME,
          integration_username: integrationUsername(opened.orgId),
          permission_set_name: PERMISSION_SET_NAME,
        });
      } catch (error) {
        // Another tenant connected the org between our check and this insert: the unique index decided.
        if (error instanceof Error && /UNIQUE/i.test(error.message)) {
          throw new AppError('org_connected_elsewhere', 409, `This Salesforce org (${opened.orgId}) was just connected by another Forcebridge tenant. An org belongs to one tenant.`);
        }
        throw error;
      }
      row = (await findTenantConnectionForOrg(c.env.DB, tenantId, opened.orgId))!;
    } else {
      await updateConnection(c.env.DB, row.id, { instance_url: opened.org.origin });
      row.instance_url = opened.org.origin;
    }
    await runOperation({
      env: c.env,
      connection: row,
      start: 'turn_on',
      admin: opened.admin,
      adminIdentity: opened.identity,
      org: opened.org,
      requiredAccess: await requiredAccessFor(c.env.DB, row.id),
    });
    return c.json(await view(c.env.DB, row), 201);
  })

  .post('/:id/advance', session, async (c) => {
    const row = await connectionOf(c);
    if (row.status === 'connected' || row.status === 'off') return c.json(await view(c.env.DB, row));
    return c.json(await runWithSession(c.env, row, c.req.valid('json').session, undefined));
  })

  .post('/:id/turn-off', session, async (c) => c.json(await runWithSession(c.env, await connectionOf(c), c.req.valid('json').session, 'turn_off')))
  .post('/:id/reconnect', session, async (c) => c.json(await runWithSession(c.env, await connectionOf(c), c.req.valid('json').session, 'reconnect')))
  .post('/:id/update-permissions', session, async (c) =>
    c.json(await runWithSession(c.env, await connectionOf(c), c.req.valid('json').session, 'update_permissions')),
  )

  .post('/:id/verify', async (c) => {
    const row = await connectionOf(c);
    if (row.status !== 'connected') {
      throw new AppError('connection_not_connected', 409, `The connection is ${row.status}; only a connected connection can be verified.`);
    }
    return c.json(await view(c.env.DB, await verifyDrift(c.env, row)));
  });

/** Starts `operation` (or continues the current one) with the admin's session for this request. */
async function runWithSession(env: Env, row: ConnectionRow, sessionBody: Parameters<typeof openAdminSession>[0], operation: ConnectionOperation | undefined) {
  const opened = await openAdminSession(sessionBody, env.SALESFORCE_DEV_ORIGINS);
  if (opened.orgId !== row.org_id) {
    throw new AppError('validation_failed', 400, `The Salesforce session is for org ${opened.orgId}, but this connection is for org ${row.org_id}. Open Setup of the right org and try again.`);
  }
  if (operation) {
    if (!ALLOWED_FROM[operation].includes(row.status)) {
      throw new AppError('connection_operation_not_allowed', 409, `The connection is ${row.status}, so it cannot ${operation.replace('_', ' ')} now. Wait for the current operation to finish or retry it.`);
    }
  }
  await runOperation({ env, connection: row, start: operation, admin: opened.admin, adminIdentity: opened.identity, org: opened.org, requiredAccess: await requiredAccessFor(env.DB, row.id) });
  return view(env.DB, row);
}
