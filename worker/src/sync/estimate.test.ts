import { describe, expect, it } from 'vitest';
import { firstSyncApiCalls } from './estimate';

describe('firstSyncApiCalls', () => {
  it('counts one call for small tables, whose first pages travel together', () => {
    expect(firstSyncApiCalls([{ table: 'contact', records: 500 }, { table: 'account', records: 50 }])).toBe(1);
    expect(firstSyncApiCalls([{ table: 'contact', records: 0 }])).toBe(1);
  });

  it('chains the REST pages left after the first five to a call', () => {
    // 9,091 contacts: a first page, then four more in one call.
    expect(firstSyncApiCalls([{ table: 'contact', records: 9_091 }, { table: 'account', records: 909 }])).toBe(2);
  });

  it('sends a large table through Bulk API 2.0 after its first page', () => {
    // 90,909 contacts: a job, two status checks, 88,910 records in two results pages; 9,091 accounts: four pages in one call.
    expect(firstSyncApiCalls([{ table: 'contact', records: 90_909 }, { table: 'account', records: 9_091 }])).toBe(7);
  });
});
