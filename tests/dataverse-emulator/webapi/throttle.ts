/**
 * Service protection API limits (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits;
 * limits.md §2): per user, a sliding window (300 s) of request count
 * (6,000) and combined execution time (1,200,000 ms), plus concurrent requests (52). Beyond a limit the request is
 * refused at once with 429, `Retry-After` in seconds and the documented code and message. A `$batch` counts as one
 * request and its whole duration as execution time. Every answer carries the debugging headers
 * `x-ms-ratelimit-burst-remaining-xrm-requests` and `x-ms-ratelimit-time-remaining-xrm-requests`.
 * Counts live in one-second buckets, so memory does not grow with traffic.
 */
import { throttled } from '../errors';

export type ServiceProtectionLimits = {
  /** Requests per window (documented default 6,000). */
  requests: number;
  /** Combined execution time per window, in ms (documented default 1,200,000). */
  executionTimeMs: number;
  /** Concurrent requests (documented default 52). */
  concurrency: number;
  /** The sliding window, in seconds (documented 300). */
  windowSeconds: number;
};

export const DOCUMENTED_LIMITS: ServiceProtectionLimits = { requests: 6000, executionTimeMs: 1_200_000, concurrency: 52, windowSeconds: 300 };

class UserWindow {
  private readonly seconds: Float64Array;
  private readonly counts: Float64Array;
  private readonly executionMs: Float64Array;
  inFlight = 0;

  constructor(readonly size: number) {
    this.seconds = new Float64Array(size).fill(-1);
    this.counts = new Float64Array(size);
    this.executionMs = new Float64Array(size);
  }

  private slot(second: number): number {
    const i = second % this.size;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.counts[i] = 0;
      this.executionMs[i] = 0;
    }
    return i;
  }

  add(second: number, count: number, executionMs: number): void {
    const i = this.slot(second);
    this.counts[i] = this.counts[i]! + count;
    this.executionMs[i] = this.executionMs[i]! + executionMs;
  }

  /** Totals over the window ending at `second`, and the seconds until enough of each leaves it to fall under `limit`. */
  totals(second: number, requestLimit: number, executionLimit: number) {
    let requests = 0;
    let executionMs = 0;
    const live: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const s = this.seconds[i]!;
      if (s > second - this.size && s <= second) {
        requests += this.counts[i]!;
        executionMs += this.executionMs[i]!;
        live.push(i);
      }
    }
    live.sort((a, b) => this.seconds[a]! - this.seconds[b]!);
    const wait = (values: Float64Array, total: number, limit: number) => {
      let remaining = total;
      for (const i of live) {
        remaining -= values[i]!;
        if (remaining < limit) return Math.max(1, this.seconds[i]! + this.size - second);
      }
      return 1;
    };
    return { requests, executionMs, requestWait: () => wait(this.counts, requests, requestLimit), executionWait: () => wait(this.executionMs, executionMs, executionLimit) };
  }
}

export class ServiceProtection {
  private windows = new Map<string, UserWindow>();

  constructor(
    public limits: ServiceProtectionLimits,
    private readonly now: () => number,
    public enabled = true,
  ) {}

  private window(userId: string): UserWindow {
    let window = this.windows.get(userId);
    if (!window || window.size !== this.limits.windowSeconds) {
      window = new UserWindow(this.limits.windowSeconds);
      this.windows.set(userId, window);
    }
    return window;
  }

  /** Admits a request or throws the 429; the returned function records its execution time when it ends. */
  admit(userId: string): { release(): void; headers(): Record<string, string> } {
    const window = this.window(userId);
    const started = this.now();
    const second = Math.floor(started / 1000);
    if (this.enabled) {
      if (window.inFlight >= this.limits.concurrency) throw throttled.concurrency(this.limits.concurrency, 1);
      const totals = window.totals(second, this.limits.requests, this.limits.executionTimeMs);
      if (totals.requests >= this.limits.requests) throw throttled.requests(this.limits.requests, this.limits.windowSeconds, totals.requestWait());
      if (totals.executionMs >= this.limits.executionTimeMs) throw throttled.executionTime(this.limits.executionTimeMs, this.limits.windowSeconds, totals.executionWait());
    }
    window.inFlight++;
    window.add(second, 1, 0);
    // Execution time is real time spent answering (injected latency included); the window follows the emulator clock.
    const startedReal = performance.now();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        window.inFlight--;
        window.add(second, 0, performance.now() - startedReal);
      },
      headers: () => {
        const totals = window.totals(Math.floor(this.now() / 1000), this.limits.requests, this.limits.executionTimeMs);
        return {
          'x-ms-ratelimit-burst-remaining-xrm-requests': String(Math.max(0, this.limits.requests - totals.requests)),
          'x-ms-ratelimit-time-remaining-xrm-requests': `${Math.max(0, this.limits.executionTimeMs - totals.executionMs).toFixed(2)}`,
        };
      },
    };
  }

  reset(): void {
    this.windows = new Map();
  }
}
