/**
 * OAuth 2.0 for agents that cannot hold a static key (Agentforce, Copilot Studio): the client credentials grant
 * (RFC 6749 §4.4) with the agent credential's id as `client_id` and its key as `client_secret`, in the body or HTTP
 * Basic (§2.3.1). Errors use OAuth's own shape (§5.2), not the API's, because OAuth clients parse them.
 * Beside it, the discovery documents MCP clients read: protected-resource metadata (RFC 9728) and authorization
 * server metadata (RFC 8414).
 */
import { Hono } from 'hono';
import { issueAccessToken } from '../agent/access-tokens';
import { principalForKey } from '../agent/credentials';

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'unsupported_response_type';

const oauthError = (error: OAuthError, description: string, status: 400 | 401) =>
  Response.json({ error, error_description: description }, { status, headers: { 'Cache-Control': 'no-store', ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="forcebridge"' } : {}) } });

export const oauth = new Hono<{ Bindings: Env }>()
  // Only client credentials are offered. RFC 8414 lets the metadata leave the authorization endpoint out then, but
  // MCP clients (the official SDK among them) insist on one; this one says plainly that there is no interactive flow.
  .all('/authorize', () => oauthError('unsupported_response_type', 'Forcebridge issues tokens only through the client credentials grant at /oauth/token; there is no interactive sign-in.', 400))
  .post('/token', async (c) => {
  if (!(c.req.header('Content-Type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError('invalid_request', 'Send the token request as application/x-www-form-urlencoded (grant_type=client_credentials).', 400);
  }
  const form = new URLSearchParams(await c.req.text());
  let clientId = form.get('client_id');
  let clientSecret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '');
  if (basic) {
    // RFC 6749 §2.3.1: client_id:client_secret, each form-urlencoded, then base64.
    try {
      const decoded = atob(basic[1]!);
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error('no colon');
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      return oauthError('invalid_request', 'The Basic authorization header must be base64 of client_id:client_secret (each URL-encoded).', 400);
    }
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.', 400);
  }
  const scope = form.get('scope');
  if (scope && scope.split(' ').some((s) => s !== 'mcp')) return oauthError('invalid_scope', 'The only scope is "mcp".', 400);
  if (!clientId || !clientSecret) {
    return oauthError('invalid_client', 'Send the agent credential\'s id as client_id and its key as client_secret.', 401);
  }
  const agent = await principalForKey(c.env.DB, clientSecret);
  if (!agent || agent.credentialId !== clientId) {
    return oauthError('invalid_client', 'These client credentials are not valid or have been revoked. Create an agent credential in the Forcebridge panel (Agent access).', 401);
  }
  const { accessToken, expiresIn } = await issueAccessToken(c.env.ENCRYPTION_KEY, new URL(c.req.url).origin, agent.credentialId);
  return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: 'mcp' }, 200, { 'Cache-Control': 'no-store' });
});

/** RFC 9728 §3: at the root, and with the resource's path appended (what MCP clients try first). */
export const wellKnown = new Hono<{ Bindings: Env }>()
  .get('/oauth-protected-resource/mcp', (c) => c.json(protectedResource(new URL(c.req.url).origin)))
  .get('/oauth-protected-resource', (c) => c.json(protectedResource(new URL(c.req.url).origin)))
  .get('/oauth-authorization-server', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({
      issuer: origin,
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['mcp'],
      response_types_supported: [],
    });
  });

const protectedResource = (origin: string) => ({
  resource: `${origin}/mcp`,
  authorization_servers: [origin],
  bearer_methods_supported: ['header'],
  scopes_supported: ['mcp'],
  resource_name: 'Forcebridge (read-only Salesforce data)',
});
