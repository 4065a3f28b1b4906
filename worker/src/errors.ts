/**
 * The one error type the API knows how to answer with. Anything else that reaches the error handler is a bug:
 * it is logged and the client gets a plain 500 without details.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '../../shared/errors';

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    readonly status: ContentfulStatusCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const unauthorized = (message: string) => new AppError('unauthorized', 401, message);
export const notFound = (message: string) => new AppError('not_found', 404, message);
