/**
 * `npm run bench [-- --runs N] [-- --million] [-- --volumes 10000,100000] [-- --out docs]` (`-- --dataverse`: the
 * Dataverse writer section instead, tests/bench/dataverse.ts; `-- --reconcile`: only "Reconcile now", printed, not
 * written — the scenario without the baselines, whose naive run dominates at 1M): measures the sync end to
 * end — the real Worker in workerd against the Salesforce emulator — at each volume, several runs, beside the
 * baselines measured in the same run (the SQLite ceiling, also committed page by page, and the naive jsforce way), and writes
 * docs/benchmarks.{json,md,png}. Not part of `npm test`. Every process and temporary folder it makes is removed
 * at the end, also on failure or Ctrl+C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../../scripts/lib/wrangler';
import { runAgentBench } from './agent';
import { runDataverseBench } from './dataverse';
import { runBaseline } from './baselines';
import { measureIsolateHeap } from './isolate-heap';
import { renderChart } from './chart';
import { type BenchEmulator, startEmulatorProcess } from './emulator';
import { liveHeapOfFirstLoad } from './live-heap';
import { codeFingerprint, machine } from './machine';
import { type RunRecord, writeReports } from './report';
import { firstLoad, mutate, reconcileNow, seedOrg, tick } from './scenarios';
import { type WorkerStack, createConnector, startWorkerStack, turnOnAccess } from './stack';
import { DEFAULT_VOLUMES, MILLION, type Volume, volume } from './volumes';

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('cleanup:', error));
}

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      million: { type: 'boolean', default: false },
      agent: { type: 'boolean', default: false },
      dataverse: { type: 'boolean', default: false },
      reconcile: { type: 'boolean', default: false },
      volumes: { type: 'string' },
      out: { type: 'string', default: 'docs' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run bench -- [--runs 3 (1M runs once)] [--million] [--volumes 10000,100000] [--out docs]   (--agent: the agent section only, 100k and 1M unless --volumes; --dataverse: the Dataverse writer vs naive, 10k and 100k unless --volumes; --reconcile: only Reconcile now, printed, no baselines, nothing written)');
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got "${values.runs}".`);
  const volumes: Volume[] = values.volumes
    ? values.volumes.split(',').map((v) => {
        const n = Number(v.trim());
        if (!Number.isInteger(n) || n < 11) throw new Error(`--volumes takes record counts such as 10000,100000; got "${v}".`);
        return volume(n);
      })
    : [...DEFAULT_VOLUMES, ...(values.million ? [MILLION] : [])];
  return { runs, volumes, out: resolve(ROOT, values.out), agent: values.agent, dataverse: values.dataverse, reconcile: values.reconcile, agentVolumes: values.volumes ? volumes.map((v) => v.total) : [100_000, MILLION.total] };
}

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMb = (n: number) => n.toFixed(1);

/**
 * One volume, one run: a freshly seeded org, the baselines, then a fresh Worker through the timed scenarios, then
 * the live heap of a first load of its own (live-heap.ts).
 */
async function runVolume(emulator: BenchEmulator, v: Volume, run: number, scratch: string): Promise<RunRecord> {
  await seedOrg(emulator, v);
  const loadAverage = loadavg()[0]!;

  // The baselines first, on exactly the rows the first load then reads.
  const dir = mkdtempSync(join(scratch, `${v.label}-${run}-`));
  const ceiling = await runBaseline('ceiling', emulator, dir, v.total);
  log(`${v.label} run ${run}: ceiling ${fmt(ceiling.recordsPerSecond)} records/s (read ${fmt(ceiling.fetchRecordsPerSecond)}/s, write ${fmt(ceiling.insertRowsPerSecond)} rows/s)`);
  const paged = await runBaseline('paged', emulator, dir, v.total);
  log(`  ceiling committed page by page: ${fmt(paged.recordsPerSecond)} records/s (write ${fmt(paged.insertRowsPerSecond)} rows/s) = ${(paged.recordsPerSecond / ceiling.recordsPerSecond).toFixed(2)} of the ceiling`);
  const naive = await runBaseline('naive', emulator, dir, v.total);
  log(`  naive: ${fmt(naive.recordsPerSecond)} records/s, ${naive.apiCalls} API calls, heap peak ${fmtMb(naive.heapPeakMb)} MB`);
  rmSync(dir, { recursive: true, force: true });

  let stack: WorkerStack | undefined = await startWorkerStack(emulator);
  const stop = async () => {
    await stack?.stop();
    stack = undefined;
  };
  cleanups.push(stop);
  let timed: Omit<RunRecord, 'liveHeap'>;
  try {
    const connection = await turnOnAccess(stack, emulator);
    const connector = await createConnector(stack, connection.id);
    const worker = stack; // `stack` is reassigned by stop(), so the closure below would not see it narrowed
    const { result: first, heap: isolateHeap, problems } = await measureIsolateHeap(worker.inspector, () => firstLoad(worker, emulator, connector.id, v));
    first.problems.push(...problems);
    log(`  Worker first load: ${fmt(first.recordsPerSecond)} records/s, ${first.apiCalls} API calls, ${fmt(first.workerCpuMs)} ms CPU`);
    log(`    isolate heap ${fmtMb(isolateHeap.heapBeforeMb)} → peak ${fmtMb(isolateHeap.heapPeakMb)} → ${fmtMb(isolateHeap.heapAfterMb)} MB after GC; workerd processes' peak RSS ${fmt(first.peakMb)} MB`);
    const mutation = await mutate(emulator, v, run);
    const incremental = { ...(await tick(stack, emulator, connector.id, mutation.changed + mutation.deleted)), ...mutation };
    log(`  incremental tick (${mutation.changed} changed, ${mutation.deleted} deleted): ${fmt(incremental.wallMs)} ms, ${incremental.apiCalls} API calls, ${fmt(incremental.read)} read`);
    const noChange = await tick(stack, emulator, connector.id, 0);
    log(`  no-change tick: ${fmt(noChange.wallMs)} ms, ${noChange.apiCalls} API calls`);
    const { result: reconciled, heap: reconcileHeap } = await measureIsolateHeap(worker.inspector, () => reconcileNow(worker, emulator, connector.id, v));
    const reconcile = { ...reconciled, heap: reconcileHeap };
    log(`  reconcile now (${reconciled.purged} purged): ${fmt(reconciled.sample.wallMs)} ms, ${reconciled.sample.apiCalls} API calls, isolate heap peak ${fmtMb(reconcileHeap.heapPeakMb)} MB (after collections ${fmtMb(reconcileHeap.liveHeapPeakMb)} MB)`);
    timed = { run, volume: v, loadAverage, firstLoad: first, isolateHeap, incremental, noChange, reconcile, ceiling, paged, naive };
  } finally {
    await stop();
  }
  const liveHeap = await liveHeapOfFirstLoad(emulator, v);
  log(`  live heap (reachable, ${liveHeap.snapshots} snapshots through an untimed first load, the longest ${fmt(liveHeap.longestSnapshotMs)} ms): ${fmtMb(liveHeap.beforeMb)} MB before → at most ${fmtMb(liveHeap.peakMb)} MB`);
  return { ...timed, liveHeap };
}

/**
 * "Reconcile now" alone at one volume: a freshly seeded org, the Worker's first load and the tick that deletes (the
 * reconciliation's starting point, as in runVolume), then the reconciliation measured: time, API calls, isolate heap.
 */
async function runReconcileOnly(emulator: BenchEmulator, v: Volume, run: number): Promise<void> {
  await seedOrg(emulator, v);
  const stack = await startWorkerStack(emulator);
  const stop = () => stack.stop();
  cleanups.push(stop);
  try {
    const connector = await createConnector(stack, (await turnOnAccess(stack, emulator)).id);
    const first = await firstLoad(stack, emulator, connector.id, v);
    log(`${v.label} run ${run}: Worker first load ${fmt(first.recordsPerSecond)} records/s, ${first.apiCalls} API calls`);
    const mutation = await mutate(emulator, v, run);
    await tick(stack, emulator, connector.id, mutation.changed + mutation.deleted);
    const loadAverage = loadavg();
    const { result, heap, problems } = await measureIsolateHeap(stack.inspector, () => reconcileNow(stack, emulator, connector.id, v));
    const compared = result.sample.runs.filter((r) => r.mode === 'reconcile').reduce((sum, r) => sum + r.read, 0);
    log(
      `  reconcile now (${result.purged} purged, ${fmt(compared)} Ids compared): ${fmt(result.sample.wallMs)} ms, ${result.sample.apiCalls} API calls, ` +
        `isolate heap peak ${fmtMb(heap.heapPeakMb)} MB (after collections ${fmtMb(heap.liveHeapPeakMb)} MB); load before ${loadAverage.map((n) => n.toFixed(2)).join(' ')}, after ${loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    );
    for (const problem of [...result.sample.problems, ...first.problems, ...problems]) log(`  problem: ${problem}`);
  } finally {
    cleanups.splice(cleanups.indexOf(stop), 1);
    await stop();
  }
}

async function main() {
  const { runs, volumes, out, agent, dataverse, reconcile, agentVolumes } = options();
  const started = new Date();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  if (agent) return runAgentBench(agentVolumes, out, command, log);
  if (dataverse) return runDataverseBench(volumes.map((v) => v.total), out, command, log);
  const info = machine();
  const fingerprint = codeFingerprint();
  log(`${command}: ${runs} run(s) × ${volumes.map((v) => v.label).join(', ')} on ${info.cpu} (${info.cores} cores), load ${info.loadAverageAtStart.join(' ')}`);

  if (reconcile) {
    const emulator = await startEmulatorProcess();
    cleanups.push(() => emulator.stop());
    for (let run = 1; run <= runs; run++) for (const v of volumes) await runReconcileOnly(emulator, v, run);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'forcebridge-bench-'));
  cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
  const emulator = await startEmulatorProcess();
  cleanups.push(() => emulator.stop());

  const records: RunRecord[] = [];
  for (let run = 1; run <= runs; run++) {
    // 1M once: a run of it takes about a quarter of an hour here; the smaller volumes, noisier, take the medians.
    for (const v of volumes) if (run === 1 || v.total < MILLION.total) records.push(await runVolume(emulator, v, run, scratch));
  }
  const codeChanged = codeFingerprint() !== fingerprint;
  if (codeChanged) log('warning: worker/ or shared/ changed during the run; the figures may mix two versions of the engine.');

  const report = await writeReports(out, { command, started, finished: new Date(), machine: info, codeFingerprint: fingerprint, codeChangedDuringRun: codeChanged, runs: records });
  await renderChart(join(out, 'benchmarks.png'), report);
  log(`wrote ${join(out, 'benchmarks.md')}, benchmarks.json and benchmarks.png in ${Math.round((Date.now() - started.getTime()) / 1000)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
