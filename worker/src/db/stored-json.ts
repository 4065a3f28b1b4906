/**
 * JSON kept in D1 columns (mappings, drift findings, the access granted, describe caches, step state), parsed at the
 * row boundary: a value that is not what we wrote fails here with a message naming the column, instead of travelling
 * on as a wrong type.
 */
import { z } from 'zod';
import { DriftFindingSchema } from '../../../shared/api';

/** destination column → Salesforce field (`connector_tables.mapping`) */
export const MappingSchema = z.record(z.string(), z.string());

/** the permission set's planned access (`connections.granted_access`) */
export const GrantedAccessSchema = z.object({
  objects: z.array(z.object({ sobject: z.enum(['Contact', 'Account']), read: z.literal(true), viewAllRecords: z.literal(true) })),
  fields: z.array(z.string()),
});

/** a describe's field, trimmed to what mappings and conversions need (`describe_cache.fields`) */
export const DescribeFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  referenceTo: z.array(z.string()).optional(),
  permissionable: z.boolean().optional(),
  length: z.number().optional(),
  /** a formula field: its value can change without the record's SystemModstamp moving */
  calculated: z.boolean().optional(),
});

/** a provisioning step's own saved state (`connection_steps.state`) */
export const StepStateSchema = z.record(z.string(), z.unknown());

/** columns added by a mapping change, being backfilled (`sync_cursors.backfill_columns`) */
export const BackfillColumnsSchema = z.array(z.string());

function parseStored<T extends z.ZodType>(schema: T, column: string, text: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${column} holds text that is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${column} holds JSON of the wrong shape: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') || '(root)'}`);
  return parsed.data;
}

export const parseMapping = (text: string) => parseStored(MappingSchema, 'connector_tables.mapping', text);
export const parseDrift = (text: string | null) => (text ? parseStored(z.array(DriftFindingSchema), 'connections.drift', text) : []);
export const parseGrantedAccess = (text: string | null) => (text ? parseStored(GrantedAccessSchema, 'connections.granted_access', text) : null);
export const parseDescribeFields = (text: string) => parseStored(z.array(DescribeFieldSchema), 'describe_cache.fields', text);
export const parseStepState = (text: string | null) => (text ? parseStored(StepStateSchema, 'connection_steps.state', text) : {});
