/**
 * `npm run soak`: the chaos soak over a simulated day (288 cron ticks, 5 minutes apart), with six kills of the Worker's
 * process and stalls past the deadline. Options: `--ticks N`, `--kills N`, `--seed N`, `--no-stalls`, `--quiet`.
 * Exits non-zero when an invariant was violated.
 */
import { parseArgs } from 'node:util';
import { formatReport, runSoak } from './soak';

const { values } = parseArgs({
  options: {
    ticks: { type: 'string', default: '288' },
    kills: { type: 'string', default: '6' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    'no-stalls': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const seed = Number(values.seed);
console.log(`soak: seed ${seed} (replay with --seed ${seed})`);
const report = await runSoak({
  ticks: Number(values.ticks),
  minutesPerTick: 5,
  seed,
  kills: Number(values.kills),
  stalls: !values['no-stalls'],
  log: values.quiet ? () => undefined : (line) => console.log(line),
});
console.log(formatReport(report));
process.exit(report.violations.length === 0 && report.converged ? 0 : 1);
