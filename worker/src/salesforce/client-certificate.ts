/**
 * The key pair and self-signed X.509 certificate of a connection's OAuth client app. Salesforce gets the
 * certificate (it verifies JWT-bearer assertions with it); the private key stays in the Worker, sealed in D1.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { toBase64 } from '../../../shared/base64';

const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

export interface ClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
  expiresAt: Date;
}

/** Valid for two years: long enough not to surprise anyone, short enough that Reconnect rotates it in time. */
export async function createClientCertificate(orgId: string, now = new Date()): Promise<ClientCertificate> {
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const expiresAt = new Date(now.getTime() + 2 * 365 * 24 * 3600 * 1000);
  const certificate = await X509CertificateGenerator.createSelfSigned({
    name: `CN=Forcebridge ${orgId}, O=Forcebridge`,
    keys,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: expiresAt,
    signingAlgorithm: ALGORITHM,
  });
  const pkcs8 = (await crypto.subtle.exportKey('pkcs8', keys.privateKey)) as ArrayBuffer;
  return { certificatePem: certificate.toString('pem'), privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'), expiresAt };
}

function toPem(der: ArrayBuffer, label: string): string {
  const body = toBase64(new Uint8Array(der)).replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
