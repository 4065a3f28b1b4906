/**
 * Encryption at rest for what the Worker must keep (a connection's private key, tokens): AES-256-GCM with a key from
 * the `ENCRYPTION_KEY` Worker secret (32 random bytes, base64). Each sealed value is bound to what it belongs to
 * (the additional data, e.g. `connection:<id>:private_key`), so a value copied into another row does not open.
 */
import { fromBase64, toBase64 } from '../../shared/base64';
import { AppError } from './errors';

const VERSION = 'v1';

async function importKey(secret: string | undefined): Promise<CryptoKey> {
  const bytes = secret ? fromBase64(secret) : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new AppError(
      'server_misconfigured',
      500,
      'The Worker has no valid ENCRYPTION_KEY secret (32 random bytes, base64). Create one with `openssl rand -base64 32` and set it with `wrangler secret put ENCRYPTION_KEY`.',
    );
  }
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function seal(secret: string | undefined, plaintext: string, boundTo: string): Promise<string> {
  const key = await importKey(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(boundTo) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

export async function open(secret: string | undefined, sealed: string, boundTo: string): Promise<string> {
  const [version, iv, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext) throw new Error(`sealed value has an unknown format (${version})`);
  const key = await importKey(secret);
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: decodeBase64OrThrow(iv), additionalData: new TextEncoder().encode(boundTo) },
    key,
    decodeBase64OrThrow(ciphertext),
  );
  return new TextDecoder().decode(plaintext);
}

function decodeBase64OrThrow(value: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(value);
  if (!bytes) throw new Error('sealed value is not base64');
  return bytes;
}
