import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runScheduledWork } from '../src/scheduled';

describe('the cron tick', () => {
  it('runs against a migrated database', async () => {
    const result = await runScheduledWork(env, new Date('2026-11-21T10:00:00Z'));
    expect(result).toEqual({ ranAt: '2026-11-21T10:00:00.000Z', schemaReady: true, enqueued: 0, verified: 0, drifted: 0 });
  });

  it('skips, saying why, when migrations are missing', async () => {
    await env.DB.prepare('DELETE FROM d1_migrations').run();
    expect((await runScheduledWork(env, new Date())).schemaReady).toBe(false);
  });
});
