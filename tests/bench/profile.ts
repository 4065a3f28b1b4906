/**
 * `npx tsx tests/bench/profile.ts [records] [--heap | --live]` (default 100000): one first load of the real Worker, as
 * the bench runs it, with V8's CPU profiler on the Worker's isolate (`--heap`: its heap sampled instead, as the bench
 * samples it, without the baselines — a quick look at a large volume; `--live`: every second a full collection and the
 * heap left, and V8's sampling heap profiler with the allocation sites of what was live when the most was;
 * `SNAPSHOT_MB=40` also writes /tmp/live.heapsnapshot the first time the heap left passes 40 MB, for DevTools).
 * Prints where the isolate's time went (self time by function and by source file, and how much of the load it was
 * idle: waiting on D1 or Salesforce) beside the workerd processes' CPU
 * (the isolate and local D1 together), and writes the .cpuprofile for Chrome DevTools. A tool for finding what to
 * make faster; the figures to quote come from `npm run bench`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchEmulator, setOrgClock, startEmulatorProcess } from './emulator';
import { type CpuProfile, type IsolateInspector, measureIsolateHeap } from './isolate-heap';
import { cpuMs } from './measure';
import { SEEDED_AGO_MS, firstLoad } from './scenarios';
import { createConnector, startWorkerStack, turnOnAccess } from './stack';
import { DATA_SEED, volume } from './volumes';

/** CPU ms of every thread of the workerd processes, by thread id and name: shows the isolate's thread beside D1's. */
function threadCpu(pids: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const close = text.lastIndexOf(')');
        const fields = text.slice(close + 2).split(' ');
        out.set(`${pid}/${tid} ${text.slice(text.indexOf('(') + 1, close)}`, (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // the thread ended
      }
    }
  }
  return out;
}

function summarise(profile: CpuProfile, top = 30) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id)!;
    total += ms;
    if (callFrame.functionName === '(idle)') idle += ms;
    const file = callFrame.url.split('/').slice(-2).join('/') || callFrame.functionName;
    const name = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const list = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  return `profiled ${total.toFixed(0)} ms, idle ${idle.toFixed(0)} ms (${((idle / total) * 100).toFixed(0)} %), busy ${(total - idle).toFixed(0)} ms\nby function:\n${list(byFunction)}\nby file:\n${list(byFile)}`;
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * V8's sampling heap profiler during `load`: the profile (objects sampled and still alive) is read every second, and
 * the largest one is printed by allocation site, each site with the two frames above it.
 */
async function liveHeapSites(inspector: IsolateInspector, load: () => Promise<unknown>) {
  await inspector.send('HeapProfiler.enable');
  await inspector.send('HeapProfiler.startSampling', { samplingInterval: 16 * 1024 });
  let largest: { total: number; sites: Map<string, number> } = { total: 0, sites: new Map() };
  let liveAfterGc = 0;
  let snapshotTaken = false;
  let loading = true;
  const reading = (async () => {
    while (loading) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { profile } = await inspector.send<{ profile: { head: SamplingNode } }>('HeapProfiler.getSamplingProfile');
      const sites = new Map<string, number>();
      let total = 0;
      const walk = (node: SamplingNode, path: string[]) => {
        const frame = `${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`;
        const here = [...path, frame].slice(-3);
        if (node.selfSize > 0) {
          total += node.selfSize;
          const key = here.join(' < ');
          sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
        }
        for (const child of node.children) walk(child, here);
      };
      walk(profile.head, []);
      if (total > largest.total) largest = { total, sites };
      const live = (await inspector.heapAfterGc()).used;
      liveAfterGc = Math.max(liveAfterGc, live);
      if (process.env.SNAPSHOT_MB && !snapshotTaken && live > Number(process.env.SNAPSHOT_MB) * 1024 * 1024) {
        snapshotTaken = true;
        const chunks: string[] = [];
        inspector.on('HeapProfiler.addHeapSnapshotChunk', (p) => chunks.push(String(p.chunk)));
        await inspector.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        writeFileSync('/tmp/live.heapsnapshot', chunks.join(''));
        console.log(`snapshot at ${(live / 1048576).toFixed(1)} MB: /tmp/live.heapsnapshot`);
      }
    }
  })();
  try {
    await load();
  } finally {
    loading = false;
    await reading;
    await inspector.send('HeapProfiler.stopSampling');
  }
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`heap after a full collection, every second: at most ${mb(liveAfterGc)} MB`);
  console.log(`largest sampled live heap: ${mb(largest.total)} MB, by allocation site:`);
  for (const [site, bytes] of [...largest.sites].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${mb(bytes).padStart(6)} MB  ${site}`);
}

async function main() {
  const v = volume(Number(process.argv[2] ?? 100_000));
  const emulator: BenchEmulator = await startEmulatorProcess();
  try {
    await emulator.control('POST', '/reset');
    await setOrgClock(emulator, Date.now() - SEEDED_AGO_MS);
    await emulator.control('POST', '/seed', { accounts: v.accounts, contacts: v.contacts, seed: DATA_SEED });
    await emulator.control('PUT', '/api-usage', { max: 10_000_000, used: 0 });
    const stack = await startWorkerStack(emulator);
    try {
      const connector = await createConnector(stack, (await turnOnAccess(stack, emulator)).id);
      if (process.argv.includes('--heap')) {
        const { result, heap } = await measureIsolateHeap(stack.inspector, () => firstLoad(stack, emulator, connector.id, v));
        console.log(`${v.label}: ${Math.round(result.recordsPerSecond)} records/s, ${result.apiCalls} API calls, ${Math.round(result.cpuMsPer1000)} CPU ms per 1k; isolate heap ${heap.heapBeforeMb} → peak ${heap.heapPeakMb} (after collections at most ${heap.liveHeapPeakMb}) → ${heap.heapAfterMb} MB after GC`);
        return;
      }
      if (process.argv.includes('--live')) {
        await liveHeapSites(stack.inspector, () => firstLoad(stack, emulator, connector.id, v));
        return;
      }
      const cpuBefore = cpuMs(stack.pids());
      const threadsBefore = threadCpu(stack.pids());
      const { result, profile } = await stack.inspector.cpuProfile(() => firstLoad(stack, emulator, connector.id, v));
      const workerdCpu = cpuMs(stack.pids()) - cpuBefore;
      const threads = [...threadCpu(stack.pids())].map(([k, v]) => [k, v - (threadsBefore.get(k) ?? 0)] as const).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
      console.log(`workerd threads' CPU ms during the load:\n${threads.map(([k, v]) => `  ${String(v).padStart(7)}  ${k}`).join('\n')}`);
      const file = join(tmpdir(), `forcebridge-${v.label}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`${v.label}: ${Math.round(result.recordsPerSecond)} records/s, wall ${result.wallMs} ms, inside runs ${result.runMs} ms, workerd CPU ${Math.round(workerdCpu)} ms (${((workerdCpu / v.total) * 1000).toFixed(0)} ms per 1k), ${result.apiCalls} API calls`);
      console.log(summarise(profile));
      console.log(`profile: ${file}`);
    } finally {
      await stack.stop();
    }
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
