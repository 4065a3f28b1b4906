/** API shapes for Dataverse connections (`/api/dataverse-connections`), shared by the Worker and the extension. */
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DataverseConnectionInputSchema = z
  .object({
    environmentUrl: z.string().trim().min(1, 'enter the environment URL, e.g. https://contoso.crm.dynamics.com'),
    tenantId: z
      .string()
      .trim()
      .regex(/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i, 'the Directory (tenant) ID from the app registration, a GUID (or the tenant domain such as contoso.onmicrosoft.com)'),
    clientId: z.string().trim().regex(GUID, 'the Application (client) ID from the app registration, a GUID'),
    /** Omitted: the Worker generates a key pair and answers with the certificate to upload (preferred). */
    clientSecret: z.string().min(1, 'omit clientSecret to use a certificate instead').max(1024).optional(),
  })
  .strict();
export type DataverseConnectionInput = z.input<typeof DataverseConnectionInputSchema>;

export const DATAVERSE_CONNECTION_STATUSES = ['untested', 'connected', 'failed'] as const;

export const DataverseConnectionSchema = z.object({
  id: z.string(),
  environmentUrl: z.string(),
  tenantId: z.string(),
  clientId: z.string(),
  credential: z.enum(['secret', 'certificate']),
  /** The public certificate to upload to the app registration (certificate connections only). */
  certificate: z
    .object({ pem: z.string(), thumbprint: z.string(), expiresAt: z.string().nullable(), uploadSteps: z.array(z.string()) })
    .nullable(),
  status: z.enum(DATAVERSE_CONNECTION_STATUSES),
  applicationUser: z
    .object({ id: z.string(), name: z.string(), businessUnitId: z.string().nullable(), businessUnitName: z.string().nullable() })
    .nullable(),
  testedAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
});
export type DataverseConnection = z.infer<typeof DataverseConnectionSchema>;

export const DataverseTeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  teamType: z.string(),
  businessUnitId: z.string().nullable(),
  businessUnitName: z.string().nullable(),
});
export type DataverseTeam = z.infer<typeof DataverseTeamSchema>;

export const DataverseAccessCheckSchema = z.object({
  ok: z.boolean(),
  /** What is missing, e.g. `prvAssignContact` held by no role of the application user. */
  missing: z.array(z.string()),
  message: z.string(),
});
export type DataverseAccessCheck = z.infer<typeof DataverseAccessCheckSchema>;
