/**
 * Request bodies of the HTTP control API, validated with zod so a wrong body gets a 400 that says what is wrong.
 */
import { z } from 'zod';

const count = z.number().int().min(0);

export const seedBody = z.strictObject({
  accounts: count.optional(),
  contacts: count.optional(),
  seed: z.number().int().optional(),
  spacingMs: count.optional(),
});


export const recordBody = z.record(z.string(), z.unknown());

export const queryBody = z.strictObject({
  soql: z.string().min(1),
  asUsername: z.string().optional(),
  includeDeleted: z.boolean().optional(),
});

export const fieldBody = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an API name such as Foo__c'),
  type: z.enum(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'boolean', 'int', 'double', 'currency', 'percent', 'date', 'datetime', 'reference']),
  label: z.string().optional(),
  length: z.number().int().positive().optional(),
  nillable: z.boolean().optional(),
  referenceTo: z.array(z.string()).optional(),
});

export const licensesBody = z.record(z.string(), count);

export const apiUsageBody = z.strictObject({ max: count.optional(), used: count.optional() });

export const expireBody = z.strictObject({ token: z.string().optional(), userId: z.string().optional(), username: z.string().optional() }).optional();

export const sessionTimeoutBody = z.strictObject({ minutes: z.number().positive().nullable() });

/** Any of: freeze/unfreeze, jump to a time, move by some milliseconds (applied in that order). */
export const clockBody = z
  .strictObject({ frozen: z.boolean().optional(), time: z.union([z.string().min(1), z.number()]).optional(), advanceMs: z.number().optional() })
  .refine((body) => Object.keys(body).length > 0, 'give frozen, time or advanceMs');

export const switchesBody = z.strictObject({
  connectedAppCreationAllowed: z.boolean().optional(),
  externalClientAppsEnabled: z.boolean().optional(),
  apiEnabled: z.boolean().optional(),
  userValidationRule: z.string().nullable().optional(),
  usernamesTakenElsewhere: z.array(z.string()).optional(),
  strictlyIncreasingModstamp: z.boolean().optional(),
  oauthSecretsViaMetadata: z.boolean().optional(),
  language: z.enum(['en_US', 'fr', 'de']).optional(),
  legacyIntegrationProfileName: z.boolean().optional(),
  preAuthorizationBy: z.enum(['id', 'name', 'either']).optional(),
  generatedPolicies: z.boolean().optional(),
  permissionGates: z.boolean().optional(),
  strictJwtAudience: z.boolean().optional(),
  ecasHiddenFromConnectedApplication: z.boolean().optional(),
  shortQueryPages: z.boolean().optional(),
});

/** A fresh org, optionally seeded and with switches set from the start. */
export const resetBody = z.strictObject({ seed: seedBody.optional(), switches: switchesBody.optional() }).optional();

export const userBody = z.strictObject({
  username: z.string().email(),
  lastName: z.string().optional(),
  firstName: z.string().optional(),
  email: z.string().email().optional(),
  profile: z.string().optional(),
  permissionSets: z.array(z.string()).optional(),
  isActive: z.boolean().optional(),
  apiEnabled: z.boolean().optional(),
});

export const apiEnabledBody = z.strictObject({ enabled: z.boolean() });

export const tokenBody = z.strictObject({ username: z.string() });

export { faultBody } from '../faults';

export const stepsBody = z.strictObject({ deploy: count.optional(), bulkJob: count.optional() });
