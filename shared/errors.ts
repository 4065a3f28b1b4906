/**
 * Error codes the API returns in `{ "error": { "code", "message" } }`.
 * Codes are stable (clients branch on them); messages are for people and say what to do.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'origin_not_allowed',
  'not_found',
  'method_not_allowed',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
