/**
 * The Hono app: CORS for the extension, API-key auth on everything but health, one resource per router, and the
 * error handler that turns `AppError`s into `{ "error": { "code", "message" } }` and anything else into a logged 500.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { AppError } from './errors';
import { extensionOrigins } from './middleware/extension-origins';
import { requireApiKey } from './middleware/require-api-key';
import { agentAccess, agentCredentials } from './routes/agent-credentials';
import { connectionData } from './routes/connection-data';
import { connectorRejects } from './routes/connector-rejects';
import { connections } from './routes/connections';
import { connectors } from './routes/connectors';
import { dataverseConnections } from './routes/dataverse-connections';
import { health } from './routes/health';
import { mcp } from './routes/mcp';
import { oauth, wellKnown } from './routes/oauth';
import { tenant } from './routes/tenant';

export const app = new Hono<AppEnv>();

app.use('/api/*', extensionOrigins());
app.route('/api/health', health);
app.use('/api/*', requireApiKey());
app.route('/api/tenant', tenant);
app.route('/api/connections', connections);
app.route('/api/connections', connectionData);
app.route('/api/connectors', connectors);
app.route('/api/connectors', connectorRejects);
app.route('/api/agent-credentials', agentCredentials);
app.route('/api/agent-access', agentAccess);
// Agents: /mcp takes agent credentials only (never the tenant API key), /oauth/token issues access tokens for them.
app.route('/mcp', mcp);
app.route('/oauth', oauth);
app.route('/.well-known', wellKnown);
app.route('/api/dataverse-connections', dataverseConnections);

app.notFound((c) =>
  c.json({ error: { code: 'not_found', message: `There is no ${c.req.method} ${new URL(c.req.url).pathname}. See README.md for the API routes.` } }, 404),
);

app.onError(function handleError(error, c) {
  if (error instanceof AppError) return c.json(error.toBody(), error.status);
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own 4xx (e.g. a body over the limit): keep its status, in our shape.
    return c.json({ error: { code: 'bad_request', message: error.message || 'The request could not be processed.' } }, error.status);
  }
  console.error(`unhandled error on ${c.req.method} ${c.req.path}`, error);
  return c.json({ error: { code: 'internal_error', message: 'Something went wrong in the Worker. It has been logged; try again, and if it persists check the Worker logs.' } }, 500);
});
