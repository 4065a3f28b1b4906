/**
 * Helpers for the emulator's own tests: a "same shape" comparator for checking answers against the recorded
 * payloads, a client certificate and signed JWT for the JWT bearer flow, and a deploy package for an External
 * Client App shaped like the one Forcebridge deploys.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { strToU8, zipSync } from 'fflate';
import { importPKCS8, SignJWT } from 'jose';
import { webcrypto } from 'node:crypto';

/**
 * Differences in shape between `actual` and `expected`: the same keys at every level (order ignored unless
 * `keyOrder`), the same JSON types where both are non-null; array elements are compared with the expected element
 * at the same position, or the expected first element beyond the recording's length.
 */
export function shapeDifferences(actual: unknown, expected: unknown, options: { keyOrder?: boolean; ignore?: string[] } = {}, path = '$'): string[] {
  if (expected === null || actual === null) return [];
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} instead of ${kind(expected)}`];
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (expected.length === 0) return [];
    return actual.flatMap((item, i) => shapeDifferences(item, expected[i] ?? expected[0], options, `${path}[${i}]`)).slice(0, 20);
  }
  if (typeof actual === 'object' && typeof expected === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const ignored = new Set(options.ignore ?? []);
    const aKeys = Object.keys(a).filter((k) => !ignored.has(k));
    const eKeys = Object.keys(e).filter((k) => !ignored.has(k));
    const diffs: string[] = [];
    for (const key of eKeys) if (!(key in a)) diffs.push(`${path}.${key}: missing`);
    for (const key of aKeys) if (!(key in e)) diffs.push(`${path}.${key}: unexpected`);
    if (options.keyOrder && diffs.length === 0 && aKeys.join() !== eKeys.join()) diffs.push(`${path}: key order ${aKeys.join(',')} instead of ${eKeys.join(',')}`);
    for (const key of eKeys) if (key in a) diffs.push(...shapeDifferences(a[key], e[key], options, `${path}.${key}`));
    return diffs;
  }
  return [];
}

export type ClientCertificate = { certificatePem: string; privateKeyPem: string };

export async function clientCertificate(): Promise<ClientCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Emulator test client', keys, signingAlgorithm: algorithm }, crypto);
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`,
  };
}

export async function signedAssertion(claims: { iss: string; sub: string; aud: string; expiresInSeconds?: number; exp?: number }, privateKeyPem: string): Promise<string> {
  const exp = claims.exp ?? Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 180);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setExpirationTime(exp)
    .sign(await importPKCS8(privateKeyPem, 'RS256'));
}

export async function jwtToken(baseUrl: string, assertion: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const xml = (type: string, fields: Record<string, string | boolean>) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n${Object.entries(fields)
    .map(([k, v]) => `    <${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('\n')}\n</${type}>\n`;

const packageXml = (members: [type: string, name: string][]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${members
    .map(([type, name]) => `    <types><members>${name}</members><name>${type}</name></types>`)
    .join('\n')}\n    <version>62.0</version>\n</Package>\n`;

/** An External Client App with a certificate, admin-approved for `permissionSet`: five components, as Forcebridge deploys. */
/** An External Client App deploy package; `permissionSet` is what goes into commaSeparatedPermissionSet (an id, per the docs). */
export function ecaPackage(spec: { name: string; certificatePem: string; permissionSet: string; consumerKey?: string; callbackUrl?: string; secretOptional?: boolean }): Uint8Array {
  const n = spec.name;
  return zipSync({
    'package.xml': strToU8(
      packageXml([
        ['ExternalClientApplication', n],
        ['ExtlClntAppOauthSettings', `${n}_oauth`],
        ['ExtlClntAppGlobalOauthSettings', `${n}_glbloauth`],
        ['ExtlClntAppOauthConfigurablePolicies', `${n}_oauthPlcy`],
        ['ExtlClntAppConfigurablePolicies', `${n}_plcy`],
      ]),
    ),
    [`externalClientApps/${n}.eca`]: strToU8(xml('ExternalClientApplication', { contactEmail: 'admin@example.com', distributionState: 'Local', isProtected: false, label: n })),
    [`extlClntAppOauthSettings/${n}_oauth.ecaOauth`]: strToU8(xml('ExtlClntAppOauthSettings', { commaSeparatedOauthScopes: 'Api,RefreshToken', externalClientApplication: n, label: `${n} OAuth` })),
    [`extlClntAppGlobalOauthSets/${n}_glbloauth.ecaGlblOauth`]: strToU8(
      xml('ExtlClntAppGlobalOauthSettings', {
        callbackUrl: spec.callbackUrl ?? 'https://login.salesforce.com/services/oauth2/success',
        certificate: spec.certificatePem,
        ...(spec.consumerKey ? { consumerKey: spec.consumerKey } : {}),
        externalClientApplication: n,
        isConsumerSecretOptional: spec.secretOptional ?? true,
        label: `${n} global OAuth`,
      }),
    ),
    [`extlClntAppOauthPolicies/${n}_oauthPlcy.ecaOauthPlcy`]: strToU8(
      xml('ExtlClntAppOauthConfigurablePolicies', { commaSeparatedPermissionSet: spec.permissionSet, externalClientApplication: n, label: `${n} OAuth policies`, permittedUsersPolicyType: 'AdminApprovedPreAuthorized' }),
    ),
    [`extlClntAppPolicies/${n}_plcy.ecaPlcy`]: strToU8(xml('ExtlClntAppConfigurablePolicies', { externalClientApplication: n, isEnabled: true, isOauthPluginEnabled: true, label: `${n} policies` })),
  });
}

/** Updates the OAuth policy component Salesforce generated with the app (`<App>_oauth_defaultPolicy`), which governs it. */
export function ecaGeneratedPolicyPackage(name: string, permissionSet: string): Uint8Array {
  const policy = `${name}_oauth_defaultPolicy`;
  return zipSync({
    'package.xml': strToU8(packageXml([['ExtlClntAppOauthConfigurablePolicies', policy]])),
    [`extlClntAppOauthPolicies/${policy}.ecaOauthPlcy`]: strToU8(
      xml('ExtlClntAppOauthConfigurablePolicies', { commaSeparatedPermissionSet: permissionSet, externalClientApplication: name, label: policy, permittedUsersPolicyType: 'AdminApprovedPreAuthorized' }),
    ),
  });
}

/** Deletes an External Client App: empty package.xml plus destructiveChanges.xml naming every component, the generated policy included. */
export function ecaDestroyPackage(name: string): Uint8Array {
  return zipSync({
    'package.xml': strToU8(packageXml([])),
    'destructiveChanges.xml': strToU8(
      packageXml([
        ['ExtlClntAppOauthConfigurablePolicies', `${name}_oauth_defaultPolicy`],
        ['ExtlClntAppConfigurablePolicies', `${name}_plcy`],
        ['ExtlClntAppOauthConfigurablePolicies', `${name}_oauthPlcy`],
        ['ExtlClntAppGlobalOauthSettings', `${name}_glbloauth`],
        ['ExtlClntAppOauthSettings', `${name}_oauth`],
        ['ExternalClientApplication', name],
      ]),
    ),
  });
}
