/**
 * Writes what a run measured: docs/benchmarks.json (every raw sample, the medians, the targets, the machine) and
 * docs/benchmarks.md (a table per scenario, the baselines and ratios, the targets met or not, how it was measured).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { machine } from './machine';
import { HEAP_SAMPLE_MS, ISOLATE_LIMIT_MB } from './heap-trace';
import { type RunRecord, type TargetResult, type VolumeSummary, judgeTargets, summarise } from './summary';
import { CHANGED_SHARE, DELETED_SHARE } from './volumes';
import { BULK_CHUNK_RECORDS } from '../../worker/src/sync/plan';

export type { RunRecord } from './summary';

/** The engineers' note of what changed since the last report and its measured effect (tests/bench/what-changed.md). */
const WHAT_CHANGED = fileURLToPath(new URL('./what-changed.md', import.meta.url));
function whatChanged(): string | undefined {
  if (!existsSync(WHAT_CHANGED)) return undefined;
  // The file's own title line is left out: the report gives the section its heading.
  return readFileSync(WHAT_CHANGED, 'utf8').replace(/^# .*\n+/, '').trim() || undefined;
}

export interface BenchInput {
  command: string;
  started: Date;
  finished: Date;
  machine: ReturnType<typeof machine>;
  codeFingerprint: string;
  codeChangedDuringRun: boolean;
  runs: RunRecord[];
}

export interface BenchReport extends Omit<BenchInput, 'started' | 'finished'> {
  started: string;
  finished: string;
  medians: VolumeSummary[];
  targets: TargetResult[];
}

const n = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const times = (value: number) => (Number.isFinite(value) ? `${n(value, value < 10 ? 1 : 0)}×` : '–');
const better = (ratio: number, good: string, bad: string) => (ratio >= 1 ? `${times(ratio)} ${good}` : `${times(1 / ratio)} ${bad}`);
const table = (head: string[], rows: string[][], align: 'numbers' | 'left' = 'numbers') =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 || align === 'left' ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

function firstLoadTable(s: VolumeSummary): string {
  const w = s.firstLoad;
  const h = s.isolateHeap;
  const c = s.ceiling;
  const nv = s.naive;
  const beforeAfter = (f: { heapBeforeMb: number; heapAfterMb: number }) => `${n(f.heapBeforeMb, 1)} → ${n(f.heapAfterMb, 1)}`;
  return table(
    ['Figure (median)', 'Worker', 'SQLite ceiling', 'Naive', 'Worker ÷ ceiling', 'Worker vs naive'],
    [
      ['Records/s, end to end', n(w.recordsPerSecond), n(c.recordsPerSecond), n(nv.recordsPerSecond), n(s.ratios.throughputVsCeiling, 2), better(s.ratios.throughputVsNaive, 'faster', 'slower')],
      ['Records/s inside invocations (queue delivery left out)', n(w.records / (w.runMs / 1000)), '', '', '', ''],
      [`Records/s, the ceiling committed every ${n(BULK_CHUNK_RECORDS)} records with their search index, as the Worker commits (÷: Worker ÷ this)`, '', `${n(s.paged.recordsPerSecond)} (${n(s.ratios.pagedVsCeiling, 2)} of the ceiling)`, '', n(w.recordsPerSecond / s.paged.recordsPerSecond, 2), ''],
      ['Wall time, s', n(w.wallMs / 1000, 1), n(c.wallMs / 1000, 1), n(nv.wallMs / 1000, 1), '', ''],
      ['CPU ms per 1,000 records', n(w.cpuMsPer1000, 1), n(c.cpuMsPer1000, 1), n(nv.cpuMsPer1000, 1), n(w.cpuMsPer1000 / c.cpuMsPer1000, 1), better(s.ratios.cpuNaiveOverWorker, 'less', 'more')],
      ['Salesforce API calls per 10,000 records', n(w.apiCallsPer10000, 2), n(c.apiCallsPer10000, 2), n(nv.apiCallsPer10000, 2), '', better(s.ratios.apiCallsNaiveOverWorker, 'fewer', 'more')],
      ['Records per API call', n(w.recordsPerApiCall), n(c.recordsPerApiCall), n(nv.recordsPerApiCall), '', ''],
      [`**JS heap peak, MB** (Worker: its isolate, of the ${ISOLATE_LIMIT_MB} MB a deployed one may use; baselines: their process)`, n(h.heapPeakMb, 1), n(c.heapPeakMb, 1), n(nv.heapPeakMb, 1), '', better(s.ratios.heapPeakNaiveOverWorker, 'less', 'more')],
      [`**Live JS heap at most, MB** (Worker: bytes reachable in its isolate, from ${n(s.liveHeap.snapshots)} heap snapshots through an untimed first load of its own, ${n(s.liveHeap.beforeMb, 1)} MB before it; baselines: after a full GC with every record fetched)`, n(s.liveHeap.peakMb, 1), n(c.liveHeapPeakMb, 1), n(nv.liveHeapPeakMb, 1), '', better(nv.liveHeapPeakMb / s.liveHeap.peakMb, 'less', 'more')],
      ['JS heap right after each collection during the timed load at most, MB (garbage not yet collected included)', n(h.liveHeapPeakMb, 1), '', '', '', ''],
      ['JS heap after a full GC, before → after the load, MB', beforeAfter(h), beforeAfter(c), beforeAfter(nv), '', ''],
      ['JS heap committed at most, MB', n(h.heapPeakCommittedMb, 1), n(c.heapPeakCommittedMb, 1), n(nv.heapPeakCommittedMb, 1), '', ''],
      ['ArrayBuffer memory at most, outside the JS heap, MB', n(h.arrayBuffersPeakMb, 1), n(c.arrayBuffersPeakMb, 1), n(nv.arrayBuffersPeakMb, 1), '', ''],
      ["Peak resident set, MB (VmHWM; Worker: the local workerd processes, incl. Miniflare's D1)", n(w.peakMb), n(c.peakMb), n(nv.peakMb), '', better(s.ratios.peakRssNaiveOverWorker, 'less', 'more')],
      ['Resident set growth during the load, MB (peak − RSS before; same processes)', n(w.growthMb), n(c.growthMb), n(nv.growthMb), '', better(s.ratios.rssGrowthNaiveOverWorker, 'less', 'more')],
      ['RSS of the local workerd processes before → after the load, MB', `${n(w.rssBeforeMb)} → ${n(w.rssAfterMb)}`, '', '', '', ''],
      ['Largest resident set of the local workerd processes seen, MB: anonymous (heaps) + file-backed (mapped files)', `${n(w.peakAnonMb)} + ${n(w.peakFileMb)}`, '', '', '', ''],
      ['D1 / SQLite rows written per s', n(w.rowsWrittenPerSecond), `${n(c.rowsWrittenPerSecond)} (write alone ${n(c.insertRowsPerSecond)}; ${n(c.searchIndexMs / 1000, 1)} s of it the search index)`, `${n(nv.rowsWrittenPerSecond)} (write alone ${n(nv.insertRowsPerSecond)})`, '', better(s.ratios.rowsWrittenVsNaive, 'faster', 'slower')],
      ['Read alone, records/s', '', n(c.fetchRecordsPerSecond), n(nv.fetchRecordsPerSecond), '', ''],
      ['Invocations (queue messages)', n(w.invocations), '', '', '', ''],
      ['`POST /activate` answered in, ms', n(w.triggerMs), '', '', '', ''],
    ],
  );
}

function ticksTable(summaries: VolumeSummary[], pick: 'incremental' | 'noChange'): string {
  return table(
    ['Volume', 'Changed + deleted', 'Records read', 'Wall, end to end ms', 'Inside the invocation ms', '`POST /sync` answered in ms', 'API calls', 'Worker CPU ms', 'Rows written', 'Rows written/s', 'Naive (full re-read): s, API calls'],
    summaries.map((s) => {
      const t = s[pick];
      const changes = pick === 'incremental' ? `${n(s.incremental.changed)} + ${n(s.incremental.deleted)}` : '0';
      return [s.volume.label, changes, n(t.read), n(t.wallMs), n(t.runMs), n(t.triggerMs), n(t.apiCalls, 1), n(t.workerCpuMs), n(t.rowsWritten), n(t.rowsWrittenPerSecond), `${n(s.naive.wallMs / 1000, 1)} s, ${n(s.naive.apiCalls)}`];
    }),
  );
}

function callsByRoute(runs: RunRecord[], label: string): string {
  const sample = runs.find((r) => r.volume.label === label)!;
  return Object.entries(sample.firstLoad.callsByRoute)
    .map(([route, count]) => `\`${route}\` ${count}`)
    .join(', ');
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const loads = report.runs.map((r) => r.loadAverage);
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    `Measured ${report.started.slice(0, 10)} with \`${report.command}\`: ${report.medians.map((m) => `${m.runs} run(s) at ${m.volume.label}`).join(', ')}, medians quoted; every raw sample is in [benchmarks.json](benchmarks.json).`,
    'The system under test is the real Worker in workerd (`wrangler dev`, local D1, local Queue) syncing from the Salesforce emulator over HTTP, driven only through the API.',
    '',
  );
  out.push('![Throughput and API calls by volume](benchmarks.png)', '');
  out.push('## Targets', '', table(['Target', 'Met?', 'Measured'], report.targets.map((t) => [t.target, t.met ? '**met**' : '**not met**', t.evidence]), 'left'), '');
  const changed = whatChanged();
  if (changed) out.push('## What changed', '', changed, '');

  for (const s of report.medians) {
    out.push(`## First load, ${s.volume.label} records (${n(s.volume.contacts)} Contacts + ${n(s.volume.accounts)} Accounts)`, '', firstLoadTable(s), '');
    out.push(`API calls of one ${s.volume.label} first load by route: ${callsByRoute(report.runs, s.volume.label)}.`, '');
    const problems = report.runs.filter((r) => r.volume.label === s.volume.label).flatMap((r) => [...r.firstLoad.problems, ...r.incremental.problems, ...r.noChange.problems].map((p) => `run ${r.run}: ${p}`));
    if (problems.length > 0) out.push(`Noticed (the figures are unaffected): ${problems.join('; ')}.`, '');
  }
  out.push(
    `## Incremental tick: ${CHANGED_SHARE * 100} % of records changed, ${DELETED_SHARE * 100} % deleted`,
    '',
    ticksTable(report.medians, 'incremental'),
    '',
    '"Records read" counts what the tick read from Salesforce, including what it reads again on purpose (records stamped at the watermark itself, or within the re-read window).',
    '',
    '## Tick with no changes',
    '',
    ticksTable(report.medians, 'noChange'),
    '',
  );
  const reconciled = report.runs.filter((r) => r.reconcile);
  if (reconciled.length > 0) {
    out.push(
      '## Id reconciliation ("Reconcile now" after purging records)',
      '',
      table(
        ['Volume', 'Run', 'Ids compared', 'Purged', 'Removed', 'Wall time', 'API calls', 'Calls by route', 'Isolate heap peak (level after collections)', 'workerd peak RSS'],
        reconciled.map((r) => {
          const { sample, heap, purged } = r.reconcile!;
          const removed = sample.runs.reduce((sum, run) => sum + run.deleted, 0);
          const compared = sample.runs.filter((run) => run.mode === 'reconcile').reduce((sum, run) => sum + run.read, 0);
          const routes = Object.entries(sample.callsByRoute).map(([route, calls]) => `\`${route}\` ${calls}`).join(', ');
          return [r.volume.label, String(r.run), n(compared), n(purged), n(removed), `${n(sample.wallMs / 1000, 1)} s`, n(sample.apiCalls), routes, `${n(heap.heapPeakMb, 1)} MB (${n(heap.liveHeapPeakMb, 1)} MB)`, `${n(sample.peakMb)} MB`];
        }),
        'left',
      ),
      '',
      'The reconciliation reads every live Id with Bulk API 2.0 (`SELECT Id`), stages them in D1 5,000 at a time, then walks the copy in Id order 5,000 rows at a time; "Removed" counts rows the invocation deleted, through the delete log read by its passes or by the reconciliation itself.',
      '',
    );
  }
  out.push(
    '## How it is measured',
    '',
    '- **Data**: the emulator seeds Contacts and Accounts 10:1 from a fixed seed, so every run reads the same records. Each volume gets a freshly seeded org and a freshly started Worker (new local D1 in a temporary folder, migrated, a tenant made like `npm run tenant`).',
    '- **Ticks**: the incremental tick follows edits made through the emulator\'s control API (`PATCH`/`DELETE /__emulator/records/…`: 1 % of each table changed, 0.1 % of all records deleted, all Contacts, since deleting an Account also deletes its Contacts), and the no-change tick follows it. Real ticks are minutes apart (the cron runs every five), so the org\'s clock stands in for the interval: the data is seeded 30 minutes in the past and the edits are stamped 5 minutes ago, outside the engine\'s one-minute re-read window.',
    '- **Worker**: access is turned on through `POST /api/connections` + `/advance` with the admin session, a connector for both tables is created with `POST /api/connectors` and started with `POST /api/connectors/:id/activate`; the local Queue then carries it through as many bounded invocations as it needs. The first load is over when both tables are in the incremental phase and the destination holds every record (a progress counter that disagrees is noted under the table). Ticks are `POST /api/connectors/:id/sync`. Wall time runs from the API request to the last run\'s `finishedAt`, so it includes the local Queue\'s delivery (its batch timeout is 1 s); "inside invocations" is the runs\' own duration.',
    '- **CPU**: user + system time of the `workerd` processes under `wrangler dev` (`/proc/<pid>/stat`), before and after; local D1 runs inside them, so this is the Worker and its database. Baselines: the CPU time of their own Node process.',
    '- **API calls**: the emulator\'s per-route request counts (REST, SOAP, Bulk; OAuth token requests, which Salesforce does not count, left out), before and after.',
    `- **Memory**: the figure that counts is the Worker isolate's JS heap, since a deployed isolate may use ${ISOLATE_LIMIT_MB} MB. \`wrangler dev --inspector-port\` exposes the V8 inspector of the Worker's isolate, and the benchmark speaks the DevTools protocol to it: \`Runtime.getHeapUsage\` every ${HEAP_SAMPLE_MS} ms during the first load (the inspector answers between the Worker's turns, so the top of a heap cycle can fall between two samples), and \`HeapProfiler.collectGarbage\` then \`Runtime.getHeapUsage\` before and after it — "after" is what the load left behind. Before measuring, it checks that it is attached to this Worker: the bundle wrangler built from \`wrangler.toml\`'s \`main\` (under \`.wrangler/tmp\`, holding the Worker's routes) must be among the isolate's scripts. The baselines sample \`process.memoryUsage()\` the same way (and as each table's synchronous writes end), in a process run with \`--expose-gc\`. Every sample is in benchmarks.json.`,
    "- **Resident set** (secondary): `VmHWM` (peak resident set) of the local workerd processes, a lifetime high-water mark: hence one Worker per volume. They also hold Miniflare's local D1 and Queue simulators, the runtime itself (about 280 MB before any work) and memory the GC has not handed back, none of which counts against a deployed Worker. Baselines: their own process's `VmHWM`.",
    '- **Rows written**: rows upserted and deleted in D1 as the runs counted them, per second of wall time.',
    '- **SQLite ceiling**: the Worker\'s own first-load SOQL through `queryAll`, every page fetched with plain `fetch` following `nextRecordsUrl` and parsed; then the same rows (same tables, keys and indexes: the Worker\'s migrations) inserted into a `node:sqlite` file in WAL mode in one transaction, with the agents\' full-text search index over them (`search_keys` and `record_search`, which the Worker brings up to date in every page\'s batch) written in one `INSERT … SELECT` per table in the same transaction: the same rows the Worker writes, the cheapest way. Its throughput is records ÷ (read time + write time), read and write one after the other. Reports before 2026-12-02 (session 6) measured a ceiling without the index.',
    '- **Naive**: jsforce `conn.query(soql, { autoFetch: true, maxFetch: Infinity })` per table, then one `INSERT … ON CONFLICT DO UPDATE` per row, each its own transaction (SQLite autocommit, WAL, `node:sqlite` — not D1), and the search index as the ceiling writes it. It has no watermark, so any tick of it is a full re-read: its tick figures are its first load\'s.',
    '- The emulator runs in a process of its own, shared by all scenarios; the machine\'s other work shows in the load average recorded with each sample.',
    '',
  );
  out.push(
    '## Machine and versions',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${m.cpu}, ${m.cores} cores`],
        ['RAM', `${m.ramGb} GB`],
        ['Load average at start (1, 5, 15 min)', m.loadAverageAtStart.join(', ')],
        ['Node', m.node],
        ['wrangler / miniflare / workerd', `${m.wrangler} / ${m.miniflare} / ${m.workerd}`],
        ['jsforce', m.jsforce],
        ['Engine limits (DEFAULT_LIMITS)', Object.entries(m.engineLimits).map(([k, v]) => `${k} ${n(v)}`).join(', ')],
        ['Checkout', `${m.git.head}${m.git.uncommitted.length ? ` with ${m.git.uncommitted.length} uncommitted change(s) in worker/ or shared/` : ''}; code fingerprint ${report.codeFingerprint}${report.codeChangedDuringRun ? ' — **the engine changed during the run**' : ''}`],
        ['Load average (1 min) when each volume started', `${n(Math.min(...loads), 2)} – ${n(Math.max(...loads), 2)}`],
        ['Started → finished', `${report.started} → ${report.finished}`],
      ],
      'left',
    ),
    '',
    `Reproduce: \`${report.command}\`. Options: \`npm run bench -- --million\` adds the 1M volume, \`--runs N\` sets the runs per volume (default 3), \`--volumes 10000,100000\` picks volumes, \`--out DIR\` writes elsewhere.`,
    '',
  );
  return out.join('\n');
}

/** Heap samples are long lists of numbers: one line each keeps benchmarks.json readable. */
const numberArraysOnOneLine = (json: string) =>
  json.replace(/\[\n\s+(-?[\d.e+]+(?:,\n\s+-?[\d.e+]+)*)\n\s+\]/g, (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`);

export async function writeReports(dir: string, input: BenchInput): Promise<BenchReport> {
  const medians = summarise(input.runs);
  const report: BenchReport = { ...input, started: input.started.toISOString(), finished: input.finished.toISOString(), medians, targets: judgeTargets(medians) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'benchmarks.json'), `${numberArraysOnOneLine(JSON.stringify(report, null, 2))}\n`);
  writeFileSync(join(dir, 'benchmarks.md'), markdown(report));
  return report;
}
