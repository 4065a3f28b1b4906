/**
 * The synced objects' describes, trimmed to what mappings and conversions need and cached in D1 per connection.
 * They are taken with the admin's authority whenever provisioning runs (the integration user sees only the fields
 * it may read, and the wizard must offer every field), refreshed on request, and, when none is cached yet, taken
 * as the integration user. Each describe is an API call; the wizard and every sync read the cache.
 */
import { z } from 'zod';
import type { SourceObject } from '../../../shared/mapping/destination';
import type { SourceField } from '../../../shared/mapping/type-rules';
import { cachedDescribeFields, saveDescribeStatement } from '../db/describe-cache';
import { DescribeFieldSchema } from '../db/stored-json';
import type { Connection } from '../salesforce/api';

export type DescribedField = z.infer<typeof DescribeFieldSchema> & SourceField;

/** Describes `object` through `conn` and caches the trimmed fields. */
export async function refreshDescribe(db: D1Database, connectionId: string, object: SourceObject, conn: Connection): Promise<DescribedField[]> {
  const describe = await conn.sobject(object).describe();
  const fields = z
    .array(DescribeFieldSchema)
    .parse(describe.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, referenceTo: f.referenceTo ?? [], permissionable: f.permissionable, length: f.length, calculated: f.calculated })));
  await saveDescribeStatement(db, connectionId, object, fields).run();
  return fields;
}

export async function cachedDescribe(db: D1Database, connectionId: string, object: SourceObject): Promise<DescribedField[] | undefined> {
  return (await cachedDescribeFields(db, connectionId, object)) as DescribedField[] | undefined;
}

/** The cached describe, or a fresh one through `conn` (called only when needed) when there is none yet. */
export async function describeFields(db: D1Database, connectionId: string, object: SourceObject, conn: () => Promise<Connection>): Promise<DescribedField[]> {
  return (await cachedDescribe(db, connectionId, object)) ?? refreshDescribe(db, connectionId, object, await conn());
}
