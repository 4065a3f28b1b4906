/**
 * The soak's short version inside `npm test` (about two minutes): two simulated hours of cron ticks with org
 * changes, faults, API-limit episodes, overlapping invocations and one kill of the Worker's process. `npm run soak`
 * runs the whole simulated day.
 */
import { expect, it } from 'vitest';
import { formatReport, runSoak } from './soak';

it('keeps every invariant through two simulated hours of chaos, and converges once it stops', async () => {
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
  const report = await runSoak({ ticks: 24, minutesPerTick: 5, seed, kills: 1, stalls: false, log: () => undefined });
  console.log(`seed ${seed}\n${formatReport(report)}`);
  expect(report.violations).toEqual([]);
  expect(report.converged).toBe(true);
  expect(report.invariantChecks).toBeGreaterThanOrEqual(report.ticks);
});
