/**
 * Entra ID v2.0 client-credentials tokens for a Dataverse environment, with a client secret or — preferred — a
 * certificate assertion signed by the key the Worker keeps. Tokens are cached per connection until shortly before
 * they expire (client credentials issue no refresh token; a new one is simply requested).
 *  - request and answer: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *  - the assertion (PS256, `x5t#S256`; aud = the token endpoint; iss = sub = client id; jti; nbf/iat/exp, exp at most
 *    10 minutes after nbf): https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 *  - scope `<environment URL>/.default` for server-to-server calls:
 *    https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth
 */
import { SignJWT, importPKCS8 } from 'jose';
import { z } from 'zod';
import { x5tS256 } from './certificate';
import { DataverseError, entraError } from './errors';
import type { DataverseEndpoints } from './hosts';

export type DataverseCredential = { kind: 'secret'; secret: string } | { kind: 'certificate'; certificatePem: string; privateKeyPem: string };

export interface TokenRequest {
  /** Cache key: the connection id (and what it signs in with). */
  cacheKey: string;
  endpoints: DataverseEndpoints;
  tenantId: string;
  clientId: string;
  credential: DataverseCredential;
  timeoutMs: number;
}

const TokenSchema = z.object({ token_type: z.string(), expires_in: z.coerce.number(), access_token: z.string().min(1) });

/** Renew this long before the stated expiry, so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
const cache = new Map<string, { token: string; expiresAt: number }>();

export async function accessToken(request: TokenRequest, now = Date.now()): Promise<string> {
  const cached = cache.get(request.cacheKey);
  if (cached && cached.expiresAt > now) return cached.token;
  const { token, expiresInSeconds } = await requestToken(request, now);
  cache.set(request.cacheKey, { token, expiresAt: now + expiresInSeconds * 1000 - EXPIRY_MARGIN_MS });
  return token;
}

/** Forget a connection's token (after a 401, or when the connection is deleted). */
export function forgetToken(cacheKey: string): void {
  cache.delete(cacheKey);
}

async function requestToken(request: TokenRequest, now: number): Promise<{ token: string; expiresInSeconds: number }> {
  const { endpoints, tenantId, clientId, credential } = request;
  const path = `/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, scope: `${endpoints.environmentUrl}/.default` });
  if (credential.kind === 'secret') {
    form.set('client_secret', credential.secret);
  } else {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await clientAssertion(credential, clientId, `${endpoints.loginOrigin}${path}`, now));
  }
  let response: Response;
  try {
    response = await fetch(`${endpoints.loginAddress}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw networkError(error, 'Entra ID', request.timeoutMs);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, 'Entra ID', request.timeoutMs);
  }
  if (!response.ok) throw entraError(response.status, text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = TokenSchema.safeParse(body);
  if (!parsed.success) throw new DataverseError('entra', 502, 'malformed_token_response', 'Entra ID answered the token request with a body that is not a token.');
  return { token: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}

async function clientAssertion(credential: Extract<DataverseCredential, { kind: 'certificate' }>, clientId: string, audience: string, now: number): Promise<string> {
  const key = await importPKCS8(credential.privateKeyPem, 'PS256');
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': await x5tS256(credential.certificatePem) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(crypto.randomUUID())
    .setNotBefore(issuedAt)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 10 * 60)
    .sign(key);
}

export function networkError(error: unknown, what: string, timeoutMs: number): DataverseError {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new DataverseError('network', 504, 'timeout', `${what} did not answer within ${timeoutMs / 1000} seconds.`);
  }
  return new DataverseError('network', 502, 'unreachable', `${what} could not be reached (${error instanceof Error ? error.message : String(error)}).`);
}
