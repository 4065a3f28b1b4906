/** What the admin can do about a run that did not succeed, by its error code. */
import type { SyncRun } from '../../../../shared/api';

export function runAdvice(run: SyncRun): string | null {
  if (run.status === 'succeeded' || run.status === 'running') return null;
  if (run.status === 'partial') return 'Nothing to do: the first load continues on the next tick.';
  switch (run.errorCode) {
    case 'api_budget_reserved':
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'Nothing to do: the sync resumes by itself when the org’s daily API usage allows. Lower the reserve in Edit if you want it to go on now.';
    case 'interrupted':
      return 'Nothing to do: the next run carried on from the last committed page.';
    case 'INVALID_FIELD':
    case 'field_access_missing':
      return 'The integration user cannot read a mapped field. Update permissions in Agent connections, or remove the field from the mapping.';
    case 'connection_not_connected':
      return 'Turn access on in Agent connections → Salesforce, then activate the connector again.';
    case 'INVALID_SESSION_ID':
    case 'invalid_grant':
    case 'salesforce_sign_in_failed':
      return 'Forcebridge could not sign in as the integration user. Verify the connection; Recreate connection if it reports drift.';
    default:
      return 'Press Sync now to retry. If it keeps failing, check the Salesforce error above and the Worker logs.';
  }
}
