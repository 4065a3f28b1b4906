/**
 * A JS heap over a load, recorded the same way for the Worker's isolate (through the V8 inspector) and for the
 * baselines' Node processes (`process.memoryUsage()`), so their heap figures compare like for like: sampled every
 * HEAP_SAMPLE_MS, plus the heap after a full garbage collection before and after the load.
 */

/** A deployed Worker isolate's memory limit: https://developers.cloudflare.com/workers/platform/limits/#memory */
export const ISOLATE_LIMIT_MB = 128;

/** How often the heap is sampled during a load; a sample of the Worker's is one inspector round trip (a few ms). */
export const HEAP_SAMPLE_MS = 50;

/** A sample this much below the one before shows a collection: the heap came back to what the load held live. */
const COLLECTION_DROP = 0.8;

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 100) / 100;

/** One reading, in bytes. */
export interface HeapReading {
  /** live objects and garbage not yet collected */
  used: number;
  /** what the heap has reserved (committed) */
  total: number;
  /** ArrayBuffer contents (in the isolate, external strings too), held outside the JS heap */
  arrayBuffers: number;
}

/** Every sample of a load, in columns (compact in benchmarks.json); MB, ms from the start of the load. */
export interface HeapTrace {
  intervalMs: number;
  atMs: number[];
  usedMb: number[];
  totalMb: number[];
  arrayBuffersMb: number[];
  /** readings taken right after a forced full GC during the load (the baselines, outside their timed stretches) */
  liveAtMs: number[];
  liveMb: number[];
}

export interface HeapFigures {
  /** after a full GC, before the load */
  heapBeforeMb: number;
  /** the largest `used` sampled during the load (live objects and garbage V8 had not collected yet) */
  heapPeakMb: number;
  /**
   * The largest heap right after a collection during the load: a forced full one (the baselines', so what they held
   * live), or else the first sample after a drop of a fifth or more (the Worker's, which also counts garbage that
   * collection had not reached: live-heap.ts measures what its isolate holds live); the peak itself when no collection
   * happened during the load.
   */
  liveHeapPeakMb: number;
  /** the largest committed heap sampled */
  heapPeakCommittedMb: number;
  /** the largest ArrayBuffer memory sampled */
  arrayBuffersPeakMb: number;
  /** after a full GC once the load is over: what the load left behind */
  heapAfterMb: number;
  heapSamples: HeapTrace;
}

/** Collects samples from the moment it is made. */
export function heapRecorder(intervalMs: number) {
  const started = performance.now();
  const trace: HeapTrace = { intervalMs, atMs: [], usedMb: [], totalMb: [], arrayBuffersMb: [], liveAtMs: [], liveMb: [] };
  return {
    add: function addSample(reading: HeapReading) {
      trace.atMs.push(Math.round(performance.now() - started));
      trace.usedMb.push(mb(reading.used));
      trace.totalMb.push(mb(reading.total));
      trace.arrayBuffersMb.push(mb(reading.arrayBuffers));
    },
    /** a reading taken right after a full GC */
    addLive: function addLiveSample(reading: HeapReading) {
      trace.liveAtMs.push(Math.round(performance.now() - started));
      trace.liveMb.push(mb(reading.used));
    },
    figures: function heapFigures(before: HeapReading, after: HeapReading): HeapFigures {
      const peak = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => Math.max(a, b)) : Number.NaN);
      return {
        heapBeforeMb: mb(before.used),
        heapPeakMb: peak(trace.usedMb),
        liveHeapPeakMb: peak(trace.liveMb.length > 0 ? trace.liveMb : afterCollections(trace.usedMb)),
        heapPeakCommittedMb: peak(trace.totalMb),
        arrayBuffersPeakMb: peak(trace.arrayBuffersMb),
        heapAfterMb: mb(after.used),
        heapSamples: trace,
      };
    },
  };
}

/** Samples that follow a collection (a drop of a fifth or more); all of them when there was none. */
function afterCollections(usedMb: number[]): number[] {
  const levels = usedMb.filter((used, i) => i > 0 && used < usedMb[i - 1]! * COLLECTION_DROP);
  return levels.length > 0 ? levels : usedMb;
}
