/**
 * Tenant API keys: `fbk_` + 32 random bytes (base64url). Only the SHA-256 hash is stored, so a leaked database does
 * not leak usable keys. Runs in workerd and in Node (the `npm run tenant` command), both of which have WebCrypto.
 */
import { toBase64Url } from '../../shared/base64';

const KEY_PREFIX = 'fbk_';

export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return KEY_PREFIX + toBase64Url(bytes);
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A cheap shape check, so obvious garbage is refused without touching the database. */
export function looksLikeApiKey(value: string): boolean {
  return /^fbk_[A-Za-z0-9_-]{43}$/.test(value);
}
