/**
 * `POST /{tenant}/oauth2/v2.0/token`, the client credentials grant
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow) with a client secret or a
 * certificate client assertion (https://learn.microsoft.com/entra/identity-platform/certificate-credentials: an
 * RS256/PS256 JWT whose `x5t` or `x5t#S256` header is the thumbprint of a certificate registered on the app, `iss`
 * and `sub` the client id, `aud` the token endpoint). The scope must be `<environment URL>/.default`. Refusals carry
 * Entra's body (`error`, `error_description` with AADSTS code, trace and correlation ids, `error_codes`, …) as in
 * entra-token-client-credentials.http; `invalid_client` answers 401, as the recorded AADSTS7000215 did.
 */
import { Hono, type Context } from 'hono';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { DataverseEmulator } from '../emulator';
import { newGuid } from '../ids';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The response headers of the recorded real exchange (entra-token-client-credentials.http #2), minus cookies. */
function entraHeaders(): Record<string, string> {
  return {
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
    'Content-Type': 'application/json; charset=utf-8',
    Expires: '-1',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'x-ms-request-id': newGuid(),
    'x-ms-ests-server': '2.1.0 - Dataverse emulator',
  };
}

/** `2026-12-01 23:10:04Z`, the form of Entra's `timestamp`. */
const entraTimestamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

function errorResponse(c: Context, error: EntraError, now: number): Response {
  const traceId = newGuid();
  const correlationId = newGuid();
  const timestamp = entraTimestamp(now);
  const body = {
    error: error.error,
    error_description: `AADSTS${error.code}: ${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  };
  return c.body(JSON.stringify(body), error.status as 400, entraHeaders());
}

const missing = (parameter: string) => new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${parameter}'.`);

export function tokenRoutes(emulator: DataverseEmulator): Hono {
  const routes = new Hono();
  routes.post('/:tenant/oauth2/v2.0/token', async function issueToken(c) {
    const now = emulator.clock.now();
    try {
      return await issue(c, emulator, c.req.param('tenant'), now);
    } catch (error) {
      if (error instanceof EntraError) return errorResponse(c, error, now);
      throw error;
    }
  });
  return routes;
}

async function issue(c: Context, emulator: DataverseEmulator, tenant: string, now: number): Promise<Response> {
  const { directory } = emulator;
  if (!directory.knows(tenant)) {
    throw new EntraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
  }
  if (!/^application\/x-www-form-urlencoded/i.test(c.req.header('content-type') ?? '')) throw missing('grant_type');
  const form = new URLSearchParams(await c.req.text());
  const grantType = form.get('grant_type');
  if (!grantType) throw missing('grant_type');
  if (grantType !== 'client_credentials') throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  const clientId = form.get('client_id');
  if (!clientId) throw missing('client_id');
  const app = directory.app(clientId);
  if (!app) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${directory.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  const scope = form.get('scope');
  if (!scope) throw missing('scope');
  if (!scope.endsWith('/.default') || scope.includes(' ')) {
    throw new EntraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = scope.slice(0, -'/.default'.length).replace(/\/$/, '');
  if (resource.toLowerCase() !== emulator.environment.url.toLowerCase()) {
    throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${directory.domain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }

  let method: '1' | '2';
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    const match = app.secrets.find((s) => s.value === secret);
    if (!match) {
      throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    if (match.expiresAt !== undefined && match.expiresAt <= now) {
      throw new EntraError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    }
    method = '1';
  } else if (assertion !== null) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
    await verifyAssertion(emulator, app.clientId, assertion, tenant, new URL(c.req.url).origin, now);
    method = '2';
  } else {
    throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }

  const keys = await directory.signingKeys();
  const issuedAt = Math.floor(now / 1000);
  const accessToken = await new SignJWT({ appid: app.clientId, appidacr: method, idp: `https://sts.windows.net/${directory.tenantId}/`, idtyp: 'app', oid: app.objectId, tid: directory.tenantId, ver: '1.0' })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: keys.kid, kid: keys.kid })
    .setAudience(emulator.environment.url)
    .setIssuer(`https://sts.windows.net/${directory.tenantId}/`)
    .setSubject(app.objectId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_LIFETIME_SECONDS)
    .setJti(newGuid())
    .sign(keys.privateKey);
  emulator.metrics.tokenIssued();
  const body = { token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, access_token: accessToken };
  return c.body(JSON.stringify(body), 200, entraHeaders());
}

async function verifyAssertion(emulator: DataverseEmulator, clientId: string, assertion: string, tenant: string, origin: string, now: number): Promise<void> {
  const app = emulator.directory.app(clientId)!;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  const thumbprint = (header['x5t#S256'] as string | undefined) ?? header.x5t;
  const certificate = app.certificates.find((cert) => cert.x5tS256 === header['x5t#S256'] || cert.x5t === header.x5t);
  if (!certificate || (header.alg !== 'RS256' && header.alg !== 'PS256')) {
    const shown = thumbprint ? Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase() : '';
    throw new EntraError(401, 'invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${shown}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/api/application-get to know more about getting app key information.]`);
  }
  // The audience is the token endpoint: Microsoft's (what a deployed client signs for) or this emulator's.
  const audiences = [
    `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    `https://login.microsoftonline.com/${emulator.directory.tenantId}/oauth2/v2.0/token`,
    `${origin}/${tenant}/oauth2/v2.0/token`,
  ];
  const key = certificate.keys[header.alg as 'RS256' | 'PS256'];
  try {
    await jwtVerify(assertion, key, { algorithms: [header.alg!], currentDate: new Date(now), clockTolerance: 300 });
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired || (error instanceof joseErrors.JWTClaimValidationFailed && (error.claim === 'nbf' || error.claim === 'iat'))) {
      throw new EntraError(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${new Date(now).toISOString()}.`);
    }
    throw new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  }
  const { payload } = await jwtVerify(assertion, key, { currentDate: new Date(now), clockTolerance: 300 });
  if (payload.iss !== clientId || payload.sub !== clientId) {
    throw new EntraError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .");
  }
  const audience = [payload.aud].flat();
  if (!audience.some((aud) => aud !== undefined && audiences.includes(aud))) {
    throw new EntraError(401, 'invalid_client', 50027, `Invalid JWT token. The client assertion's audience '${audience.join(' ')}' is not this token endpoint; use https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token.`);
  }
  if (payload.exp === undefined) throw new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
}

/** The Web API's check of a bearer token: signed by this directory, for this environment, not expired. */
export async function verifyAccessToken(emulator: DataverseEmulator, token: string): Promise<{ appid: string; tid: string } | undefined> {
  const keys = await emulator.directory.signingKeys();
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ['RS256'],
      audience: emulator.environment.url,
      issuer: `https://sts.windows.net/${emulator.directory.tenantId}/`,
      currentDate: new Date(emulator.clock.now()),
    });
    if (typeof payload.appid !== 'string') return undefined;
    return { appid: payload.appid, tid: String(payload.tid) };
  } catch {
    return undefined;
  }
}
