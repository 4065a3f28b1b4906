import { describe, expect, it } from 'vitest';
import { FORCEBRIDGE_RUN_ERROR_CODES, runErrorSource } from './run-outcomes';

describe('runErrorSource', () => {
  it('says ours for every Forcebridge code', () => {
    for (const code of FORCEBRIDGE_RUN_ERROR_CODES) expect(runErrorSource(code)).toBe('forcebridge');
  });
  it("says Salesforce's for codes Salesforce gave, kept verbatim", () => {
    expect(runErrorSource('INVALID_FIELD')).toBe('salesforce');
    expect(runErrorSource('REQUEST_LIMIT_EXCEEDED')).toBe('salesforce');
    expect(runErrorSource('invalid_grant')).toBe('salesforce');
  });
  it('keeps our codes snake_case, so they never look like Salesforce’s', () => {
    for (const code of FORCEBRIDGE_RUN_ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
