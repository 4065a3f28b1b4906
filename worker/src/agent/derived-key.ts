/**
 * HMAC keys the agent side signs with (access tokens, page cursors), each derived from the `ENCRYPTION_KEY` secret with
 * HKDF under its own label: no second secret to manage, and a value signed for one purpose never passes for another.
 */
import { fromBase64 } from '../../../shared/base64';
import { AppError } from '../errors';

export async function derivedHmacKey(secret: string | undefined, label: string): Promise<CryptoKey> {
  const bytes = secret ? fromBase64(secret) : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new AppError('server_misconfigured', 500, 'The Worker has no valid ENCRYPTION_KEY secret (32 random bytes, base64). Set it with `wrangler secret put ENCRYPTION_KEY`.');
  }
  const base = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(label) },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}
