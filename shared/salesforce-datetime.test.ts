import { describe, expect, it } from 'vitest';
import { salesforceDateTime, salesforceDateTimeMs } from './salesforce-datetime';

describe('salesforceDateTime', () => {
  it('reads the offset without a colon that Salesforce writes', () => {
    expect(salesforceDateTime('2026-01-01T10:00:00.000+0000')).toBe('2026-01-01T10:00:00.000Z');
    expect(salesforceDateTime('2026-01-01T10:00:00.000+0130')).toBe('2026-01-01T08:30:00.000Z');
  });
  it('reads ISO 8601 as it is', () => {
    expect(salesforceDateTime('2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000Z');
  });
  it('says undefined (or NaN) for what is not a datetime', () => {
    expect(salesforceDateTime('')).toBeUndefined();
    expect(salesforceDateTime('yesterday')).toBeUndefined();
    expect(salesforceDateTimeMs('yesterday')).toBeNaN();
  });
});
