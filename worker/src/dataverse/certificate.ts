/**
 * The certificate a Dataverse connection signs in with: the Worker generates the key pair (the private key never
 * leaves it, sealed in D1) and a self-signed certificate the admin uploads to the app registration
 * (Certificates & secrets → Certificates → Upload certificate). Entra ID names an uploaded certificate by its
 * thumbprint; the portal shows the SHA-1 one, the assertion header carries the SHA-256 one (`x5t#S256`):
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { createClientCertificate } from '../salesforce/client-certificate';

export interface DataverseCertificate {
  certificatePem: string;
  privateKeyPem: string;
  expiresAt: Date;
  /** SHA-1 thumbprint in upper-case hex, as the Azure portal lists it. */
  thumbprint: string;
}

export async function createDataverseCertificate(label: string, now = new Date()): Promise<DataverseCertificate> {
  const created = await createClientCertificate(label, now);
  return { ...created, thumbprint: await thumbprintOf(created.certificatePem, 'SHA-1') };
}

export async function thumbprintOf(certificatePem: string, algorithm: 'SHA-1' | 'SHA-256'): Promise<string> {
  const digest = await new X509Certificate(certificatePem).getThumbprint(algorithm);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** The `x5t#S256` header value: base64url of the SHA-256 digest of the certificate's DER. */
export async function x5tS256(certificatePem: string): Promise<string> {
  const digest = await new X509Certificate(certificatePem).getThumbprint('SHA-256');
  let binary = '';
  for (const b of new Uint8Array(digest)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
