/**
 * Leases in D1: a row is worked by one request at a time. Taking one is a single conditional UPDATE, so two
 * requests racing for it cannot both win; a lease that its holder never released (a crash) expires by itself.
 */

/** The tables whose rows carry a `lease_until` column. */
type Leased = 'connections' | 'connectors';

export async function takeLease(db: D1Database, table: Leased, id: string, until: Date): Promise<boolean> {
  const result = await db
    .prepare(`UPDATE ${table} SET lease_until = ?2 WHERE id = ?1 AND (lease_until IS NULL OR lease_until < ?3)`)
    .bind(id, until.toISOString(), new Date().toISOString())
    .run();
  return result.meta.changes === 1;
}

export async function releaseLease(db: D1Database, table: Leased, id: string): Promise<void> {
  await db.prepare(`UPDATE ${table} SET lease_until = NULL WHERE id = ?1`).bind(id).run();
}
