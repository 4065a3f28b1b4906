/**
 * What the cron trigger does each tick: check that the schema is in place, hand every due connector to the sync
 * queue, then verify connections that have not been verified for a while (drift: an app, user or permission
 * edited in Salesforce, or a mapping that needs more).
 */
import { connectionsToVerify } from './db/connections';
import { EXPECTED_MIGRATION, readMigrationState } from './db/schema';
import { verifyDrift } from './salesforce/provisioning/verify-drift';
import { enqueueDueConnectors } from './sync/fan-out';

/** How stale a verification may get before the cron checks again. */
export const VERIFY_EVERY_MS = 6 * 60 * 60 * 1000;
/** Bounded work per tick: each check costs a JWT exchange and a few API calls. */
const VERIFICATIONS_PER_TICK = 10;

export interface TickResult {
  ranAt: string;
  schemaReady: boolean;
  /** connectors handed to the sync queue */
  enqueued: number;
  verified: number;
  drifted: number;
}

export async function runScheduledWork(env: Env, now: Date): Promise<TickResult> {
  const result: TickResult = { ranAt: now.toISOString(), schemaReady: false, enqueued: 0, verified: 0, drifted: 0 };
  const state = await readMigrationState(env.DB).catch(() => ({ applied: 0, latest: null }));
  result.schemaReady = state.latest === EXPECTED_MIGRATION;
  if (!result.schemaReady) {
    console.error(`scheduled: D1 is at migration ${state.latest ?? '(none)'}, expected ${EXPECTED_MIGRATION}; run \`wrangler d1 migrations apply DB\`. Skipping this tick.`);
    return result;
  }
  result.enqueued = await enqueueDueConnectors(env, now);
  const stale = await connectionsToVerify(env.DB, new Date(now.getTime() - VERIFY_EVERY_MS).toISOString(), VERIFICATIONS_PER_TICK);
  for (const connection of stale) {
    try {
      const checked = await verifyDrift(env, connection);
      result.verified++;
      if (checked.drift && checked.drift !== '[]') result.drifted++;
    } catch (error) {
      console.error(`scheduled: verifying connection ${connection.id} failed`, error);
    }
  }
  return result;
}
