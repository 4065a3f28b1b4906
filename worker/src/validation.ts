/**
 * Request-body validation at the edge: malformed JSON and schema violations become 400s that name the problem.
 * (Hono's own `validator('json')` answers malformed JSON itself, with a message that does not say where.)
 */
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv } from './app-env';
import { AppError } from './errors';

export function jsonBody<T extends z.ZodType>(schema: T) {
  return createMiddleware<AppEnv, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }>(
    async function parseJsonBody(c, next) {
      const text = await c.req.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AppError('invalid_json', 400, `The request body is not valid JSON (${reason}). Send a JSON object with Content-Type: application/json.`);
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        throw new AppError('validation_failed', 400, `The request body is not valid: ${describeIssues(result.error)}.`);
      }
      c.req.addValidatedData('json', result.data as object);
      await next();
    },
  );
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
