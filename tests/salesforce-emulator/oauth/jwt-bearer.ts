/**
 * The JWT bearer grant: an RS256 assertion `{iss: consumer key, sub: username, aud, exp}` signed with the private key
 * of the certificate deployed with the client app (ECA global OAuth settings `certificate`, or ConnectedApp
 * `oauthConfig.certificate`). `aud` must be https://login.salesforce.com (https://test.salesforce.com in a sandbox)
 * or the org's own URL; `exp` is checked against the emulator's clock; the user must be active and pre-authorized.
 * Error texts are Salesforce's (invalid_client_id "client identifier invalid", invalid_grant "audience is invalid",
 * "expired authorization code", "user hasn't approved this consumer", "inactive user"); a user the admin-approved
 * app is not pre-authorized for gets invalid_app_access "user is not admin approved to access this app" (the text
 * public tools report from real External Client Apps; the error code is not in Salesforce's published error list).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { compactVerify, decodeJwt, importX509, type JWTPayload } from 'jose';
import type { Org } from '../org/org';
import { appByConsumerKey, isAuthorizedFor, type ClientApp } from '../org/apps';
import { OAuthError, oauthErrors, scopeString } from './tokens';

export type JwtGrant = { app: ClientApp; userId: string; scope: string };

/** Certificates are deployed as PEM; accept a bare base64 body too. */
function pem(certificate: string): string {
  const trimmed = certificate.trim();
  if (trimmed.includes('-----BEGIN CERTIFICATE-----')) return trimmed;
  const body = trimmed.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}

/**
 * The JWT bearer flow documents `aud` as https://login.salesforce.com, https://test.salesforce.com (sandboxes) or an
 * Experience Cloud site URL — not the org's My Domain. `strictJwtAudience: false` also accepts the My Domain and the
 * emulator's own base URL.
 */
function acceptedAudiences(org: Org, base: string): string[] {
  const login = org.isSandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
  const lenient = org.switches.strictJwtAudience ? [] : [`https://${org.myDomain}.my.salesforce.com`, base];
  return [login, ...lenient].map((a) => a.replace(/\/$/, ''));
}

export async function jwtBearerGrant(org: Org, assertion: string | undefined, base: string): Promise<JwtGrant> {
  if (!assertion) throw new OAuthError('invalid_request', 'assertion is required');
  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw oauthErrors.invalidAssertion();
  }
  const app = typeof claims.iss === 'string' ? appByConsumerKey(org, claims.iss) : undefined;
  if (!app || !app.enabled) throw oauthErrors.unknownClient();
  if (!app.certificate) throw oauthErrors.invalidAssertion();
  try {
    const key = await importX509(pem(app.certificate), 'RS256');
    await compactVerify(assertion, key, { algorithms: ['RS256'] });
  } catch {
    throw oauthErrors.invalidAssertion();
  }
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  const accepted = acceptedAudiences(org, base);
  if (!audiences.some((aud) => accepted.includes(aud.replace(/\/$/, '')))) throw oauthErrors.badAudience();
  if (typeof claims.exp !== 'number') throw oauthErrors.invalidAssertion();
  if (claims.exp * 1000 <= org.clock.now()) throw oauthErrors.expiredAssertion();
  const username = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
  const userIndex = org.find('User', { Username: username })[0];
  const userId = userIndex === undefined ? undefined : org.table('User')?.idOf(userIndex);
  if (!userId || userIndex === undefined) throw oauthErrors.invalidAssertion();
  if (org.value('User', userIndex, 'IsActive') !== true) throw oauthErrors.inactiveUser();
  if (!isAuthorizedFor(org, app, userId)) throw app.adminApproved ? oauthErrors.notAdminApproved() : oauthErrors.notApproved();
  return { app, userId, scope: scopeString(app) };
}
