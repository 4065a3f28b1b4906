/**
 * Request and response shapes of the Worker's `/api` routes, shared by the Worker (which produces them) and the
 * extension (which parses them before use).
 */
import { RUN_STATUSES } from './run-outcomes';
import { z } from 'zod';
import { ConnectorStateSchema } from './connector-state';
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

// ── Server-to-server connections ────────────────────────────────────────────────────────────────────────────

export const CONNECTION_STATUSES = ['provisioning', 'connected', 'failed', 'deprovisioning', 'off'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const CONNECTION_OPERATIONS = ['turn_on', 'turn_off', 'reconnect', 'update_permissions'] as const;
export type ConnectionOperation = (typeof CONNECTION_OPERATIONS)[number];

/** What the admin can do about a connection's error; the panel offers these as buttons. */
export const CONNECTION_ACTIONS = ['retry', 'sign_in', 'recreate_connection', 'update_permissions', 'turn_off'] as const;
export type ConnectionAction = (typeof CONNECTION_ACTIONS)[number];

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;

export const ConnectionStepSchema = z.object({
  step: z.string(),
  label: z.string(),
  status: z.enum(STEP_STATUSES),
  detail: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ConnectionStep = z.infer<typeof ConnectionStepSchema>;

export const DriftFindingSchema = z.object({
  kind: z.enum(['client_app_missing', 'not_pre_authorized', 'user_inactive', 'object_access_missing', 'field_access_missing', 'verification_failed']),
  message: z.string(),
  object: z.string().optional(),
  fields: z.array(z.string()).optional(),
});
export type DriftFinding = z.infer<typeof DriftFindingSchema>;

export const ConnectionSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  instanceUrl: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  operation: z.enum(CONNECTION_OPERATIONS),
  /** True when the operation has nothing left to do (succeeded or failed). */
  done: z.boolean(),
  appName: z.string(),
  appKind: z.enum(['external_client_app', 'connected_app']).nullable(),
  consumerKey: z.string().nullable(),
  integrationUsername: z.string(),
  integrationUserId: z.string().nullable(),
  permissionSetName: z.string(),
  permissionSetId: z.string().nullable(),
  createdAt: z.string(),
  connectedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  /** what the permission set grants, as provisioned: objects and `Object.Field` names */
  grantedAccess: z.object({ objects: z.array(z.string()), fields: z.array(z.string()) }).nullable(),
  steps: z.array(ConnectionStepSchema),
  lastError: z
    .object({ step: z.string().nullable(), code: z.string(), message: z.string(), actions: z.array(z.enum(CONNECTION_ACTIONS)) })
    .nullable(),
  drift: z.array(DriftFindingSchema),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/**
 * The admin's Salesforce authority for one operation: the session of the org being viewed (handed over by the
 * extension's background) or an access token from the OAuth web-server + PKCE sign-in. Used only during the
 * request, never stored.
 */
/** Salesforce session ids and OAuth access tokens are about 112 characters; this leaves ample room. */
export const ACCESS_TOKEN_MAX_LENGTH = 2048;

export const AdminSessionSchema = z
  .object({
    instanceUrl: z.string().url('must be the org\'s My Domain URL, e.g. https://acme.my.salesforce.com'),
    // Checked before any call: a value that cannot travel in an Authorization header (CR, LF, NUL, spaces, non-ASCII)
    // or that is far longer than any Salesforce session id or access token is refused here, not sent.
    accessToken: z
      .string()
      .min(10, 'must be the admin\'s Salesforce session or access token')
      .max(ACCESS_TOKEN_MAX_LENGTH, `is longer than any Salesforce session (at most ${ACCESS_TOKEN_MAX_LENGTH} characters)`)
      .regex(/^[\x21-\x7e]+$/, 'must be a Salesforce session or access token: printable ASCII without spaces or line breaks'),
    source: z.enum(['browser_session', 'oauth']).default('browser_session'),
  })
  .strict();
export type AdminSession = z.infer<typeof AdminSessionSchema>;

export const AdminSessionRequestSchema = z.object({ session: AdminSessionSchema }).strict();

// ── Connectors ─────────────────────────────────────────────────────────────────────────────────────────────

export const DESTINATION_TABLES = ['contact', 'account'] as const;

const MappingSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'destination columns are Dataverse logical names such as emailaddress1'),
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Salesforce fields are API names such as Email or Foo__c'),
  )
  .refine((mapping) => Object.keys(mapping).length > 0, 'map at least one column, or leave mapping out for the predefined one');

const eachTableOnce = (input: { tables?: { table: string }[] }) => !input.tables || new Set(input.tables.map((t) => t.table)).size === input.tables.length;

export const ConnectorTableInputSchema = z
  .object({
    table: z.enum(DESTINATION_TABLES),
    /** destination column → Salesforce field; omitted: the predefined mapping */
    mapping: MappingSchema.optional(),
    /**
     * Row filter: a SOQL condition on the table's object (`Email != null AND MailingCountry = 'France'`); null or
     * omitted copies every record. Salesforce caps strings in a WHERE clause at 4,000 characters.
     * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_conditionexpression.htm
     */
    filter: z.string().trim().max(4000, 'a filter is at most 4,000 characters, as Salesforce allows in a WHERE clause').nullable().optional(),
  })
  .strict();

/** How often mapped formula fields are read again: an hour to a week (the default is daily). */
const FormulaRefreshHoursSchema = z.number().int().min(1, 'refresh formulas at most every hour').max(168, 'refresh formulas at least once a week');

/**
 * Where a connector writes: D1 (the default) or a Dataverse environment through one of the tenant's Dataverse
 * connections, its rows owned by the team `teamId`.
 */
export const ConnectorDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('d1') }).strict(),
  z
    .object({
      kind: z.literal('dataverse'),
      dataverseConnectionId: z.string().min(1, 'name one of your Dataverse connections (GET /api/dataverse-connections)'),
      teamId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'the id (a GUID) of a team from GET /api/dataverse-connections/:id/teams'),
    })
    .strict(),
]);
export type ConnectorDestination = z.infer<typeof ConnectorDestinationSchema>;

const RECONCILE_EVERY_DAYS = z.number().int('must be whole days').min(0, 'must be 0 (only when needed) or more days').max(90, 'must be at most 90 days');

export const ConnectorInputSchema = z
  .object({
    connectionId: z.string().min(1),
    destination: ConnectorDestinationSchema.default({ kind: 'd1' }),
    name: z.string().trim().min(1).max(100).default('Contacts and accounts'),
    tables: z.array(ConnectorTableInputSchema).min(1, 'choose at least one table').max(2),
    team: z.string().trim().min(1, 'name the team that owns the written rows').max(100),
    intervalMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(1440, 'must be at most a day').default(15),
    deleteMode: z.enum(['hard', 'soft']).default('hard'),
    budgetThreshold: z.number().min(0).max(0.9, 'keep at most 90 % of the org’s API requests in reserve').default(0.2),
    /** days between scheduled Id reconciliations (finding records purged in Salesforce); 0: only when needed or asked for */
    reconcileEveryDays: RECONCILE_EVERY_DAYS.default(7),
    formulaRefreshHours: FormulaRefreshHoursSchema.default(24),
  })
  .strict()
  .refine(eachTableOnce, { message: 'each table at most once', path: ['tables'] });
export type ConnectorInput = z.input<typeof ConnectorInputSchema>;

export const ConnectorPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    tables: z.array(ConnectorTableInputSchema).min(1, 'keep at least one table').max(2).optional(),
    team: z.string().trim().min(1).max(100).optional(),
    intervalMinutes: z.number().int().min(5).max(1440).optional(),
    deleteMode: z.enum(['hard', 'soft']).optional(),
    budgetThreshold: z.number().min(0).max(0.9).optional(),
    reconcileEveryDays: RECONCILE_EVERY_DAYS.optional(),
    destination: ConnectorDestinationSchema.optional(),
    formulaRefreshHours: FormulaRefreshHoursSchema.optional(),
  })
  .strict()
  .refine(eachTableOnce, { message: 'each table at most once', path: ['tables'] });


export const SyncRunSchema = z.object({
  id: z.string(),
  table: z.string(),
  /** `reconcile`: an Id reconciliation; `formula_refresh`: a pass reading only the mapped formula fields */
  mode: z.enum(['initial', 'incremental', 'reconcile', 'formula_refresh']),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  read: z.number(),
  upserted: z.number(),
  deleted: z.number(),
  rejected: z.number(),
  apiCalls: z.number(),
  durationMs: z.number().nullable(),
  /** ours (snake_case, shared/run-outcomes.ts) or Salesforce's own errorCode verbatim; `errorSource` says which */
  errorCode: z.string().nullable(),
  errorSource: z.enum(['forcebridge', 'salesforce']).nullable(),
  errorMessage: z.string().nullable(),
});
export type SyncRun = z.infer<typeof SyncRunSchema>;

export const ConnectorTableSchema = z.object({
  table: z.enum(DESTINATION_TABLES),
  enabled: z.boolean(),
  mapping: z.record(z.string(), z.string()),
  /** the row filter (a SOQL condition), or null for every record */
  filter: z.string().nullable(),
  /** mapped Salesforce fields that are formulas (`calculated` in the describe), refreshed every formulaRefreshHours */
  formulaFields: z.array(z.string()),
  /** the last formula refresh that finished, if any */
  formulaRefresh: z.object({ finishedAt: z.string(), rowsChanged: z.number() }).nullable(),
  /** what refreshing the formula fields costs a day at the connector's cadence (0 without formula fields) */
  formulaRefreshApiCallsPerDay: z.number(),
  phase: z.enum(['initial', 'incremental']),
  /** rows written by the first load so far, and Salesforce's count at its start */
  loaded: z.number(),
  total: z.number().nullable(),
  watermark: z.string().nullable(),
  /** rows of this connector in the destination table (soft-deleted ones included) */
  rows: z.number(),
  lastRun: SyncRunSchema.nullable(),
  /** the Id reconciliation that finds records purged in Salesforce: asked for (and why), under way, the last one's run */
  reconciliation: z
    .object({
      requestedAt: z.string().nullable(),
      reason: z.string().nullable(),
      underWay: z.boolean(),
      lastFinishedAt: z.string().nullable(),
      lastRun: SyncRunSchema.nullable(),
    })
    .optional(),
});

/** Which mapped fields the connection's permission set does not let the integration user read yet. */
export const ConnectorPermissionsSchema = z.object({ covered: z.boolean(), missing: z.array(z.string()) });
export type ConnectorPermissions = z.infer<typeof ConnectorPermissionsSchema>;

export const ConnectorSchema = z.object({
  id: z.string(),
  connectionId: z.string(),
  destination: ConnectorDestinationSchema,
  name: z.string(),
  team: z.string(),
  teamId: z.string(),
  intervalMinutes: z.number(),
  active: z.boolean(),
  deleteMode: z.enum(['hard', 'soft']),
  budgetThreshold: z.number(),
  reconcileEveryDays: z.number().optional(),
  formulaRefreshHours: z.number(),
  nextRunAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tables: z.array(ConnectorTableSchema),
  /** does the connection's permission set cover what the mappings read? */
  permissions: ConnectorPermissionsSchema,
  /** decided by the Worker once; the panel and popup show it as it is */
  state: ConnectorStateSchema,
  /** the org's daily API usage, as Salesforce last reported it */
  apiUsage: z.object({ used: z.number(), max: z.number(), observedAt: z.string() }).nullable(),
});
export type Connector = z.infer<typeof ConnectorSchema>;

export const FieldsResponseSchema = z.object({
  table: z.enum(DESTINATION_TABLES),
  source: z.string(),
  columns: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.string(),
      primaryKey: z.boolean(),
      defaultField: z.string().nullable(),
      compatible: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), permissionable: z.boolean() })),
    }),
  ),
});
export type FieldsResponse = z.infer<typeof FieldsResponseSchema>;

export const EstimateSchema = z.object({
  tables: z.array(z.object({ table: z.enum(DESTINATION_TABLES), records: z.number() })),
  firstSyncApiCalls: z.number(),
  /** what the estimate assumes (REST pages can be smaller than asked, so the real count can be higher) */
  firstSyncApiCallsNote: z.string(),
  quietTickApiCalls: z.number(),
  usage: z.object({ used: z.number(), max: z.number() }).nullable(),
});
export type Estimate = z.infer<typeof EstimateSchema>;

/** `POST /api/connections/:id/filter-check`: a row filter checked, and how many records match it now. */
export const FilterCheckInputSchema = z.object({ table: z.enum(DESTINATION_TABLES), filter: z.string().trim().min(1, 'write a condition, such as Email != null').max(4000) }).strict();
export const FilterCheckSchema = z.object({
  table: z.enum(DESTINATION_TABLES),
  filter: z.string(),
  /** null: a field it reads needs Read granted first (`ungranted`), so Salesforce cannot count it yet */
  matches: z.number().nullable(),
  fields: z.array(z.string()),
  ungranted: z.array(z.string()),
});
export type FilterCheck = z.infer<typeof FilterCheckSchema>;

/** What an edit does (or, with `?dryRun=true`, would do), and whether the permissions cover the mappings it leaves. */
export const ConnectorChangeSchema = z.object({ effects: z.array(z.string()), permissions: ConnectorPermissionsSchema, connector: ConnectorSchema });

/** `POST /api/connectors?dryRun=true`: what creating the connector would do, and whether the permissions cover it. */
export const ConnectorPreviewSchema = z.object({ effects: z.array(z.string()), permissions: ConnectorPermissionsSchema });
export type ConnectorPreview = z.infer<typeof ConnectorPreviewSchema>;

export const RejectSchema = z.object({
  table: z.string(),
  salesforceId: z.string(),
  /** the record's Name in Salesforce (`?names=true`), null when not asked or not readable */
  name: z.string().nullable(),
  reason: z.string(),
  rejectedAt: z.string(),
});
export type Reject = z.infer<typeof RejectSchema>;

/** `POST /api/connectors/:id/rejects/retry`: per table, what reading the rejected records again did. */
export const RejectsRetrySchema = z.object({
  tables: z.array(z.object({ table: z.enum(DESTINATION_TABLES), retried: z.number(), written: z.number(), stillRejected: z.number(), notFound: z.number() })),
});
export type RejectsRetry = z.infer<typeof RejectsRetrySchema>;

export const ConnectorDeletedSchema = z.object({ deleted: z.string(), message: z.string() });
