import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { importPKCS8, importX509, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClientCertificate } from '../src/salesforce/client-certificate';

describe('createClientCertificate (in workerd)', () => {
  it('makes a certificate whose key signs JWTs that the certificate verifies', async () => {
    const { certificatePem, privateKeyPem, expiresAt } = await createClientCertificate('00D000000000001EAA', new Date('2026-11-21T00:00:00Z'));
    const certificate = new X509Certificate(certificatePem);
    expect(certificate.subject).toContain('Forcebridge 00D000000000001EAA');
    expect(expiresAt.toISOString()).toBe('2028-11-20T00:00:00.000Z');

    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer('3MVG9x').sign(await importPKCS8(privateKeyPem, 'RS256'));
    const { payload } = await jwtVerify(jwt, await importX509(certificatePem, 'RS256'));
    expect(payload.iss).toBe('3MVG9x');
  });

  it('makes a new key pair every time', async () => {
    const [a, b] = await Promise.all([createClientCertificate('00D1'), createClientCertificate('00D1')]);
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
  });
});
