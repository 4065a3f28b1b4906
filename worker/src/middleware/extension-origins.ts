/**
 * CORS for the extension: only origins listed in `ALLOWED_ORIGINS` get CORS headers, and a browser request from
 * any other origin is refused outright (extensions with host permissions are not held to CORS by the browser,
 * so the header alone would not keep another extension out). Requests without an Origin (curl, servers) pass;
 * the API key is what authenticates them.
 */
import { createMiddleware } from 'hono/factory';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env';
import { AppError } from '../errors';

export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

export function extensionOrigins() {
  const corsHeaders = cors({
    origin: (origin, c) => (parseAllowedOrigins(c.env.ALLOWED_ORIGINS).includes(origin) ? origin : null),
    allowHeaders: ['Authorization', 'Content-Type'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  });

  return createMiddleware<AppEnv>(async function extensionOrigins(c, next) {
    const origin = c.req.header('Origin');
    if (origin && !parseAllowedOrigins(c.env.ALLOWED_ORIGINS).includes(origin)) {
      throw new AppError(
        'origin_not_allowed',
        403,
        `Requests from ${origin} are not allowed. Add it to the Worker's ALLOWED_ORIGINS variable (comma separated) and redeploy.`,
      );
    }
    return corsHeaders(c, next);
  });
}
