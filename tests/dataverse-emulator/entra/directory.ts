/**
 * The Entra ID side: one tenant with its app registrations. An app has client secrets (each may expire) and
 * certificates (public only; their SHA-1 and SHA-256 thumbprints are what a client assertion's `x5t` / `x5t#S256`
 * header names — https://learn.microsoft.com/entra/identity-platform/certificate-credentials). The directory signs
 * the access tokens it issues with its own RSA key, and the Web API checks them with the public half.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importX509, type CryptoKey } from 'jose';
import { newGuid, stableGuid } from '../ids';

export type AppSecret = { value: string; expiresAt?: number };
/** A registered certificate's public key, imported once per signature algorithm Entra accepts for assertions. */
export type AppCertificate = { pem: string; x5t: string; x5tS256: string; thumbprintHex: string; keys: { RS256: CryptoKey; PS256: CryptoKey } };
export type AppRegistration = {
  clientId: string;
  displayName: string;
  /** The service principal's object id in the tenant (the `oid` of the app's tokens). */
  objectId: string;
  secrets: AppSecret[];
  certificates: AppCertificate[];
};

/** An Entra-looking client secret: 40 characters with the `~` Entra puts in the fourth place. */
export function newClientSecret(): string {
  const text = randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 37);
  return `${text.slice(0, 3)}8Q~${text.slice(3)}`;
}

export async function certificateFromPem(pem: string): Promise<AppCertificate> {
  let der: Buffer;
  try {
    der = Buffer.from(new x509.X509Certificate(pem).rawData);
  } catch {
    throw new Error('The certificate is not a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----).');
  }
  const sha1 = createHash('sha1').update(der).digest();
  return {
    pem,
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
    thumbprintHex: sha1.toString('hex').toUpperCase(),
    keys: { RS256: await importX509(pem, 'RS256'), PS256: await importX509(pem, 'PS256') },
  };
}

export class Directory {
  readonly apps = new Map<string, AppRegistration>();
  private signing?: { privateKey: CryptoKey; publicKey: CryptoKey; kid: string };

  constructor(
    readonly tenantId: string,
    /** The tenant's initial domain, accepted in place of its id in the token URL. */
    readonly domain: string,
  ) {}

  async signingKeys(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; kid: string }> {
    if (!this.signing) {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwk = await exportJWK(publicKey);
      this.signing = { privateKey, publicKey, kid: createHash('sha1').update(String(jwk.n)).digest('base64url') };
    }
    return this.signing;
  }

  /** `{tenant}` in the URL may be the tenant id or its domain. */
  knows(tenant: string): boolean {
    return tenant.toLowerCase() === this.tenantId || tenant.toLowerCase() === this.domain;
  }

  register(app: { clientId?: string; displayName?: string }): AppRegistration {
    const clientId = (app.clientId ?? newGuid()).toLowerCase();
    const registration: AppRegistration = {
      clientId,
      displayName: app.displayName ?? 'Forcebridge',
      objectId: stableGuid(`serviceprincipal:${this.tenantId}:${clientId}`),
      secrets: [],
      certificates: [],
    };
    this.apps.set(clientId, registration);
    return registration;
  }

  app(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId.toLowerCase());
  }
}
