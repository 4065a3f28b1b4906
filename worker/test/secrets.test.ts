import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../src/secrets';

describe('secrets at rest', () => {
  it('round-trips and never stores the plaintext', async () => {
    const sealed = await seal(env.ENCRYPTION_KEY, 'private key material', 'connection:1:private_key');
    expect(sealed).not.toContain('private key material');
    expect(await open(env.ENCRYPTION_KEY, sealed, 'connection:1:private_key')).toBe('private key material');
  });

  it('does not open a value moved to another row', async () => {
    const sealed = await seal(env.ENCRYPTION_KEY, 'x', 'connection:1:private_key');
    await expect(open(env.ENCRYPTION_KEY, sealed, 'connection:2:private_key')).rejects.toThrow();
  });

  it('fails with a sentence that says what to set when the secret is missing', async () => {
    await expect(seal(undefined, 'x', 'y')).rejects.toThrow(/wrangler secret put ENCRYPTION_KEY/);
    await expect(seal('dG9vIHNob3J0', 'x', 'y')).rejects.toThrow(/32 random bytes/);
  });
});
