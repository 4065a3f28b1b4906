/**
 * Calls the Forcebridge Worker. Used only by the background script: it holds the API key and turns every failure
 * (not configured, unreachable, an error answer, an unexpected body) into a `Problem` that says what to do.
 */
import type { z } from 'zod';
import { ErrorBodySchema, HealthSchema, TenantSchema } from '../../shared/api';
import { type Problem, ProblemError, type Result, type WorkerStatus } from './messages';
import type { Settings } from './settings';

export async function callWorker<T extends z.ZodType>(
  settings: Settings,
  path: string,
  schema: T,
  init: RequestInit = {},
): Promise<Result<z.output<T>>> {
  if (!settings.workerUrl) {
    return fail('not_configured', 'Forcebridge is not set up yet. Open the extension options and enter your Forcebridge service URL and API key.');
  }
  const headers = new Headers(init.headers);
  if (settings.apiKey) headers.set('Authorization', `Bearer ${settings.apiKey}`);
  if (init.body) headers.set('Content-Type', 'application/json');

  let response: Response;
  try {
    response = await fetch(`${settings.workerUrl}${path}`, { ...init, headers });
  } catch {
    return fail('worker_unreachable', `Could not reach your Forcebridge service at ${settings.workerUrl}. Check the Worker URL in the extension options and that the service is running.`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (parsed.success && (response.ok || response.status === 503)) return { ok: true, data: parsed.data };
  const error = ErrorBodySchema.safeParse(body);
  if (error.success) return { ok: false, error: error.data.error };
  return fail('bad_response', `The service at ${settings.workerUrl} answered ${response.status} with something that is not Forcebridge's API. Check the Worker URL.`);
}

/** Health (no key needed) and then the tenant the key belongs to. */
export async function readWorkerStatus(settings: Settings): Promise<WorkerStatus> {
  const status: WorkerStatus = { workerUrl: settings.workerUrl, health: null, tenant: null, problem: null };
  const health = await callWorker(settings, '/api/health', HealthSchema);
  if (!health.ok) return { ...status, problem: health.error };
  status.health = health.data;
  if (!settings.apiKey) {
    return { ...status, problem: { code: 'not_configured', message: 'No API key is set. Open the extension options and paste your tenant API key.' } };
  }
  const tenant = await callWorker(settings, '/api/tenant', TenantSchema);
  if (!tenant.ok) return { ...status, problem: tenant.error };
  status.tenant = tenant.data;
  if (health.data.status !== 'ok') {
    status.problem = {
      code: 'worker_degraded',
      message: `The Worker's database is at ${health.data.database.latestMigration ?? 'no migration'} but this version needs ${health.data.database.expectedMigration}. Run \`wrangler d1 migrations apply DB --remote\`.`,
    };
  }
  return status;
}

function fail(code: Problem['code'], message: string): { ok: false; error: Problem } {
  return { ok: false, error: { code, message } };
}

/** For background handlers: the answer, or a ProblemError the caller turns into `{ ok: false, error }`. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw new ProblemError(result.error.code, result.error.message);
}
