/**
 * The Entra ID token endpoint: client secrets (wrong, expired, missing), unknown tenant or app, the scope rule, and
 * certificate client assertions verified against the registered certificate's thumbprint; the Web API's 401 for a
 * missing or expired token.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientCertificate, type ClientCertificate } from '../../salesforce-emulator/test-support';
import { startDataverseEmulator, type RunningDataverseEmulator } from '../index';
import { call, tokenFor } from '../test-support';

let emulator: RunningDataverseEmulator;
let certificate: ClientCertificate;

async function token(form: Record<string, string>, tenant = emulator.tenantId) {
  const response = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.clientId, scope: `${emulator.environmentUrl}/.default`, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const thumbprint = (pem: string, hash: 'sha1' | 'sha256') => createHash(hash).update(new X509Certificate(pem).raw).digest('base64url');

async function assertion(options: { header?: Record<string, string>; aud?: string; iss?: string; expiresIn?: number; key?: string; alg?: 'RS256' | 'PS256' } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const alg = options.alg ?? 'RS256';
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', 'x5t#S256': thumbprint(certificate.certificatePem, 'sha256'), ...options.header })
    .setIssuer(options.iss ?? emulator.clientId)
    .setSubject(options.iss ?? emulator.clientId)
    .setAudience(options.aud ?? `https://login.microsoftonline.com/${emulator.tenantId}/oauth2/v2.0/token`)
    .setJti(crypto.randomUUID())
    .setNotBefore(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .sign(await importPKCS8(options.key ?? certificate.privateKeyPem, alg));
}

const withAssertion = (jwt: string) => ({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });

beforeAll(async () => {
  emulator = await startDataverseEmulator();
  certificate = await clientCertificate();
});
beforeEach(() => emulator.control.reset());
afterAll(() => emulator.close());

describe('client secret', () => {
  it('issues a token the Web API accepts, for the app\'s application user', async () => {
    const who = await call(emulator, await tokenFor(emulator), 'GET', 'WhoAmI()');
    expect(who.status).toBe(200);
    expect(who.json.UserId).toBe(emulator.applicationUserId);
  });

  it('names what is wrong: unknown tenant, unknown app, no credential, expired secret', async () => {
    const tenant = await token({ client_secret: emulator.clientSecret }, 'contoso.onmicrosoft.com');
    expect([tenant.status, tenant.body.error, tenant.body.error_codes]).toEqual([400, 'invalid_request', [90002]]);
    expect(tenant.body.error_description).toMatch(/^AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found/);

    const app = await token({ client_id: '11111111-2222-3333-4444-555555555555', client_secret: 'x' });
    expect([app.status, app.body.error, app.body.error_codes]).toEqual([400, 'unauthorized_client', [700016]]);
    expect(app.body.error_description).toContain("Application with identifier '11111111-2222-3333-4444-555555555555' was not found in the directory 'acme.onmicrosoft.com'");

    const none = await token({});
    expect([none.status, none.body.error, none.body.error_codes]).toEqual([401, 'invalid_client', [7000218]]);

    emulator.control.expireSecrets('default');
    const expired = await token({ client_secret: emulator.clientSecret });
    expect([expired.status, expired.body.error, expired.body.error_codes]).toEqual([401, 'invalid_client', [7000222]]);
  });

  it('accepts the tenant domain in place of its id, and only <environment>/.default as scope', async () => {
    expect((await token({ client_secret: emulator.clientSecret }, 'acme.onmicrosoft.com')).status).toBe(200);
    const other = await token({ client_secret: emulator.clientSecret, scope: 'https://other.crm.dynamics.com/.default' });
    expect([other.status, other.body.error, other.body.error_codes]).toEqual([400, 'invalid_resource', [500011]]);
    const bare = await token({ client_secret: emulator.clientSecret, scope: emulator.environmentUrl });
    expect([bare.status, bare.body.error, bare.body.error_codes]).toEqual([400, 'invalid_scope', [1002012]]);
  });
});

describe('certificate client assertion', () => {
  beforeEach(async () => {
    await emulator.control.addCertificate('default', certificate.certificatePem);
  });

  it('issues a token for an assertion naming the certificate by x5t#S256 (RS256 or PS256) or x5t', async () => {
    const byS256 = await token(withAssertion(await assertion()));
    expect(byS256.status).toBe(200);
    // The current page asks for PS256 with x5t#S256; earlier versions for RS256 with x5t (certificate-credentials).
    expect((await token(withAssertion(await assertion({ alg: 'PS256' })))).status).toBe(200);
    const byS1 = await token(withAssertion(await assertion({ header: { x5t: thumbprint(certificate.certificatePem, 'sha1'), 'x5t#S256': '' } })));
    expect(byS1.status).toBe(200);
    expect((await call(emulator, byS1.body.access_token, 'GET', 'WhoAmI')).status).toBe(200);
  });

  it('refuses an unregistered certificate, a bad signature, an expired assertion, a wrong issuer or audience', async () => {
    const stranger = await clientCertificate();
    const unregistered = await token(withAssertion(await assertion({ header: { 'x5t#S256': thumbprint(stranger.certificatePem, 'sha256') }, key: stranger.privateKeyPem })));
    expect([unregistered.status, unregistered.body.error_codes]).toEqual([401, [700027]]);
    expect(unregistered.body.error_description).toContain('is not registered on application');

    const forged = await token(withAssertion(await assertion({ key: stranger.privateKeyPem })));
    expect([forged.status, forged.body.error_codes]).toEqual([401, [700027]]);

    const expired = await token(withAssertion(await assertion({ expiresIn: -3600 })));
    expect([expired.status, expired.body.error_codes]).toEqual([401, [700024]]);

    const issuer = await token(withAssertion(await assertion({ iss: '99999999-2222-3333-4444-555555555555' })));
    expect([issuer.status, issuer.body.error_codes]).toEqual([401, [700021]]);

    const audience = await token(withAssertion(await assertion({ aud: 'https://example.com/token' })));
    expect(audience.status).toBe(401);
  });
});

describe('the Web API and its tokens', () => {
  it('answers 401 with WWW-Authenticate without a token, with a foreign token, and once the token expired', async () => {
    const none = await fetch(`${emulator.url}/api/data/v9.2/WhoAmI`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer authorization_uri=https://login.microsoftonline.com/${emulator.tenantId}/oauth2/authorize, resource_id=${emulator.environmentUrl}`);
    expect((await call(emulator, 'eyJhbGciOiJub25lIn0.e30.', 'GET', 'WhoAmI')).status).toBe(401);

    const valid = await tokenFor(emulator);
    expect((await call(emulator, valid, 'GET', 'WhoAmI')).status).toBe(200);
    emulator.control.clock.advance(3600 * 1000);
    expect((await call(emulator, valid, 'GET', 'WhoAmI')).status).toBe(401);
  });
});
