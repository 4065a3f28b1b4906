/**
 * What the cron trigger does each tick. The connector sync hangs off this (see the sync issue); until a tenant has
 * connectors there is nothing due, and the tick only checks that the schema it would need is in place.
 */
import { EXPECTED_MIGRATION, readMigrationState } from './db/schema';

export interface TickResult {
  ranAt: string;
  schemaReady: boolean;
}

export async function runScheduledWork(env: Env, now: Date): Promise<TickResult> {
  const state = await readMigrationState(env.DB).catch(() => ({ applied: 0, latest: null }));
  const schemaReady = state.latest === EXPECTED_MIGRATION;
  if (!schemaReady) {
    console.error(`scheduled: D1 is at migration ${state.latest ?? '(none)'}, expected ${EXPECTED_MIGRATION}; run \`wrangler d1 migrations apply DB\`. Skipping this tick.`);
  }
  return { ranAt: now.toISOString(), schemaReady };
}
