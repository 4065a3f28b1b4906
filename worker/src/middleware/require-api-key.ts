/**
 * Every `/api` route but health needs `Authorization: Bearer <tenant API key>`. The key's tenant is put on the
 * context, and every query downstream is scoped by it.
 */
import { createMiddleware } from 'hono/factory';
import { hashApiKey, looksLikeApiKey } from '../api-keys';
import type { AppEnv } from '../app-env';
import { findTenantByKeyHash } from '../db/tenants';
import { AppError, unauthorized } from '../errors';
import { isAgentCredential } from './require-agent-credential';

export function requireApiKey() {
  return createMiddleware<AppEnv>(async function requireApiKey(c, next) {
    const header = c.req.header('Authorization');
    if (!header) {
      throw unauthorized('No API key was sent. Set your tenant API key in the Forcebridge options (Authorization: Bearer <key>).');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('The Authorization header must be "Bearer <tenant API key>".');
    const key = match[1]!;
    if (isAgentCredential(key)) {
      throw new AppError('agent_credential_wrong_route', 401, 'This is an agent credential: it works only on /mcp. The /api routes need the tenant API key.');
    }
    const tenant = looksLikeApiKey(key) ? await findTenantByKeyHash(c.env.DB, await hashApiKey(key)) : undefined;
    if (!tenant) {
      throw unauthorized('This API key is not valid or has been revoked. Create a new one with `npm run tenant -- create` and set it in the Forcebridge options.');
    }
    c.set('tenant', tenant);
    await next();
  });
}
