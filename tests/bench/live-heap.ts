/**
 * What the Worker's isolate holds live through a first load: the bytes reachable in its heap, from V8 heap snapshots
 * taken one after another while the load runs. A snapshot is what "live" means (V8 collects first and records only
 * what is reachable), where the timed load's heap readings also count garbage the collector had not reached yet. But
 * it stops the isolate while V8 walks the heap, so it gets a load of its own, after the timed one: the same org
 * seeded afresh, a fresh Worker and D1, the same first load, untimed.
 */
import type { BenchEmulator } from './emulator';
import { firstLoad, seedOrg } from './scenarios';
import { connectorOf, createConnector, startWorkerStack, turnOnAccess } from './stack';
import type { Volume } from './volumes';

export interface LiveHeap {
  /** reachable before the load, with the Worker loaded and warm: its code and bundle source */
  beforeMb: number;
  /** the most reachable in any snapshot during the load */
  peakMb: number;
  snapshots: number;
  /** the longest a snapshot took (the isolate stands still meanwhile) */
  longestSnapshotMs: number;
  /** every snapshot of the load: ms from its start, MB reachable */
  atMs: number[];
  mb: number[];
}

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 100) / 100;

/** The next snapshot waits a tenth of the load so far (at least this): a 1M load got 18, 100k 4. */
const MIN_GAP_MS = 100;
const READING_POLL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function liveHeapOfFirstLoad(emulator: BenchEmulator, v: Volume): Promise<LiveHeap> {
  await seedOrg(emulator, v);
  const stack = await startWorkerStack(emulator);
  try {
    const connector = await createConnector(stack, (await turnOnAccess(stack, emulator)).id);
    const beforeMb = mb(await stack.inspector.reachableBytes());
    const trace: Pick<LiveHeap, 'atMs' | 'mb'> = { atMs: [], mb: [] };
    let longestSnapshotMs = 0;
    const started = performance.now();
    let loading = true;
    const snapshotting = (async function snapshotWhileLoading() {
      // The first once records are being copied (a 10k load is over in under a second: one snapshot, maybe two).
      while (loading && !(await connectorOf(stack, connector.id)).tables.some((t) => t.loaded > 0)) await sleep(READING_POLL_MS);
      while (loading) {
        const taking = performance.now();
        const bytes = await stack.inspector.reachableBytes();
        longestSnapshotMs = Math.max(longestSnapshotMs, performance.now() - taking);
        trace.atMs.push(Math.round(performance.now() - started));
        trace.mb.push(mb(bytes));
        await sleep(Math.max(MIN_GAP_MS, (performance.now() - started) / 10));
      }
    })();
    snapshotting.catch(() => undefined);
    try {
      await firstLoad(stack, emulator, connector.id, v);
    } finally {
      loading = false;
    }
    await snapshotting;
    if (trace.mb.length === 0) throw new Error(`The ${v.label} first load ended before its first heap snapshot (no records were seen copied before it ended); lower READING_POLL_MS.`);
    return { beforeMb, peakMb: Math.max(...trace.mb), snapshots: trace.mb.length, longestSnapshotMs: Math.round(longestSnapshotMs), ...trace };
  } finally {
    await stack.stop();
  }
}
