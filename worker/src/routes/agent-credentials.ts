/**
 * `/api/agent-credentials` (create, list with last use, revoke) and `/api/agent-access` (what the panel's "Agent
 * access" section shows: endpoint, credentials, live-tools switch per connection, recent calls). Admin routes: they
 * take the tenant API key; agent credentials themselves never work here.
 */
import { Hono } from 'hono';
import { AgentCredentialInputSchema, LiveToolsInputSchema, type AgentAccess, type AgentCall } from '../../../shared/agent-api';
import { createAgentCredential, listAgentCredentials, revokeAgentCredential } from '../agent/credentials';
import type { AppEnv } from '../app-env';
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

interface CallRow {
  called_at: string;
  credential_id: string;
  credential_name: string | null;
  tool: string;
  arguments: string;
  outcome: AgentCall['outcome'];
  error_message: string | null;
  rows_returned: number;
  duration_ms: number;
  salesforce_api_calls: number;
}

export const agentAccess = new Hono<AppEnv>()
  .get('/', async (c) => {
    const db = c.env.DB;
    const tenantId = c.var.tenant.id;
    const origin = new URL(c.req.url).origin;
    const [credentials, connections, calls] = await Promise.all([
      listAgentCredentials(db, tenantId),
      db
        .prepare(
          `SELECT c.id, c.instance_url, l.connection_id IS NOT NULL AS enabled FROM connections c
             LEFT JOIN agent_live_tools l ON l.connection_id = c.id WHERE c.tenant_id = ?1 AND c.status <> 'off' ORDER BY c.created_at`,
        )
        .bind(tenantId)
        .all<{ id: string; instance_url: string; enabled: number }>(),
      db
        .prepare(
          `SELECT a.*, k.name AS credential_name FROM agent_calls a LEFT JOIN agent_credentials k ON k.id = a.credential_id
            WHERE a.tenant_id = ?1 ORDER BY a.id DESC LIMIT 50`,
        )
        .bind(tenantId)
        .all<CallRow>(),
    ]);
    const lastUsed = credentials.map((k) => k.lastUsedAt).filter((v): v is string => !!v).sort().at(-1) ?? null;
    const body: AgentAccess = {
      enabled: credentials.some((k) => !k.revokedAt),
      mcpUrl: `${origin}/mcp`,
      tokenUrl: `${origin}/oauth/token`,
      lastUsedAt: lastUsed,
      credentials,
      liveTools: connections.results.map((r) => ({ connectionId: r.id, instanceUrl: r.instance_url, enabled: r.enabled === 1 })),
      recentCalls: calls.results.map((r) => ({
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
    const owned = await db.prepare('SELECT id FROM connections WHERE id = ?1 AND tenant_id = ?2').bind(connectionId, c.var.tenant.id).first();
    if (!owned) throw new AppError('connection_not_found', 404, `There is no connection ${connectionId} in this tenant. List them with GET /api/connections.`);
    if (c.req.valid('json').enabled) {
      await db
        .prepare('INSERT INTO agent_live_tools (connection_id, tenant_id, enabled_at) VALUES (?1, ?2, ?3) ON CONFLICT (connection_id) DO NOTHING')
        .bind(connectionId, c.var.tenant.id, new Date().toISOString())
        .run();
    } else {
      await db.prepare('DELETE FROM agent_live_tools WHERE connection_id = ?1').bind(connectionId).run();
    }
    return c.json({ connectionId, enabled: c.req.valid('json').enabled });
  });
