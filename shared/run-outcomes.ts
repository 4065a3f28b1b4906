/**
 * One vocabulary for how a sync run ended: its status, and its error code, which is either one of OURS (snake_case,
 * listed here, each meaning one thing) or SALESFORCE's own `errorCode` kept verbatim (`INVALID_FIELD`,
 * `REQUEST_LIMIT_EXCEEDED`, …) so the admin can look it up. `runErrorSource` tells them apart for the UI's label.
 */
export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'rate_limited', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Codes Forcebridge gives a run itself. */
export const FORCEBRIDGE_RUN_ERROR_CODES = [
  /** the connection is not connected (turned off, failed, being recreated) */
  'connection_not_connected',
  /** the JWT-bearer sign-in as the integration user failed without a Salesforce error code */
  'salesforce_sign_in_failed',
  /** Salesforce did not answer before the invocation's time limit, and nothing was committed */
  'salesforce_timeout',
  /** Salesforce answered with something that is not what its API sends */
  'malformed_response',
  /** the Bulk API 2.0 job failed or was aborted in Salesforce */
  'bulk_job_failed',
  /** paused: the org's remaining daily API requests are below the connector's reserve */
  'api_budget_reserved',
  /** the Worker stopped during the run; the next run carried on */
  'interrupted',
  /** Dataverse's service protection asked to wait (429 Retry-After) longer than the invocation had left */
  'dataverse_throttled',
  /** the Dataverse environment refused the page or the sign-in (its own code is in the message) */
  'dataverse_failed',
  /** the connector's Dataverse connection is untested, failing, or gone */
  'dataverse_connection_not_connected',
  /** a mapped formula field is no longer readable by the integration user (deleted, or its Read taken away) */
  'formula_field_unreadable',
] as const;
export type ForcebridgeRunErrorCode = (typeof FORCEBRIDGE_RUN_ERROR_CODES)[number];

/** Salesforce's own errorCode, verbatim; made only through `salesforceCode`, so ours and theirs never mix by accident. */
export type SalesforceRunErrorCode = string & { readonly __salesforce: true };
export const salesforceCode = (errorCode: string) => errorCode as SalesforceRunErrorCode;

export type RunErrorCode = ForcebridgeRunErrorCode | SalesforceRunErrorCode;
export type RunErrorSource = 'forcebridge' | 'salesforce';

const OURS: ReadonlySet<string> = new Set(FORCEBRIDGE_RUN_ERROR_CODES);

/** Who said a stored error code: one of ours, or Salesforce's. */
export const runErrorSource = (code: string): RunErrorSource => (OURS.has(code) ? 'forcebridge' : 'salesforce');
