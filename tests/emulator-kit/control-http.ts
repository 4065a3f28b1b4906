/**
 * The plumbing of both emulators' control APIs (`/__emulator/…`, JSON in and out): a route handler that answers what
 * the control returned or the error it threw, and a body reader that validates with a zod schema. Bad input answers
 * 400 `{error: {code: "bad_request", message, issues}}`.
 */
import type { Context } from 'hono';
import type { z } from 'zod';

/** Input the control API refuses, with each problem by path. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ControlCallOptions {
  /** An emulator's own errors as responses (e.g. Salesforce's rule violations with their status); undefined: not one. */
  translate?: (c: Context, error: Error) => Response | undefined;
  /** What a handler returning undefined means: `ok` (done, nothing to say) or `not_found` (no such row: 404). */
  undefinedMeans: 'ok' | 'not_found';
}

/** Makes a control route from a handler: its result as JSON (null: `{ok: true}`), its thrown errors as 4xx. */
export function controlCall(options: ControlCallOptions) {
  return (handler: (c: Context) => unknown) =>
    async function controlCall(c: Context) {
      try {
        const result = await handler(c);
        if (result === undefined && options.undefinedMeans === 'not_found') return c.json({ error: { code: 'not_found', message: 'No such row.' } }, 404);
        return c.json((result ?? { ok: true }) as object);
      } catch (error) {
        if (error instanceof BadRequest) return c.json({ error: { code: 'bad_request', message: error.message, issues: error.issues } }, 400);
        if (error instanceof Error) return options.translate?.(c, error) ?? c.json({ error: { code: 'bad_request', message: error.message } }, 400);
        throw error;
      }
    };
}

/** The request's JSON body checked against `schema` (an empty body is `undefined`), or a BadRequest naming each problem. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    throw new BadRequest('The body is not JSON.');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new BadRequest(`Invalid body: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, issues);
  }
  return result.data;
}

/** A path parameter ('' when absent). */
export const param = (c: Context, name: string): string => c.req.param(name) ?? '';
