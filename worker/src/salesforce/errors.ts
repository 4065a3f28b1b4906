/**
 * Salesforce's errors, kept with Salesforce's own `errorCode` so callers can branch on it and users can look it up.
 * REST errors arrive as `[{ "message", "errorCode", "fields"? }]` (jsforce raises them as errors whose `name` and
 * `errorCode` are that code); OAuth errors as `{ "error", "error_description" }`; Metadata API failures as SOAP faults.
 */

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';

  constructor(
    readonly errorCode: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns whatever jsforce or fetch threw into a SalesforceError; unknown errors pass through unchanged. */
export function asSalesforceError(error: unknown): SalesforceError | undefined {
  if (error instanceof SalesforceError) return error;
  if (!(error instanceof Error)) return undefined;
  const candidate = error as Error & { errorCode?: unknown; statusCode?: unknown; data?: { errorCode?: unknown } };
  const code = typeof candidate.errorCode === 'string' ? candidate.errorCode : typeof candidate.data?.errorCode === 'string' ? candidate.data.errorCode : undefined;
  if (!code) return undefined;
  // SOAP faults come through jsforce as "sf:INVALID_SESSION_ID".
  const errorCode = code.replace(/^sf:/, '');
  return new SalesforceError(errorCode, stripCodePrefix(error.message, errorCode), typeof candidate.statusCode === 'number' ? candidate.statusCode : undefined, { cause: error });
}

/** jsforce sometimes prefixes messages with the code ("INVALID_FIELD: No such column…"). */
function stripCodePrefix(message: string, code: string): string {
  return message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
}

/** Salesforce had not answered when the invocation's time ran out: the request was aborted, not left hanging. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
}

/** A response that is not what Salesforce sends: retried like a server error, then reported. */
export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
}
