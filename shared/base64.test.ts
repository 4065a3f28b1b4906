import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, toBase64Url } from './base64';

describe('base64', () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
  it('round-trips bytes', () => expect(fromBase64(toBase64(bytes))).toEqual(bytes));
  it('agrees with Node', () => expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64')));
  it('writes the URL-safe form without padding', () => expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url')));
  it('says undefined for what is not base64', () => expect(fromBase64('not base64!')).toBeUndefined());
});
