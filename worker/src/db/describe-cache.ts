/** The describe cache (`describe_cache`): each synced object's trimmed describe per connection, kept until refreshed. */
import { nowIso } from '../clock';
import { parseDescribeFields } from './stored-json';

export function saveDescribeStatement(db: D1Database, connectionId: string, object: string, fields: unknown[]) {
  return db
    .prepare(
      `INSERT INTO describe_cache (connection_id, object_name, fields, fetched_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (connection_id, object_name) DO UPDATE SET fields = excluded.fields, fetched_at = excluded.fetched_at`,
    )
    .bind(connectionId, object, JSON.stringify(fields), nowIso());
}

export async function cachedDescribeFields(db: D1Database, connectionId: string, object: string) {
  const row = await db.prepare('SELECT fields FROM describe_cache WHERE connection_id = ?1 AND object_name = ?2').bind(connectionId, object).first<{ fields: string }>();
  return row ? parseDescribeFields(row.fields) : undefined;
}
