/**
 * `/api/agent-credentials` (create, list with last use, revoke) and `/api/agent-access` (what the panel's "Agent
 * access" section shows: endpoint, credentials, live-tools switch per connection, recent calls). Admin routes: they
 * take the tenant API key; agent credentials themselves never work here.
 */
import { Hono } from 'hono';
import { AgentCredentialInputSchema, LiveToolsInputSchema, type AgentAccess } from '../../../shared/agent-api';
import { createAgentCredential, listAgentCredentials, revokeAgentCredential } from '../agent/credentials';
import type { AppEnv } from '../app-env';
import { recentAgentCalls } from '../db/agent-calls';
import { disableLiveTools, enableLiveTools, liveToolsByConnection } from '../db/agent-live-tools';
import { tenantHasConnection } from '../db/connections';
import { AppError } from '../errors';
import { jsonBody } from '../validation';

const credentialNotFound = (id: string) =>
  new AppError('agent_credential_not_found', 404, `There is no agent credential ${id} in this tenant. List them with GET /api/agent-credentials.`);

export const agentCredentials = new Hono<AppEnv>()
  .post('/', jsonBody(AgentCredentialInputSchema), async (c) => {
    const created = await createAgentCredential(c.env.DB, c.var.tenant.id, c.req.valid('json').name);
    return c.json(created, 201, { 'Cache-Control': 'no-store' });
  })
  .get('/', async (c) => c.json(await listAgentCredentials(c.env.DB, c.var.tenant.id)))
  .delete('/:id', async (c) => {
    const revoked = await revokeAgentCredential(c.env.DB, c.var.tenant.id, c.req.param('id'));
    if (!revoked) throw credentialNotFound(c.req.param('id'));
    return c.json(revoked);
  });

export const agentAccess = new Hono<AppEnv>()
  .get('/', async (c) => {
    const db = c.env.DB;
    const tenantId = c.var.tenant.id;
    const origin = new URL(c.req.url).origin;
    const [credentials, connections, calls] = await Promise.all([
      listAgentCredentials(db, tenantId),
      liveToolsByConnection(db, tenantId),
      recentAgentCalls(db, tenantId),
    ]);
    const lastUsed = credentials.map((k) => k.lastUsedAt).filter((v): v is string => !!v).sort().at(-1) ?? null;
    const body: AgentAccess = {
      enabled: credentials.some((k) => !k.revokedAt),
      mcpUrl: `${origin}/mcp`,
      tokenUrl: `${origin}/oauth/token`,
      lastUsedAt: lastUsed,
      credentials,
      liveTools: connections.map((r) => ({ connectionId: r.id, instanceUrl: r.instance_url, enabled: r.enabled === 1 })),
      recentCalls: calls.map((r) => ({
        calledAt: r.called_at,
        credentialId: r.credential_id,
        credentialName: r.credential_name,
        tool: r.tool,
        arguments: r.arguments,
        outcome: r.outcome,
        errorMessage: r.error_message,
        rowsReturned: r.rows_returned,
        durationMs: r.duration_ms,
        salesforceApiCalls: r.salesforce_api_calls,
      })),
    };
    return c.json(body);
  })
  .put('/live-tools/:connectionId', jsonBody(LiveToolsInputSchema), async (c) => {
    const db = c.env.DB;
    const connectionId = c.req.param('connectionId');
    if (!(await tenantHasConnection(db, c.var.tenant.id, connectionId))) throw new AppError('connection_not_found', 404, `There is no connection ${connectionId} in this tenant. List them with GET /api/connections.`);
    if (c.req.valid('json').enabled) {
      await enableLiveTools(db, c.var.tenant.id, connectionId, new Date().toISOString());
    } else {
      await disableLiveTools(db, connectionId);
    }
    return c.json({ connectionId, enabled: c.req.valid('json').enabled });
  });
