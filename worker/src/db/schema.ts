/** What D1 has applied, read from wrangler's own bookkeeping table (`d1_migrations`). */
export { EXPECTED_MIGRATION } from './schema-version';

export interface MigrationState {
  applied: number;
  latest: string | null;
}

/** Reads wrangler's own bookkeeping table (`d1_migrations`), which `wrangler d1 migrations apply` maintains. */
export async function readMigrationState(db: D1Database): Promise<MigrationState> {
  const row = await db
    .prepare('SELECT COUNT(*) AS applied, MAX(name) AS latest FROM d1_migrations')
    .first<{ applied: number; latest: string | null }>();
  return { applied: row?.applied ?? 0, latest: row?.latest ?? null };
}
