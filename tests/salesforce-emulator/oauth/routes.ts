/**
 * The OAuth endpoints under `/services/oauth2/`: `token` (JWT bearer, authorization code with PKCE, refresh token),
 * `authorize` (auto-approving, see web-server.ts), `revoke` and `userinfo`, plus the identity URL `/id/{org}/{user}`.
 * Token calls don't count toward the API allowance.
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { baseUrl, bearerToken, sfJson, type AppEnv } from '../http';
import { identity, userinfo } from './identity';
import { jwtBearerGrant } from './jwt-bearer';
import { OAuthError, oauthErrors, tokenResponse } from './tokens';
import { authorize, redeemCode, redeemRefreshToken } from './web-server';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function formParams(request: Request): Promise<Record<string, string | undefined>> {
  const text = await request.text();
  return Object.fromEntries(new URLSearchParams(text));
}

export function oauthRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });

  routes.post('/token', async function token(c) {
    const org = emulator.org;
    const base = baseUrl(c);
    const params = await formParams(c.req.raw);
    try {
      switch (params.grant_type) {
        case JWT_BEARER: {
          const grant = await jwtBearerGrant(org, params.assertion, base);
          const session = org.sessions.issue(grant.userId, org.clock.now(), { clientId: grant.app.consumerKey, scope: grant.scope });
          return sfJson(c, tokenResponse(org, grant.app, base, session));
        }
        case 'authorization_code': {
          const grant = redeemCode(org, params);
          const session = org.sessions.issue(grant.userId, org.clock.now(), { clientId: grant.app.consumerKey, scope: grant.scope });
          const refresh = /refresh_token|full/.test(grant.scope) ? org.sessions.issueRefreshToken(grant.userId, grant.app.consumerKey ?? '', grant.scope).token : undefined;
          return sfJson(c, tokenResponse(org, grant.app, base, session, refresh));
        }
        case 'refresh_token': {
          const grant = redeemRefreshToken(org, params);
          const session = org.sessions.issue(grant.userId, org.clock.now(), { clientId: grant.app.consumerKey, scope: grant.scope });
          return sfJson(c, tokenResponse(org, grant.app, base, session));
        }
        default:
          throw oauthErrors.unsupportedGrant();
      }
    } catch (error) {
      if (error instanceof OAuthError) return sfJson(c, error.body(), error.status);
      throw error;
    }
  });

  routes.get('/authorize', function authorizeEndpoint(c) {
    const outcome = authorize(emulator.org, {
      responseType: c.req.query('response_type'),
      clientId: c.req.query('client_id'),
      redirectUri: c.req.query('redirect_uri'),
      state: c.req.query('state'),
      codeChallenge: c.req.query('code_challenge'),
      codeChallengeMethod: c.req.query('code_challenge_method'),
      loginHint: c.req.query('login_hint'),
    });
    if ('redirect' in outcome) return c.redirect(outcome.redirect, 302);
    return c.html(`<!doctype html><title>Error</title><p>error=${outcome.page.error}&amp;error_description=${outcome.page.description}</p>`, 400);
  });

  routes.post('/revoke', async function revoke(c) {
    const params = await formParams(c.req.raw);
    const token = params.token ?? c.req.query('token');
    if (!token || !emulator.org.sessions.revoke(token)) return sfJson(c, { error: 'unsupported_token_type', error_description: 'this token type is not supported' }, 400);
    return c.body(null, 200);
  });

  routes.get('/userinfo', function userinfoEndpoint(c) {
    const org = emulator.org;
    const token = bearerToken(c);
    const session = token ? org.sessions.use(token, org.clock.now()) : undefined;
    if (!session) return c.text('Bad_OAuth_Token', 403);
    return sfJson(c, userinfo(org, session.userId, baseUrl(c)));
  });

  return routes;
}

/** `GET /id/{orgId}/{userId}`: the identity URL, readable with a session of that org. */
export function identityRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  routes.get('/:orgId/:userId', function identityEndpoint(c) {
    const org = emulator.org;
    const token = bearerToken(c);
    const session = token ? org.sessions.use(token, org.clock.now()) : undefined;
    if (!session) return c.text('Bad_OAuth_Token', 403);
    if (!org.locate(c.req.param('userId')) || c.req.param('orgId').slice(0, 15) !== org.orgId.slice(0, 15)) return c.text('Bad_Id', 404);
    return sfJson(c, identity(org, c.req.param('userId'), baseUrl(c)));
  });
  return routes;
}

