/**
 * The Worker isolate's JS heap, read through the V8 inspector that `wrangler dev` exposes (`--inspector-port`). A
 * deployed Worker is limited per isolate, so this is the memory figure that matters; the workerd processes'
 * resident set also holds Miniflare's local D1, the runtime itself and memory the GC has not handed back.
 *
 * A small Chrome DevTools Protocol client over Node's WebSocket, talking to wrangler's inspector proxy, which
 * forwards to the user Worker's isolate. The proxy takes one client at a time, wants an Origin from its allow-list
 * (127.0.0.1 is on it), and also forwards runtime messages nobody here asked for; those are ignored.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../scripts/lib/wrangler';
import { HEAP_SAMPLE_MS, type HeapFigures, type HeapReading, heapRecorder } from './heap-trace';

const ANSWER_TIMEOUT_MS = 60_000;
/** Where wrangler writes the bundle it runs, and a string only this Worker's bundle holds (a route it mounts). */
const BUNDLE_DIR = pathToFileURL(join(ROOT, '.wrangler', 'tmp')).href;
const WORKER_MARKER = '/api/health';

/** Node's WebSocket (undici) takes request headers; the DOM typing this project compiles against does not know it. */
const NodeWebSocket = WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket;

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  backingStorageSize?: number;
}

export interface IsolateInspector {
  heapUsage(): Promise<HeapReading>;
  /** a full collection, then the heap left */
  heapAfterGc(): Promise<HeapReading>;
  /**
   * What the isolate holds live, in bytes: a heap snapshot (V8 collects first and records only what is reachable from
   * the roots) with its objects' sizes summed, as DevTools' "total size" of a snapshot. Stops the isolate while V8
   * walks and sends the heap (two to four seconds here through wrangler's inspector proxy, at 25 MB), so it is taken
   * in a load that is not timed.
   */
  reachableBytes(): Promise<number>;
  /** how many times the Worker was reloaded (a new isolate: wrangler rebuilds when worker/ changes) since connecting */
  reloads(): number;
  /** a CPU profile (V8's sampling profiler) of the isolate while `work` runs: for tests/bench/profile.ts */
  cpuProfile<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }>;
  /** any DevTools protocol method (tests/bench/profile.ts --live samples the heap's allocation sites with it) */
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** listens to one event (one listener per event) */
  on(method: string, listener: (params: Record<string, unknown>) => void): void;
  close(): void;
}

/** V8's CPU profile (the DevTools protocol's Profiler.Profile), as much of it as is read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects to the inspector of the Worker served at `workerUrl`, and checks that it is that Worker's isolate. */
export async function connectIsolateInspector(inspectorUrl: string, workerUrl: string): Promise<IsolateInspector> {
  const targets = (await (await fetch(`${inspectorUrl}/json/list`)).json()) as { webSocketDebuggerUrl?: string }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!target) throw new Error(`The inspector at ${inspectorUrl} lists no debugging target: ${JSON.stringify(targets)}`);

  const socket = new NodeWebSocket(target, { headers: { Origin: inspectorUrl } });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`Could not open the inspector's WebSocket ${target}.`)), { once: true });
  });

  let nextId = 0;
  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<string, (params: Record<string, unknown>) => void>();
  let reloads = 0;
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as CdpMessage;
    // An answer has an id (workerd also echoes the method in some); an event has none.
    if (message.id === undefined) {
      if (message.method === 'Runtime.executionContextsCleared') reloads++;
      if (message.method) listeners.get(message.method)?.(message.params ?? {});
      return;
    }
    // Answers to the proxy's own requests (it keeps the connection alive) have ids this client never used.
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`Inspector: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  socket.addEventListener('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('The inspector connection closed.'));
    pending.clear();
  });

  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        // A Worker reloaded meanwhile (wrangler rebuilds it when worker/ changes) drops what was in flight.
        reject(new Error(`The inspector did not answer ${method} within ${ANSWER_TIMEOUT_MS / 1000} s; was the Worker reloaded (${reloads} reload(s) seen)?`));
      }, ANSWER_TIMEOUT_MS);
      pending.set(id, {
        resolve: (result) => (clearTimeout(timer), resolve(result as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      socket.send(JSON.stringify({ id, method, params }));
    });

  const heapUsage = async (): Promise<HeapReading> => {
    const usage = await send<HeapUsage>('Runtime.getHeapUsage');
    return { used: usage.usedSize, total: usage.totalSize, arrayBuffers: usage.backingStorageSize ?? Number.NaN };
  };

  try {
    await checkWorkerIsolate(send, listeners);
  } catch (error) {
    socket.close();
    throw error;
  }
  /**
   * workerd runs inspector commands such as a collection as a task on the isolate, and runs its tasks when the isolate
   * next takes work: while the command is pending, requests to the Worker let it through.
   */
  const onIsolate = async <T>(command: Promise<T>): Promise<T> => {
    const settled = command.then(
      () => true,
      () => true,
    );
    do await fetch(`${workerUrl}/api/health`).then((response) => response.arrayBuffer());
    while (!(await Promise.race([settled, sleep(250).then(() => false)])));
    return command;
  };

  return {
    heapUsage,
    heapAfterGc: async function heapAfterGc() {
      await onIsolate(send('HeapProfiler.collectGarbage'));
      return heapUsage();
    },
    reachableBytes: async function reachableBytes() {
      const chunks: string[] = [];
      listeners.set('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push(String(params.chunk)));
      try {
        await onIsolate(send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }));
      } finally {
        listeners.delete('HeapProfiler.addHeapSnapshotChunk');
      }
      return snapshotSelfSizes(JSON.parse(chunks.join('')) as HeapSnapshot);
    },
    reloads: () => reloads,
    send,
    on: (method, listener) => void listeners.set(method, listener),
    cpuProfile: async function cpuProfile(work) {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 200 });
      await send('Profiler.start');
      try {
        const result = await work();
        const { profile } = await send<{ profile: CpuProfile }>('Profiler.stop');
        return { result, profile };
      } finally {
        await send('Profiler.disable').catch(() => undefined);
      }
    },
    close: () => socket.close(),
  };
}

/** As much of V8's .heapsnapshot format as summing it needs: `nodes` is flat, `node_fields.length` numbers a node. */
interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[] } };
  nodes: number[];
}

/** The snapshot's objects' own sizes, summed. */
export function snapshotSelfSizes(snapshot: HeapSnapshot): number {
  const fields = snapshot.snapshot.meta.node_fields;
  const size = fields.indexOf('self_size');
  let total = 0;
  for (let i = size; i < snapshot.nodes.length; i += fields.length) total += snapshot.nodes[i]!;
  return total;
}

/**
 * Fails unless the inspector is attached to this project's Worker: among the scripts its isolate has compiled, the
 * bundle wrangler built from wrangler.toml's `main` (under .wrangler/tmp), holding one of the Worker's routes. The
 * debugger is on only for the check; the load runs without it.
 */
async function checkWorkerIsolate(
  send: <T>(method: string, params?: Record<string, unknown>) => Promise<T>,
  listeners: Map<string, (params: Record<string, unknown>) => void>,
): Promise<void> {
  const scripts: { scriptId: string; url: string }[] = [];
  listeners.set('Debugger.scriptParsed', (params) => scripts.push(params as { scriptId: string; url: string }));
  try {
    // V8 reports every script the isolate has compiled before it answers Debugger.enable.
    await send('Debugger.enable');
    for (const script of scripts.filter((s) => s.url.startsWith(BUNDLE_DIR))) {
      const matches = await send<{ result: unknown[] }>('Debugger.searchInContent', { scriptId: script.scriptId, query: WORKER_MARKER });
      if (matches.result.length > 0) return;
    }
    const urls = scripts.map((s) => s.url).filter((url) => !/^(node-internal|node|workerd|cloudflare-internal):/.test(url));
    throw new Error(`The inspector is not attached to the Forcebridge Worker's isolate: no script under ${BUNDLE_DIR} mentions ${WORKER_MARKER} (scripts: ${urls.join(', ') || 'none'}).`);
  } finally {
    listeners.delete('Debugger.scriptParsed');
    await send('Debugger.disable');
  }
}

/**
 * Runs `load` with the isolate's heap sampled every `intervalMs` throughout, between a full GC before and after it.
 * The inspector answers between the Worker's turns, so a sample is never taken inside a synchronous stretch of JS.
 * No collection is forced during the load: one a second slowed a 100k first load by a fifth (measured).
 */
export async function measureIsolateHeap<T>(
  inspector: IsolateInspector,
  load: () => Promise<T>,
  intervalMs = HEAP_SAMPLE_MS,
): Promise<{ result: T; heap: HeapFigures; problems: string[] }> {
  const before = await inspector.heapAfterGc();
  const reloadsBefore = inspector.reloads();
  const recorder = heapRecorder(intervalMs);
  let loading = true;
  const sampling = (async function sampleWhileLoading() {
    while (loading) {
      recorder.add(await inspector.heapUsage());
      await sleep(intervalMs);
    }
  })();
  // A load that fails reports its own error; a sampler that fails is awaited below.
  sampling.catch(() => undefined);
  let result: T;
  try {
    result = await load();
  } finally {
    loading = false;
  }
  await sampling;
  const after = await inspector.heapAfterGc();
  const problems =
    inspector.reloads() > reloadsBefore ? ['the Worker was reloaded during the load (worker/ changed?): its heap figures span more than one isolate'] : [];
  return { result, heap: recorder.figures(before, after), problems };
}
