/**
 * Describe bodies as served: the recorded describes with their urls pointed at this emulator and the request's API
 * version (recordings carry `vxx.0`/`v48.0` and the recording org's host), and, for a user with field-level
 * security, only the fields that user can see — the way a real describe shrinks for a least-privilege user.
 */
import type { Org } from '../org/org';
import { objectAccess, readableFields } from '../org/access';
import type { ObjectSchema } from '../org/schema';
import type { JsonObject } from '../recordings';

/** Points recorded `/services/data/vNN.N` and `https://*.salesforce.com` urls at this version and host. */
export function rewriteUrls<T>(value: T, version: string, base: string): T {
  const text = JSON.stringify(value)
    .replace(/\/services\/data\/v(?:\d+|xx)\.0/g, `/services/data/v${version}`)
    .replace(/https:\/\/[a-z0-9.-]+\.salesforce\.com/g, base);
  return JSON.parse(text) as T;
}

export function describeObject(org: Org, schema: ObjectSchema, userId: string, version: string, base: string): JsonObject {
  const visible = readableFields(org, userId, schema.name);
  const fields = schema.fields.filter((f) => !visible || visible.has(f.name)).map((f) => f.describe);
  const body: JsonObject = {};
  // Keep the recorded key order: `fields` sits alphabetically between `feedEnabled` and `hasSubtypes`.
  for (const [key, value] of Object.entries(schema.describeTop)) {
    if (key === 'hasSubtypes' && !('fields' in body)) body.fields = fields;
    body[key] = value;
  }
  if (!('fields' in body)) body.fields = fields;
  return rewriteUrls(body, version, base);
}

export function describeGlobal(org: Org, userId: string, version: string, base: string): JsonObject {
  const sobjects = org.schemas
    .all()
    .filter((schema) => objectAccess(org, userId, schema.name).read)
    .map((schema) => schema.globalEntry);
  return rewriteUrls({ encoding: 'UTF-8', maxBatchSize: 200, sobjects }, version, base);
}
