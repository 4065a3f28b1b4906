/**
 * What Dataverse and Entra ID answer when they refuse, kept typed: `DataverseError` carries the service's own code
 * (`0x80072560`, `AADSTS7000215`, …), its message and the HTTP status, parsed with zod at the edge.
 *  - Web API error envelope `{"error":{"code","message"}}`:
 *    https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#parse-errors-from-the-response
 *  - Entra ID token errors (`error`, `error_description`, `error_codes`):
 *    https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response
 */
import { z } from 'zod';

export type DataverseErrorSource = 'entra' | 'dataverse' | 'network';

export class DataverseError extends Error {
  override readonly name = 'DataverseError';

  constructor(
    readonly source: DataverseErrorSource,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const WebApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const EntraErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});

/** A refused Web API response as a DataverseError (a gateway's plain text keeps its status and text). */
export function webApiError(status: number, text: string, retryAfterSeconds?: number): DataverseError {
  const parsed = WebApiErrorSchema.safeParse(safeJson(text));
  if (parsed.success) return new DataverseError('dataverse', status, parsed.data.error.code, parsed.data.error.message, retryAfterSeconds);
  return new DataverseError('dataverse', status, '', text.trim().slice(0, 300) || `HTTP ${status}`, retryAfterSeconds);
}

/** A refused token request: the code is `AADSTS<n>` when Entra names one, else its `error` value. */
export function entraError(status: number, text: string): DataverseError {
  const parsed = EntraErrorSchema.safeParse(safeJson(text));
  if (!parsed.success) return new DataverseError('entra', status, '', text.trim().slice(0, 300) || `HTTP ${status}`);
  const { error, error_description: description, error_codes: codes } = parsed.data;
  const code = codes?.[0] !== undefined ? `AADSTS${codes[0]}` : error;
  // Keep the first sentence: the rest is trace and correlation ids.
  const message = (description ?? error).split(/\r?\n/)[0]?.replace(/ Trace ID:.*$/, '') ?? error;
  return new DataverseError('entra', status, code, message);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
