/**
 * Request bodies of the HTTP control API, validated with zod so a wrong body gets a 400 that says what is wrong.
 */
import { z } from 'zod';

const count = z.number().int().min(0);
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID');
const privilege = z.string().regex(/^prv[A-Za-z]+$/, 'a privilege name such as prvCreateContact');

export const seedBody = z.strictObject({ accounts: count.optional(), contacts: count.optional() });
export const teamBody = z.strictObject({
  name: z.string().min(1).max(160),
  teamtype: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  businessUnitId: guid.optional(),
  privileges: z.array(privilege).optional(),
  id: guid.optional(),
});
export const userBody = z.strictObject({ fullname: z.string().min(1), applicationId: guid.optional(), privileges: z.array(privilege).optional() });
export const privilegesBody = z.strictObject({ privileges: z.array(privilege) });
export const appBody = z
  .strictObject({
    clientId: guid.optional(),
    displayName: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    secretExpiresAt: z.iso.datetime().optional(),
    applicationUser: z.boolean().optional(),
    privileges: z.array(privilege).optional(),
  })
  .optional();
export const secretBody = z.strictObject({ value: z.string().min(1).optional(), expiresAt: z.iso.datetime().optional() }).optional();
export const certificateBody = z.strictObject({ certificatePem: z.string().includes('BEGIN CERTIFICATE') });
export const switchesBody = z.strictObject({
  requestLatencyMs: count.optional(),
  operationLatencyMs: count.optional(),
  serviceProtection: z.boolean().optional(),
  filledErrorCodes: z.boolean().optional(),
});
export const serviceProtectionBody = z.strictObject({
  requests: z.number().int().positive().optional(),
  executionTimeMs: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
  windowSeconds: z.number().int().positive().optional(),
});
export { faultBody } from '../../salesforce-emulator/faults';
export const clockBody = z.strictObject({ time: z.string().optional(), advanceMs: z.number().int().optional(), frozen: z.boolean().optional() });
