/**
 * Pre-flight: the readiness checks `npm run doctor` prints (one implementation, readiness.ts), run before anything
 * is created. Every failing check that blocks turning on is named in one message, so an admin fixes them all in one
 * go. (One org ↔ one tenant is enforced before any step runs.)
 */
import { API_VERSION } from '../api';
import { type ReadinessCheck, checkReadiness } from '../readiness';
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';

/** The error code of the most fundamental failure: permissions first, then licences, then names. */
function codeFor(failed: ReadinessCheck[]) {
  const ids = new Set(failed.map((c) => c.id));
  if (ids.has('api_access')) return { code: 'salesforce_session_refused' as const, status: 403 as const };
  if (ids.has('admin_permissions')) return { code: 'salesforce_not_admin' as const, status: 403 as const };
  if (ids.has('integration_licence') || ids.has('api_integration_licence')) return { code: 'salesforce_no_integration_licence' as const, status: 409 as const };
  if (ids.has('names_free')) return { code: 'salesforce_name_in_use' as const, status: 409 as const };
  return { code: 'salesforce_error' as const, status: 409 as const };
}

export async function preflight(ctx: StepContext): Promise<StepOutcome> {
  const checks = await checkReadiness(ctx.admin, { requiredAccess: ctx.requiredAccess, integrationUsername: ctx.connection.integration_username, apiVersion: API_VERSION });
  const failed = checks.filter((c) => !c.ok && c.blocksTurnOn);
  if (failed.length > 0) {
    const { code, status } = codeFor(failed);
    const each = failed.map((c) => `${c.label}: ${c.detail} ${c.fix ?? ''}`.trim());
    throw new ProvisioningError(code, `Forcebridge cannot turn access on yet; nothing was created. ${each.join(' — ')}`, { status });
  }
  const notes = checks.filter((c) => !c.ok).map((c) => `${c.label}: ${c.detail}`);
  const reuse = checks.find((c) => c.id === 'names_free')?.detail ?? '';
  return { status: 'done', detail: ['Permissions, licences, names, objects, Bulk API 2.0 and the API budget checked.', reuse, ...notes].filter(Boolean).join(' ') };
}
