import { describe, expect, it } from 'vitest';
import { bulkCheckWaitMs } from './bulk-wait';

describe('bulkCheckWaitMs', () => {
  it('starts short and doubles, so a quick job is read soon and a long one costs few checks', () => {
    expect([1, 2, 3, 4, 5].map(bulkCheckWaitMs)).toEqual([250, 500, 1_000, 2_000, 4_000]);
  });

  it('never waits longer than four seconds between checks', () => {
    expect(bulkCheckWaitMs(50)).toBe(4_000);
    // A job of a minute is checked about 20 times, not 60.
    let waited = 0;
    let checks = 0;
    while (waited < 60_000) waited += bulkCheckWaitMs(++checks);
    expect(checks).toBeLessThan(20);
  });
});
