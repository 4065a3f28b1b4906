/**
 * Salesforce describes of the synced objects, as the integration user sees them (so only fields it may read),
 * trimmed to what mappings and conversions need and cached in D1 for an hour: the wizard asks often, and each
 * describe is an API call.
 */
import { z } from 'zod';
import type { SourceObject } from '../../../shared/mapping/destination';
import type { SourceField } from '../../../shared/mapping/type-rules';
import { now } from '../db/connections';
import type { Connection } from '../salesforce/api';

const TTL_MS = 60 * 60 * 1000;

const DescribeFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  referenceTo: z.array(z.string()).optional(),
  permissionable: z.boolean().optional(),
  length: z.number().optional(),
});
export type DescribedField = z.infer<typeof DescribeFieldSchema> & SourceField;

export async function describeFields(db: D1Database, connectionId: string, object: SourceObject, conn: () => Promise<Connection>, options: { fresh?: boolean } = {}): Promise<DescribedField[]> {
  if (!options.fresh) {
    const cached = await db
      .prepare('SELECT fields, fetched_at FROM describe_cache WHERE connection_id = ?1 AND object_name = ?2')
      .bind(connectionId, object)
      .first<{ fields: string; fetched_at: string }>();
    if (cached && Date.now() - Date.parse(cached.fetched_at) < TTL_MS) return JSON.parse(cached.fields);
  }
  const describe = await (await conn()).sobject(object).describe();
  const fields = z.array(DescribeFieldSchema).parse(describe.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, referenceTo: f.referenceTo ?? [], permissionable: f.permissionable, length: f.length })));
  await db
    .prepare(
      `INSERT INTO describe_cache (connection_id, object_name, fields, fetched_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (connection_id, object_name) DO UPDATE SET fields = excluded.fields, fetched_at = excluded.fetched_at`,
    )
    .bind(connectionId, object, JSON.stringify(fields), now())
    .run();
  return fields;
}
