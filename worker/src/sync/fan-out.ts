/**
 * Fan-out on Cloudflare's own primitives: the cron tick claims every due connector (moving its next run past the
 * interval, so the next tick does not claim it again) and sends it to the sync queue; the queue consumer runs one
 * bounded invocation per connector, and sends it back when work is left, so a large first load continues without
 * waiting for the cron. A connector paused by the org's API allowance is sent back only after a delay.
 */
import { connectorById, dueConnectors, updateConnectorStatement } from '../db/connectors';
import { syncConnector } from './run-connector';

export interface SyncMessage {
  connectorId: string;
  /** sent back by the consumer: carry on the tables with work left */
  continuing?: boolean;
  /**
   * When the work was due (ISO): the cron tick's scheduled time, or when a back-off ends. The invocation's clock never
   * runs behind it (in production it is the past, so the real time wins; a soak that simulates a day of ticks moves
   * the Worker's clock with the org's this way).
   */
  at?: string;
  /**
   * A back-off's wake-up: it runs only if the connector is still due then. Whichever of it and the cron comes first
   * runs and moves the next run on, and the other finds nothing due, so pauses never pile up parallel retry chains.
   */
  wake?: boolean;
}

/** The invocation's time: now, or the moment the work was due if that is later. */
export function invocationTime(message: SyncMessage): Date {
  const due = message.at ? Date.parse(message.at) : Number.NaN;
  return new Date(Number.isNaN(due) ? Date.now() : Math.max(Date.now(), due));
}

/** At most this many connectors per tick; the rest are still due on the next. */
const CLAIMS_PER_TICK = 500;

export async function enqueueDueConnectors(env: Env, now: Date): Promise<number> {
  const due = await dueConnectors(env.DB, now.toISOString(), CLAIMS_PER_TICK);
  if (due.length === 0) return 0;
  await env.DB.batch(due.map((c) => updateConnectorStatement(env.DB, c.id, { next_run_at: new Date(now.getTime() + c.interval_minutes * 60_000).toISOString() })));
  for (let i = 0; i < due.length; i += 100) {
    await env.SYNC_QUEUE.sendBatch(due.slice(i, i + 100).map((c) => ({ body: { connectorId: c.id, at: now.toISOString() } satisfies SyncMessage })));
  }
  return due.length;
}

export async function consumeSyncBatch(batch: MessageBatch<SyncMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const now = invocationTime(message.body);
      if (message.body.wake) {
        const connector = await connectorById(env.DB, message.body.connectorId);
        if (!connector?.next_run_at || connector.next_run_at > now.toISOString()) {
          message.ack();
          continue;
        }
      }
      const outcome = await syncConnector(env, message.body.connectorId, { continuing: message.body.continuing, now });
      if (outcome.more) await env.SYNC_QUEUE.send({ connectorId: message.body.connectorId, continuing: true, at: now.toISOString() } satisfies SyncMessage);
      else if (outcome.backoffSeconds !== null) {
        const resumeAt = new Date(now.getTime() + outcome.backoffSeconds * 1000).toISOString();
        await env.SYNC_QUEUE.send({ connectorId: message.body.connectorId, at: resumeAt, wake: true } satisfies SyncMessage, { delaySeconds: outcome.backoffSeconds });
      }
      message.ack();
    } catch (error) {
      console.error(`sync: connector ${message.body.connectorId} failed unexpectedly`, error);
      message.retry({ delaySeconds: 30 });
    }
  }
}
