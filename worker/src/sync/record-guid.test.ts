import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../../shared/mapping/guid';
import { lookupGuid, recordGuid } from './record-guid';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');

describe('recordGuid', () => {
  it('gives the GUID the shared definition gives, for 15- and 18-character Ids', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 15, maxLength: 15 }), fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 18, maxLength: 18 })), (id) => {
        expect(recordGuid(id)).toBe(guidFromSalesforceId(id));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not a Salesforce Id, like the shared definition', () => {
    for (const id of ['', '003', 'not an id at all!', '003A0000006Vm9rIACX']) {
      expect(() => recordGuid(id)).toThrow();
      expect(() => guidFromSalesforceId(id)).toThrow();
    }
  });
});

describe('lookupGuid', () => {
  it('gives recordGuid’s answer, remembered or not, past the number it remembers', () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => `001A0000${String(i).padStart(7, '0')}`);
    for (const id of [...ids, ...ids.slice(0, 50), ...ids.slice(0, 50)]) expect(lookupGuid(id)).toBe(guidFromSalesforceId(id));
    expect(() => lookupGuid('not an id')).toThrow();
  });
});
