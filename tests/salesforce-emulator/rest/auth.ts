/**
 * The gate in front of every REST resource under `/services/data/vXX.X/`: a supported API version (50.0–66.0),
 * a live session (else 401 INVALID_SESSION_ID), API access for the org and the user (else 403
 * API_DISABLED_FOR_ORG), and one call from the daily allowance (else 403 REQUEST_LIMIT_EXCEEDED). Every answer,
 * errors included, carries `Sforce-Limit-Info: api-usage=USED/MAX`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
import type { MiddlewareHandler } from 'hono';
import type { Emulator } from '../emulator';
import { errors } from '../errors';
import { bearerToken, SUBREQUEST_HEADER, type AppEnv } from '../http';
import { apiEnabledFor } from '../org/access';

export const MIN_VERSION = 50;
export const MAX_VERSION = 66;

/** `v62.0` → `62.0`, or undefined when the version is not one the emulator serves. */
export function parseVersion(segment: string | undefined): string | undefined {
  const match = /^v(\d+)\.0$/.exec(segment ?? '');
  const major = Number(match?.[1]);
  return match && major >= MIN_VERSION && major <= MAX_VERSION ? `${major}.0` : undefined;
}

export function restAuth(emulator: Emulator): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const version = parseVersion(c.req.param('version'));
    if (!version) throw errors.notFound();
    c.set('version', version);
    const org = emulator.org;
    const token = bearerToken(c);
    const session = token ? org.sessions.use(token, org.clock.now()) : undefined;
    if (!session) throw errors.invalidSession();
    if (!session.apiAllowed) throw errors.sessionNotForApi();
    if (!org.switches.apiEnabled) throw errors.apiDisabledForOrg();
    if (!apiEnabledFor(org, session.userId)) throw errors.apiDisabledForUser();
    const internal = c.req.header(SUBREQUEST_HEADER) === emulator.internalSecret;
    if (!internal && !org.limits.take()) throw errors.requestLimitExceeded();
    c.set('session', session);
    await next();
  };
}

/** Adds Sforce-Limit-Info to a REST answer (successful or not). */
export function limitInfo(emulator: Emulator): MiddlewareHandler<AppEnv> {
  return async function addLimitInfo(c, next) {
    await next();
    try {
      c.res.headers.set('Sforce-Limit-Info', emulator.org.limits.header());
    } catch {
      // immutable headers (a streamed response); nothing to add
    }
  };
}
