import { describe, expect, it } from 'vitest';
import { firstSyncApiCalls, formulaRefreshApiCalls, formulaRefreshApiCallsPerDay, leaverApiCalls } from './estimate';

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

describe('formula refresh and filter changes', () => {
  it('costs a call per 10,000 records a refresh reads, times the refreshes a day', () => {
    expect(formulaRefreshApiCalls(0)).toBe(1);
    expect(formulaRefreshApiCalls(10_000)).toBe(1);
    expect(formulaRefreshApiCalls(10_001)).toBe(2);
    expect(formulaRefreshApiCallsPerDay(25_000, 24)).toBe(3);
    expect(formulaRefreshApiCallsPerDay(25_000, 6)).toBe(12);
  });

  it('reads the Ids of leaving records five pages to a call', () => {
    expect(leaverApiCalls(0)).toBe(0);
    expect(leaverApiCalls(10_001)).toBe(2);
  });
});
