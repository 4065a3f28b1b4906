/**
 * Request and response shapes of the Worker's `/api` routes, shared by the Worker (which produces them) and the
 * extension (which parses them before use).
 */
import { z } from 'zod';
import { ERROR_CODES } from './errors';

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES).or(z.string()), message: z.string() }),
});

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({
    reachable: z.boolean(),
    migrationsApplied: z.number().int(),
    latestMigration: z.string().nullable(),
    expectedMigration: z.string(),
    upToDate: z.boolean(),
  }),
});
export type Health = z.infer<typeof HealthSchema>;

export const TenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
});
export type Tenant = z.infer<typeof TenantSchema>;

/** A tenant name: what people call the team, shown in the popup. */
export const TenantNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const RenameTenantSchema = z.object({ name: TenantNameSchema }).strict();
