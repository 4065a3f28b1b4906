/**
 * OAuth 2.0 JWT bearer flow: the Worker signs an assertion with the client app's private key and Salesforce
 * answers with an access token for the integration user, with no password and no one signed in.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { SignJWT, importPKCS8 } from 'jose';
import { z } from 'zod';
import { SalesforceError } from './errors';
import type { SalesforceOrigin } from './origins';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtBearerRequest {
  org: SalesforceOrigin;
  /** https://login.salesforce.com, or https://test.salesforce.com for sandboxes */
  audience: string;
  consumerKey: string;
  username: string;
  privateKeyPem: string;
  /** aborts the token request (the invocation's deadline) */
  signal?: AbortSignal;
  /** the caller's clock (the sync's invocation time); the assertion expires 3 minutes after it */
  now?: Date;
}

export interface IntegrationToken {
  accessToken: string;
  instanceUrl: string;
  userIdUrl: string;
}

export async function requestIntegrationToken(request: JwtBearerRequest): Promise<IntegrationToken> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(request.consumerKey)
    .setSubject(request.username)
    .setAudience(request.audience)
    // Salesforce accepts assertions that expire within 3 minutes.
    .setExpirationTime(Math.floor((request.now?.getTime() ?? Date.now()) / 1000) + 180)
    .sign(await importPKCS8(request.privateKeyPem, 'RS256'));

  // The token endpoint on the org's own My Domain: a redirect from login.salesforce.com would drop the body. One
  // fetch (not jsforce's OAuth2) so the request carries the caller's deadline and every answer keeps its status.
  const response = await fetch(new URL('/services/oauth2/token', request.org.address), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
    signal: request.signal,
  });
  const text = await response.text();
  const body = safeJson(text);
  const token = TokenSchema.safeParse(body);
  if (response.ok && token.success) {
    return { accessToken: token.data.access_token, instanceUrl: token.data.instance_url, userIdUrl: token.data.id };
  }
  throw tokenError(response.status, body, text);
}

// A JWT bearer failure is a standard OAuth error answer, `{ "error", "error_description" }`
// (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm); a server error may be REST's
// `[{ "errorCode", "message" }]` or not JSON at all. Each is reported with what it said and its HTTP status.
const TokenSchema = z.object({ access_token: z.string().min(1), instance_url: z.string(), id: z.string() });
const OAuthErrorSchema = z.object({ error: z.string().min(1), error_description: z.string().optional() });
const RestErrorSchema = z.array(z.object({ errorCode: z.string(), message: z.string() })).min(1);

function tokenError(status: number, body: unknown, text: string): SalesforceError {
  const oauth = OAuthErrorSchema.safeParse(body);
  if (oauth.success) return new SalesforceError(oauth.data.error, oauth.data.error_description || oauth.data.error, status);
  const rest = RestErrorSchema.safeParse(body);
  if (rest.success) return new SalesforceError(rest.data[0]!.errorCode, rest.data[0]!.message, status);
  const said = text.trim().slice(0, 200) || 'an empty body';
  if (status >= 200 && status < 300) return new SalesforceError('MALFORMED_RESPONSE', `The token endpoint answered ${status} without an access token: ${said}.`, 502);
  return new SalesforceError(`ERROR_HTTP_${status}`, `The token endpoint answered HTTP ${status}: ${said}.`, status);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
