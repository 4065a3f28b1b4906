/** `GET /api/health`: unauthenticated, so the options page can tell "Worker down" from "wrong key". */
import { Hono } from 'hono';
import type { Health } from '../../../shared/api';
import packageJson from '../../../package.json';
import type { AppEnv } from '../app-env';
import { EXPECTED_MIGRATION, readMigrationState } from '../db/schema';

export const health = new Hono<AppEnv>().get('/', async (c) => {
  let database: Health['database'];
  try {
    const state = await readMigrationState(c.env.DB);
    database = {
      reachable: true,
      migrationsApplied: state.applied,
      latestMigration: state.latest,
      expectedMigration: EXPECTED_MIGRATION,
      upToDate: state.latest === EXPECTED_MIGRATION,
    };
  } catch (error) {
    // No d1_migrations table means no migration was ever applied; anything else means D1 is unreachable.
    const neverMigrated = error instanceof Error && /no such table/i.test(error.message);
    if (!neverMigrated) console.error('health: D1 query failed', error);
    database = {
      reachable: neverMigrated,
      migrationsApplied: 0,
      latestMigration: null,
      expectedMigration: EXPECTED_MIGRATION,
      upToDate: false,
    };
  }
  const body: Health = { status: database.upToDate ? 'ok' : 'degraded', version: packageJson.version, database };
  return c.json(body, database.upToDate ? 200 : 503);
});
