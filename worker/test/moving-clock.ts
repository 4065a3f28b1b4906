/**
 * The real paths on a moving clock: one simulated time that the Worker (its `Date`, faked by Vitest) and the emulated
 * org (its control clock) share, the cron tick as `scheduled` runs it, and a queue that delivers what the consumer
 * sends back — at once, or once its `delaySeconds` have passed on that clock. Nothing here calls the sync engine
 * directly: every run goes cron → queue → consumer, as in production.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import worker from '../src/index';
import type { SyncMessage } from '../src/sync/fan-out';
import { runScheduledWork } from '../src/scheduled';
import { control } from './emulator';

interface Pending {
  body: SyncMessage;
  deliverAt: number;
  /** how it was sent: immediately, or with a delay */
  delaySeconds: number;
}

export interface ClockedWorld {
  env: Env;
  now(): Date;
  /** moves the shared clock (Worker and org) by `minutes` */
  advance(minutes: number): Promise<Date>;
  /** the cron tick at the current time, then every message due, delivered to the consumer until the queue is quiet */
  tick(options?: { maxDeliveries?: number }): Promise<{ enqueued: number; deliveries: number }>;
  /** every message the Worker sent, with the delay it asked for */
  sent: Pending[];
  /** messages not yet delivered */
  pending(): Pending[];
  stop(): Promise<void>;
}

export async function clockedWorld(start = new Date(Date.UTC(2026, 11, 1, 9, 0, 0))): Promise<ClockedWorld> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  await control('PUT', '/clock', { time: start.toISOString(), frozen: true });
  const queue: Pending[] = [];
  const sent: Pending[] = [];
  const enqueue = (body: SyncMessage, delaySeconds = 0) => {
    const message = { body, delaySeconds, deliverAt: Date.now() + delaySeconds * 1000 };
    queue.push(message);
    sent.push(message);
  };
  // The Worker's own bindings, with the queue producer recording (and later delivering) what is sent.
  const world: Env = Object.create(env, {
    SYNC_QUEUE: {
      value: {
        async send(body: SyncMessage, options?: QueueSendOptions) {
          enqueue(body, options?.delaySeconds);
        },
        async sendBatch(messages: Iterable<MessageSendRequest<SyncMessage>>, options?: QueueSendBatchOptions) {
          for (const m of messages) enqueue(m.body, m.delaySeconds ?? options?.delaySeconds);
        },
      },
    },
  });
  let id = 0;
  return {
    env: world,
    sent,
    now: () => new Date(Date.now()),
    pending: () => [...queue],
    async advance(minutes) {
      const next = new Date(Date.now() + minutes * 60_000);
      vi.setSystemTime(next);
      await control('PUT', '/clock', { time: next.toISOString(), frozen: true });
      return next;
    },
    async tick({ maxDeliveries = 50 } = {}) {
      const { enqueued } = await runScheduledWork(world, new Date(Date.now()));
      let deliveries = 0;
      for (;;) {
        const due = queue.filter((m) => m.deliverAt <= Date.now());
        if (due.length === 0) break;
        if (deliveries >= maxDeliveries) throw new Error(`the queue was still busy after ${maxDeliveries} deliveries in one tick: a hot loop`);
        for (const m of due) queue.splice(queue.indexOf(m), 1);
        const batch = createMessageBatch<SyncMessage>('forcebridge-sync', due.map((m) => ({ id: `m${++id}`, timestamp: new Date(), attempts: 1, body: m.body })));
        const ctx = createExecutionContext();
        await worker.queue(batch, world);
        await getQueueResult(batch, ctx);
        deliveries += due.length;
      }
      return { enqueued, deliveries };
    },
    async stop() {
      vi.useRealTimers();
      await control('PUT', '/clock', { frozen: false, time: new Date().toISOString() });
    },
  };
}
