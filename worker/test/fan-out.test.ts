/** The cron tick hands due connectors to the queue; the consumer syncs each, and sends back what has work left. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SyncMessage } from '../src/sync/fan-out';
import worker from '../src/index';
import { runScheduledWork } from '../src/scheduled';
import { freshOrgAndTenants } from './emulator';
import { connectedConnector, destinationRows } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

describe('cron → queue → consumer', () => {
  it('enqueues each due connector once per interval and syncs it from the queue', async () => {
    const { tenant, connectorId } = await connectedConnector();
    const tick = await runScheduledWork(env, new Date());
    expect(tick.enqueued).toBe(1);
    expect((await runScheduledWork(env, new Date())).enqueued).toBe(0);

    const batch = createMessageBatch<SyncMessage>('forcebridge-sync', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { connectorId } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    expect((await destinationRows('contact', tenant.id)).length).toBeGreaterThan(0);
  });
});
