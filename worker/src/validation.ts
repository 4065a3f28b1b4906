/**
 * Request-body validation at the edge: a body that is not declared as JSON is a 415, malformed JSON and schema
 * violations become 400s that name the problem. (Hono's own `validator('json')` answers malformed JSON itself, with a
 * message that does not say where.) A `__proto__` key is refused outright: JSON.parse keeps it as a plain key, but
 * the schema library drops it silently, so what was sent and what is stored would differ.
 */
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv } from './app-env';
import { AppError } from './errors';

export function jsonBody<T extends z.ZodType>(schema: T) {
  return createMiddleware<AppEnv, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }>(
    async function parseJsonBody(c, next) {
      const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (mediaType !== 'application/json') {
        throw new AppError(
          'unsupported_media_type',
          415,
          `The request body must be JSON, sent with Content-Type: application/json (it came as ${mediaType ? `"${mediaType}"` : 'no Content-Type'}).`,
        );
      }
      const text = await c.req.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text, refuseProtoKeys);
      } catch (error) {
        if (error instanceof AppError) throw error;
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

function refuseProtoKeys(key: string, value: unknown) {
  if (key === '__proto__') throw new AppError('validation_failed', 400, 'The request body uses "__proto__" as a key, which no field accepts. Remove it.');
  return value;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
