import { describe, expect, it } from 'vitest';
import { guidFromSalesforceId, toEighteenCharId } from './guid';

describe('toEighteenCharId', () => {
  it('adds the case checksum Salesforce adds', () => {
    // Known pair from Salesforce's documentation of the 18-character Id.
    expect(toEighteenCharId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(toEighteenCharId('003000000000001')).toBe('003000000000001AAA');
  });
  it('keeps 18-character ids and refuses anything else', () => {
    expect(toEighteenCharId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(() => toEighteenCharId('nope')).toThrow(/not a Salesforce Id/);
  });
});

describe('guidFromSalesforceId', () => {
  it('is deterministic and the same for the 15- and 18-character forms', () => {
    const guid = guidFromSalesforceId('001A0000006Vm9rIAC');
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(guidFromSalesforceId('001A0000006Vm9r')).toBe(guid);
    expect(guidFromSalesforceId('001A0000006Vm9rIAC')).toBe(guid);
  });
  it('differs between records', () => {
    expect(guidFromSalesforceId('001A0000006Vm9rIAC')).not.toBe(guidFromSalesforceId('001A0000006Vm9sIAC'));
  });
});
