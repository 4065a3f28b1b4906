/**
 * Fan-out on Cloudflare's own primitives: the cron tick claims every due connector (moving its next run past the
 * interval, so the next tick does not claim it again) and sends it to the sync queue; the queue consumer runs one
 * bounded invocation per connector, and sends it back when work is left, so a large first load continues without
 * waiting for the cron. A connector paused by the org's API allowance is sent back only after a delay.
 */
import { dueConnectors, updateConnectorStatement } from '../db/connectors';
import { syncConnector } from './run-connector';

export interface SyncMessage {
  connectorId: string;
  /** sent back by the consumer: carry on the tables with work left */
  continuing?: boolean;
}

/** At most this many connectors per tick; the rest are still due on the next. */
const CLAIMS_PER_TICK = 500;

export async function enqueueDueConnectors(env: Env, now: Date): Promise<number> {
  const due = await dueConnectors(env.DB, now.toISOString(), CLAIMS_PER_TICK);
  if (due.length === 0) return 0;
  await env.DB.batch(due.map((c) => updateConnectorStatement(env.DB, c.id, { next_run_at: new Date(now.getTime() + c.interval_minutes * 60_000).toISOString() })));
  for (let i = 0; i < due.length; i += 100) {
    await env.SYNC_QUEUE.sendBatch(due.slice(i, i + 100).map((c) => ({ body: { connectorId: c.id } satisfies SyncMessage })));
  }
  return due.length;
}

export async function consumeSyncBatch(batch: MessageBatch<SyncMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const outcome = await syncConnector(env, message.body.connectorId, { continuing: message.body.continuing });
      if (outcome.more) await env.SYNC_QUEUE.send({ connectorId: message.body.connectorId, continuing: true } satisfies SyncMessage);
      else if (outcome.backoffSeconds !== null) await env.SYNC_QUEUE.send({ connectorId: message.body.connectorId } satisfies SyncMessage, { delaySeconds: outcome.backoffSeconds });
      message.ack();
    } catch (error) {
      console.error(`sync: connector ${message.body.connectorId} failed unexpectedly`, error);
      message.retry({ delaySeconds: 30 });
    }
  }
}
