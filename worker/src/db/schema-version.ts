/**
 * The newest migration this code expects. `/api/health` compares it with what D1 has applied, so a deploy that
 * forgot `wrangler d1 migrations apply` shows up as `degraded` instead of as odd SQL errors.
 * A unit test (scripts/migrations.test.ts) keeps it equal to the last file in `worker/migrations/`.
 */
export const EXPECTED_MIGRATION = '0013_add_cursor_leavers_after.sql';
