/**
 * From raw samples to what the report says: medians per volume and scenario, Worker-to-baseline ratios (per run,
 * then the median), and each target judged met or not met with the figures it rests on.
 */
import type { BaselineSample } from './baselines';
import { median } from './measure';
import type { WorkerSample } from './scenarios';
import type { Volume } from './volumes';

export interface RunRecord {
  run: number;
  volume: Volume;
  /** 1-minute load average of the machine when the volume started */
  loadAverage: number;
  firstLoad: WorkerSample;
  incremental: WorkerSample & { changed: number; deleted: number };
  noChange: WorkerSample;
  ceiling: BaselineSample;
  naive: BaselineSample;
}

type Numeric<T> = { [K in keyof T as T[K] extends number ? K : never]: number };

/** The median of every numeric field over the samples. */
export function medians<T extends object>(samples: T[]): Numeric<T> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(samples[0] ?? {})) {
    const values = samples.map((s) => (s as Record<string, unknown>)[key]);
    if (values.every((v) => typeof v === 'number')) out[key] = median(values as number[]);
  }
  return out as Numeric<T>;
}

export interface VolumeSummary {
  volume: Volume;
  runs: number;
  firstLoad: Numeric<WorkerSample>;
  incremental: Numeric<RunRecord['incremental']>;
  noChange: Numeric<WorkerSample>;
  ceiling: Numeric<BaselineSample>;
  naive: Numeric<BaselineSample>;
  /** medians of per-run ratios */
  ratios: {
    throughputVsCeiling: number;
    throughputVsNaive: number;
    cpuNaiveOverWorker: number;
    apiCallsNaiveOverWorker: number;
    peakMemoryNaiveOverWorker: number;
    memoryGrowthNaiveOverWorker: number;
    rowsWrittenVsNaive: number;
    noChangeWallNaiveOverWorker: number;
    noChangeCallsNaiveOverWorker: number;
    incrementalWallNaiveOverWorker: number;
  };
}

export function summarise(records: RunRecord[]): VolumeSummary[] {
  const labels = [...new Set(records.map((r) => r.volume.label))];
  return labels.map((label) => {
    const runs = records.filter((r) => r.volume.label === label);
    const ratio = (f: (r: RunRecord) => number) => median(runs.map(f));
    return {
      volume: runs[0]!.volume,
      runs: runs.length,
      firstLoad: medians(runs.map((r) => r.firstLoad)),
      incremental: medians(runs.map((r) => r.incremental)),
      noChange: medians(runs.map((r) => r.noChange)),
      ceiling: medians(runs.map((r) => r.ceiling)),
      naive: medians(runs.map((r) => r.naive)),
      ratios: {
        throughputVsCeiling: ratio((r) => r.firstLoad.recordsPerSecond / r.ceiling.recordsPerSecond),
        throughputVsNaive: ratio((r) => r.firstLoad.recordsPerSecond / r.naive.recordsPerSecond),
        cpuNaiveOverWorker: ratio((r) => r.naive.cpuMsPer1000 / r.firstLoad.cpuMsPer1000),
        apiCallsNaiveOverWorker: ratio((r) => r.naive.apiCalls / r.firstLoad.apiCalls),
        peakMemoryNaiveOverWorker: ratio((r) => r.naive.peakMb / r.firstLoad.peakMb),
        memoryGrowthNaiveOverWorker: ratio((r) => r.naive.growthMb / r.firstLoad.growthMb),
        rowsWrittenVsNaive: ratio((r) => r.firstLoad.rowsWrittenPerSecond / r.naive.rowsWrittenPerSecond),
        // The naive way has no watermark: any tick is a full re-read.
        noChangeWallNaiveOverWorker: ratio((r) => r.naive.wallMs / r.noChange.wallMs),
        noChangeCallsNaiveOverWorker: ratio((r) => r.naive.apiCalls / r.noChange.apiCalls),
        incrementalWallNaiveOverWorker: ratio((r) => r.naive.wallMs / r.incremental.wallMs),
      },
    };
  });
}

export interface TargetResult {
  target: string;
  met: boolean;
  /** the figures, in words */
  evidence: string;
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const x = (value: number) => `${n(value, value < 10 ? 1 : 0)}×`;

const lessOrMore = (ratio: number) => (ratio >= 1 ? `${x(ratio)} less` : `${x(1 / ratio)} MORE`);

/** "Flat" memory: the largest volume's peak at most this much above the smallest's. */
export const FLAT_MEMORY_TOLERANCE = 1.25;

export function judgeTargets(summaries: VolumeSummary[]): TargetResult[] {
  const each = (f: (s: VolumeSummary) => string) => summaries.map((s) => `${s.volume.label}: ${f(s)}`).join('; ');
  const smallest = summaries[0]!;
  const largest = summaries.at(-1)!;
  const growth = largest.firstLoad.peakMb / smallest.firstLoad.peakMb;
  const betterThanNaive = summaries.flatMap((s) => [
    s.ratios.throughputVsNaive > 1,
    s.ratios.cpuNaiveOverWorker > 1,
    s.ratios.apiCallsNaiveOverWorker > 1,
    s.ratios.peakMemoryNaiveOverWorker > 1,
    s.ratios.memoryGrowthNaiveOverWorker > 1,
    s.ratios.rowsWrittenVsNaive > 1,
    s.ratios.noChangeWallNaiveOverWorker > 1,
    s.ratios.noChangeCallsNaiveOverWorker > 1,
  ]);
  return [
    {
      target: 'First load ≥ 10,000 records per API call',
      met: summaries.every((s) => s.firstLoad.recordsPerApiCall >= 10_000),
      evidence: each((s) => `${n(s.firstLoad.recordsPerApiCall)} records per call (${n(s.firstLoad.apiCalls)} calls)`),
    },
    {
      target: 'First-load throughput end to end ≥ ½ the SQLite ceiling',
      met: summaries.every((s) => s.ratios.throughputVsCeiling >= 0.5),
      evidence: each((s) => `${n(s.firstLoad.recordsPerSecond)} vs ${n(s.ceiling.recordsPerSecond)} records/s = ${n(s.ratios.throughputVsCeiling, 2)} of the ceiling`),
    },
    {
      target: 'No-change tick = 1 API call per connector',
      met: summaries.every((s) => s.noChange.apiCalls === 1),
      evidence: each((s) => `${n(s.noChange.apiCalls, 1)} call(s), ${n(s.noChange.wallMs)} ms`),
    },
    {
      target: 'Memory flat from 10k to 1M',
      met: summaries.length > 1 && growth <= FLAT_MEMORY_TOLERANCE && largest.volume.total >= 1_000_000,
      evidence:
        `Worker (workerd) peak ${each((s) => `${n(s.firstLoad.peakMb)} MB (+${n(s.firstLoad.growthMb)} MB during the load)`)}: ${x(growth)} from ${smallest.volume.label} to ${largest.volume.label}` +
        (summaries.length < 2 ? ' (one volume only: flatness needs two)' : largest.volume.total < 1_000_000 ? ' (1M not measured in this run: `--million`)' : '') +
        ` — "flat" taken as at most ${x(FLAT_MEMORY_TOLERANCE)}`,
    },
    {
      target: 'Better than naive on every figure',
      met: betterThanNaive.every(Boolean),
      evidence: each(
        (s) =>
          `throughput ${x(s.ratios.throughputVsNaive)}, CPU ${x(s.ratios.cpuNaiveOverWorker)} less, API calls ${x(s.ratios.apiCallsNaiveOverWorker)} fewer, ` +
          `peak memory ${lessOrMore(s.ratios.peakMemoryNaiveOverWorker)}, memory growth ${lessOrMore(s.ratios.memoryGrowthNaiveOverWorker)}, ` +
          `rows written/s ${x(s.ratios.rowsWrittenVsNaive)}, no-change tick ${x(s.ratios.noChangeWallNaiveOverWorker)} faster with ${x(s.ratios.noChangeCallsNaiveOverWorker)} fewer calls`,
      ),
    },
  ];
}
