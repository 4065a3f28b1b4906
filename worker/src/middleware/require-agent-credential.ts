/**
 * `/mcp` needs an agent credential: its key (`Authorization: Bearer fba_…`) or an access token from `/oauth/token`.
 * A tenant API key is refused here on purpose: an admin key never needs to go to an agent, and an agent that holds
 * one could do everything the admin can. A 401 carries `WWW-Authenticate` with the protected-resource metadata URL
 * (RFC 9728 §5.1), which is how MCP clients discover where to get a token:
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
import { createMiddleware } from 'hono/factory';
import { looksLikeApiKey } from '../api-keys';
import { looksLikeJwt, verifyAccessToken } from '../agent/access-tokens';
import { type AgentPrincipal, principalForId, principalForKey } from '../agent/credentials';

export interface McpEnv {
  Bindings: Env;
  Variables: { agent: AgentPrincipal };
}

export const protectedResourceMetadataUrl = (origin: string) => `${origin}/.well-known/oauth-protected-resource/mcp`;

export function requireAgentCredential() {
  return createMiddleware<McpEnv>(async function requireAgentCredential(c, next) {
    const origin = new URL(c.req.url).origin;
    const refuse = (error: 'invalid_request' | 'invalid_token', message: string) => {
      const challenge = [`Bearer resource_metadata="${protectedResourceMetadataUrl(origin)}"`, `scope="mcp"`];
      if (c.req.header('Authorization')) challenge.push(`error="${error}"`, `error_description="${message.replace(/"/g, "'")}"`);
      return c.json({ error: { code: 'unauthorized', message } }, 401, { 'WWW-Authenticate': challenge.join(', ') });
    };
    const header = c.req.header('Authorization');
    if (!header) return refuse('invalid_request', 'No agent credential was sent. Create one in the Forcebridge panel (Agent access) and send Authorization: Bearer <key>, or get an access token from /oauth/token.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return refuse('invalid_request', 'The Authorization header must be "Bearer <agent key or access token>".');
    const credential = match[1]!;

    let agent: AgentPrincipal | undefined;
    if (looksLikeApiKey(credential)) {
      return refuse('invalid_token', 'This is a tenant API key, which never works on /mcp. Create an agent credential in the Forcebridge panel (Agent access) and give the agent that instead.');
    } else if (looksLikeJwt(credential)) {
      const check = await verifyAccessToken(c.env.ENCRYPTION_KEY, origin, credential);
      if (!check.ok) {
        return refuse('invalid_token', check.reason === 'expired' ? 'The access token has expired. Get a new one from /oauth/token with the client credentials.' : 'The access token is not valid here. Get one from this Worker\'s /oauth/token.');
      }
      agent = await principalForId(c.env.DB, check.credentialId);
    } else {
      agent = await principalForKey(c.env.DB, credential);
    }
    if (!agent) return refuse('invalid_token', 'This agent credential is not valid or has been revoked. Create a new one in the Forcebridge panel (Agent access).');
    c.set('agent', agent);
    await next();
  });
}

/** Keeps agent credentials off `/api`: said plainly instead of "not a valid API key". */
export const isAgentCredential = (value: string) => value.startsWith('fba_') || looksLikeJwt(value);
