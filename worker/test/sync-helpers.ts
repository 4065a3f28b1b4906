/** Driving the sync engine in tests: crashes injected at a point, and invocations until the connector is done. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { DestinationTable } from '../../shared/mapping/destination';
import { type CrashPoint, type SyncHooks, type SyncOptions, type SyncOutcome, syncConnector } from '../src/sync/run-connector';
import { control } from './emulator';
import { clearLease } from './sync-fixtures';

/** Throws (or, mid-batch, fails the page's commit) the `occurrence`-th time the engine reaches `point` for `table`. */
export function crashAt(point: CrashPoint, table: DestinationTable, occurrence: number): SyncHooks & { fired: () => boolean } {
  let seen = 0;
  return {
    fired: () => seen >= occurrence,
    at(p, t) {
      if (p !== point || t !== table || ++seen !== occurrence) return;
      if (p === 'mid_batch') return true;
      throw new Error(`crash injected at ${p} of ${t}`);
    },
  };
}

/**
 * Runs the connector until it reports nothing left, a crashed lease counting as expired. With `asQueue`, the
 * invocations after the first carry on only what is left, as the queue sends them.
 */
export async function syncUntilDone(connectorId: string, options: SyncOptions & { asQueue?: boolean } = {}, maxInvocations = 30): Promise<SyncOutcome[]> {
  const { asQueue, ...sync } = options;
  const outcomes: SyncOutcome[] = [];
  for (let i = 0; i < maxInvocations; i++) {
    await clearLease();
    const outcome = await syncConnector(env, connectorId, { ...sync, continuing: asQueue ? i > 0 : sync.continuing });
    expect(outcome.ran).toBe(true);
    outcomes.push(outcome);
    if (!outcome.more) return outcomes;
  }
  throw new Error(`the sync still had work left after ${maxInvocations} invocations`);
}

/** The org's clock and the Worker's `now`, moved together and frozen between moves. */
export function orgClock() {
  const clock = {
    now: new Date(0),
    async at(time: Date) {
      clock.now = time;
      await control('PUT', '/clock', { time: time.toISOString(), frozen: true });
    },
    advance: (minutes: number) => clock.at(new Date(clock.now.getTime() + minutes * 60_000)),
  };
  return clock;
}
