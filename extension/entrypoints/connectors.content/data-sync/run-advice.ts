/** What the admin can do about a run that did not succeed, by its error code, with the button that does it. */
import type { SyncRun } from '../../../../shared/api';

export type AdviceAction = 'sync' | 'update_permissions' | 'edit' | 'turn_on' | 'verify';
export interface Advice {
  text: string;
  action: AdviceAction | null;
}

export const ADVICE_LABELS: Record<AdviceAction, string> = {
  sync: 'Sync now',
  update_permissions: 'Update permissions',
  edit: 'Edit the connector',
  turn_on: 'Turn on access',
  verify: 'Verify the connection',
};

export function runAdvice(run: SyncRun): Advice | null {
  if (run.status === 'succeeded' || run.status === 'running') return null;
  if (run.status === 'partial') return { text: 'Nothing to do: the first load continues on the next run.', action: null };
  switch (run.errorCode) {
    case 'api_budget_reserved':
    case 'REQUEST_LIMIT_EXCEEDED':
      return { text: 'The sync resumes by itself when the org’s daily API usage allows. To let it go on now, keep less in reserve.', action: 'edit' };
    case 'interrupted':
      return { text: 'Nothing to do: the next run carried on from the last saved page.', action: null };
    case 'INVALID_FIELD':
    case 'field_access_missing':
      return { text: 'The integration user cannot read a mapped field. Update the permissions, or remove the field from the mapping.', action: 'update_permissions' };
    case 'connection_not_connected':
      return { text: 'Salesforce access is off for this org. Turn it on, then activate the connector again.', action: 'turn_on' };
    case 'INVALID_SESSION_ID':
    case 'invalid_grant':
    case 'salesforce_sign_in_failed':
      return { text: 'Forcebridge could not sign in as the integration user. Verify the connection to see why.', action: 'verify' };
    default:
      return { text: 'Retry with Sync now. If it keeps failing, open Details for Salesforce’s message.', action: 'sync' };
  }
}
