import { describe, expect, it } from 'vitest';
import { ftsQuery } from './search-records';

describe('ftsQuery', () => {
  it('makes every word a quoted term, so FTS5 syntax in the input is only text', () => {
    expect(ftsQuery('jane  acme')).toBe('"jane"* "acme"*');
    expect(ftsQuery('a "b')).toBe('"a"* """b"*');
    expect(ftsQuery('name:x OR NEAR(y)')).toBe('"name:x" "OR"* "NEAR(y)"');
    expect(ftsQuery('   ')).toBeNull();
  });

  it('matches a word the tokenizer splits (an email, a phone as written) whole, as a phrase, and a one-token word as a prefix', () => {
    expect(ftsQuery('jane.doe@example.com (415) 555-0100 4155550100')).toBe('"jane.doe@example.com" "(415)"* "555-0100" "4155550100"*');
    expect(ftsQuery('Zoë')).toBe('"Zoë"*');
  });
});
