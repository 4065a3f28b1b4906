/**
 * The web-server (authorization code) flow with PKCE, and refresh tokens. For tests the authorize endpoint needs no
 * login page: it approves at once as the admin (or as the user named by `login_hint`) and redirects back with a
 * code. The code is single-use, lives 15 minutes, and must come back with the same client id and redirect URI and,
 * when a challenge was sent, the verifier whose S256 hash matches it (S256 is assumed when no method is named).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { createHash } from 'node:crypto';
import type { Org } from '../org/org';
import { appByConsumerKey, isAuthorizedFor, type ClientApp } from '../org/apps';
import { OAuthError, oauthErrors, scopeString } from './tokens';

const CODE_LIFETIME_MS = 15 * 60 * 1000;

export type AuthorizeRequest = {
  responseType?: string;
  clientId?: string;
  redirectUri?: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  loginHint?: string;
};

/** The redirect to send the browser to, or an error to show on Salesforce's own page (no trusted redirect). */
export function authorize(org: Org, request: AuthorizeRequest): { redirect: string } | { page: OAuthError } {
  const app = request.clientId ? appByConsumerKey(org, request.clientId) : undefined;
  if (!app || !app.enabled) return { page: oauthErrors.unknownClient() };
  if (!request.redirectUri || !app.callbackUrls.includes(request.redirectUri)) return { page: new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration') };
  const back = new URL(request.redirectUri);
  const fail = (error: string, description: string) => {
    back.searchParams.set('error', error);
    back.searchParams.set('error_description', description);
    if (request.state) back.searchParams.set('state', request.state);
    return { redirect: back.toString() };
  };
  if (request.responseType !== 'code') return fail('unsupported_response_type', 'response type not supported');
  if (app.pkceRequired && !request.codeChallenge) return fail('invalid_request', 'missing required code challenge');
  const userIndex = request.loginHint ? org.find('User', { Username: request.loginHint.toLowerCase(), IsActive: true })[0] : undefined;
  const userId = userIndex !== undefined ? org.table('User')?.idOf(userIndex) : org.adminUserId;
  if (!userId) return fail('access_denied', 'end-user denied authorization');
  if (app.adminApproved && !isAuthorizedFor(org, app, userId)) return fail('invalid_app_access', 'user is not admin approved to access this app');
  org.approvals.add(`${app.consumerKey}|${userId}`);
  const code = org.sessions.issueCode({
    userId,
    clientId: app.consumerKey ?? '',
    redirectUri: request.redirectUri,
    scope: scopeString(app),
    codeChallenge: request.codeChallenge,
    // Salesforce hashes with SHA-256 whether or not the client names the method (jsforce doesn't).
    codeChallengeMethod: request.codeChallengeMethod ?? (request.codeChallenge ? 'S256' : undefined),
    expiresAt: org.clock.now() + CODE_LIFETIME_MS,
  });
  back.searchParams.set('code', code.code);
  if (request.state) back.searchParams.set('state', request.state);
  return { redirect: back.toString() };
}

/** The app behind client_id, with the secret checked: wrong → invalid_client; missing → only if the app allows it. */
export function authenticateClient(org: Org, clientId: string | undefined, clientSecret: string | undefined): ClientApp {
  const app = clientId ? appByConsumerKey(org, clientId) : undefined;
  if (!app || !app.enabled) throw oauthErrors.unknownClient();
  if (clientSecret !== undefined ? clientSecret !== app.consumerSecret : !app.consumerSecretOptional) throw oauthErrors.badSecret();
  return app;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function redeemCode(org: Org, params: Record<string, string | undefined>): { app: ClientApp; userId: string; scope: string } {
  const app = authenticateClient(org, params.client_id, params.client_secret);
  const code = params.code ? org.sessions.code(params.code) : undefined;
  if (!code || code.used || code.clientId !== app.consumerKey) throw oauthErrors.invalidCode();
  if (code.expiresAt <= org.clock.now()) throw oauthErrors.expiredCode();
  if (params.redirect_uri !== code.redirectUri) throw oauthErrors.redirectMismatch();
  if (code.codeChallenge) {
    const verifier = params.code_verifier ?? '';
    const expected = code.codeChallengeMethod === 'S256' ? s256(verifier) : verifier;
    if (!verifier || expected !== code.codeChallenge) throw oauthErrors.badVerifier();
  }
  code.used = true;
  return { app, userId: code.userId, scope: code.scope };
}

export function redeemRefreshToken(org: Org, params: Record<string, string | undefined>): { app: ClientApp; userId: string; scope: string } {
  const app = authenticateClient(org, params.client_id, params.client_secret);
  const refresh = params.refresh_token ? org.sessions.refreshToken(params.refresh_token) : undefined;
  if (!refresh || refresh.clientId !== app.consumerKey) throw oauthErrors.expiredRefresh();
  const user = org.locate(refresh.userId);
  if (!user || org.value('User', user.index, 'IsActive') !== true) throw oauthErrors.inactiveUser();
  return { app, userId: refresh.userId, scope: refresh.scope };
}
