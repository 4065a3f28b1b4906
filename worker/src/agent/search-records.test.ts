import { describe, expect, it } from 'vitest';
import { ftsQuery } from './search-records';

describe('ftsQuery', () => {
  it('makes every word a quoted prefix term, so FTS5 syntax in the input is only text', () => {
    expect(ftsQuery('jane  acme')).toBe('"jane"* "acme"*');
    expect(ftsQuery('a "b')).toBe('"a"* """b"*');
    expect(ftsQuery('name:x OR NEAR(y)')).toBe('"name:x"* "OR"* "NEAR(y)"*');
    expect(ftsQuery('   ')).toBeNull();
  });
});
