/** Salesforce ids: checksums of real recorded ids, case-insensitive 18-character ids, and ids decoding to rows. */
import { describe, expect, it } from 'vitest';
import { checksum, makeId, normalizeId, recordNumber, to18 } from './ids';

describe('ids', () => {
  it('computes the checksum of real recorded ids', () => {
    // rest/Account_query_with_nulls.cumulusci.json and rest/User_query.snowfakery.json
    expect(to18('001Da00000xnAiy')).toBe('001Da00000xnAiyIAE');
    expect(checksum('0058F000002yWXF')).toBe('QA2');
    expect(to18('0058F000003AEvI')).toBe('0058F000003AEvIQAW');
  });

  it('accepts 15-character ids and 18-character ids in any case', () => {
    expect(normalizeId('001Da00000xnAiy')).toBe('001Da00000xnAiyIAE');
    expect(normalizeId('001da00000xnaiyiae')).toBe('001Da00000xnAiyIAE');
    expect(normalizeId('001Da00000xnAiyXXX')).toBeUndefined();
    expect(normalizeId('not-an-id')).toBeUndefined();
  });

  it('numbers rows so an id decodes back to its row', () => {
    const id = makeId('003', 123_456);
    expect(id).toMatch(/^003Kd0[0-9A-Za-z]{12}$/);
    expect(normalizeId(id)).toBe(id);
    expect(recordNumber(id, '003')).toBe(123_456);
    expect(recordNumber(id, '001')).toBeUndefined();
  });
});
