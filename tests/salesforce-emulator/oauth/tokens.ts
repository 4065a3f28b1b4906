/**
 * What every successful grant answers with: `{access_token, refresh_token?, signature, scope, instance_url, id,
 * token_type, issued_at}` (oauth/token_response_password_flow.postman.json, restforce-mit/auth_success_response.json),
 * and Salesforce's OAuth error body `{"error": …, "error_description": …}` (restforce-mit/auth_error_response.json).
 * `signature` is the HMAC-SHA256 of `id + issued_at` keyed with the consumer secret, as Salesforce computes it.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { createHmac } from 'node:crypto';
import type { Org } from '../org/org';
import type { ClientApp } from '../org/apps';

export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const oauthErrors = {
  unknownClient: () => new OAuthError('invalid_client_id', 'client identifier invalid'),
  badSecret: () => new OAuthError('invalid_client', 'invalid client credentials'),
  invalidAssertion: () => new OAuthError('invalid_grant', 'invalid assertion'),
  badAudience: () => new OAuthError('invalid_grant', 'audience is invalid'),
  expiredAssertion: () => new OAuthError('invalid_grant', 'expired authorization code'),
  notApproved: () => new OAuthError('invalid_grant', "user hasn't approved this consumer"),
  notAdminApproved: () => new OAuthError('invalid_app_access', 'user is not admin approved to access this app'),
  inactiveUser: () => new OAuthError('invalid_grant', 'inactive user'),
  invalidCode: () => new OAuthError('invalid_grant', 'invalid authorization code'),
  expiredCode: () => new OAuthError('invalid_grant', 'expired authorization code'),
  badVerifier: () => new OAuthError('invalid_grant', 'invalid code verifier'),
  redirectMismatch: () => new OAuthError('invalid_grant', 'redirect_uri must match configuration'),
  expiredRefresh: () => new OAuthError('invalid_grant', 'expired access/refresh token'),
  unsupportedGrant: () => new OAuthError('unsupported_grant_type', 'grant type not supported'),
};

/** ECA/Connected App scope names (`Api`, `RefreshToken`, …) as OAuth scope strings (`api`, `refresh_token`, …). */
export function scopeString(app: ClientApp): string {
  const map: Record<string, string> = { api: 'api', refreshtoken: 'refresh_token', offlineaccess: 'refresh_token', web: 'web', full: 'full', openid: 'openid', basic: 'id', id: 'id', chatter: 'chatter_api' };
  const scopes = app.scopes.map((s) => map[s.replace(/[\s_]/g, '').toLowerCase()] ?? s.toLowerCase());
  return [...new Set(scopes.length > 0 ? scopes : ['api'])].join(' ');
}

export function identityUrl(base: string, org: Org, userId: string): string {
  return `${base}/id/${org.orgId}/${userId}`;
}

export function tokenResponse(org: Org, app: ClientApp | undefined, base: string, session: { token: string; userId: string; scope: string; issuedAt: number }, refreshToken?: string): Record<string, string> {
  const id = identityUrl(base, org, session.userId);
  const issuedAt = String(session.issuedAt);
  const signature = createHmac('sha256', app?.consumerSecret ?? org.orgId).update(id + issuedAt).digest('base64');
  return {
    access_token: session.token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature,
    scope: session.scope,
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
