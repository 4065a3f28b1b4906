/**
 * Provisioning failures as the admin should read them: what happened and what to do; `actionsFor` names the panel
 * actions that fix each kind.
 * Salesforce's own code and message are kept in the text so they can be looked up.
 */
import type { ConnectionAction, ConnectionOperation } from '../../../../shared/api';
import type { ErrorCode } from '../../../../shared/errors';
import { AppError } from '../../errors';
import { asSalesforceError } from '../errors';

export class ProvisioningError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; status?: 400 | 403 | 409 | 502 },
  ) {
    super(code, options?.status ?? 400, message, options);
  }
}

export const sessionRefused = (detail: string) =>
  new ProvisioningError(
    'salesforce_session_refused',
    `Salesforce did not accept your browser session for API calls (${detail}). Sign in with Salesforce instead: it opens Salesforce's own sign-in and uses that authority only for this operation.`,
    { status: 403 },
  );

/** Turns an error thrown during a step into a ProvisioningError; unknown non-Salesforce errors pass through. */
export function explain(error: unknown, step: string): unknown {
  if (error instanceof ProvisioningError) return error;
  const sf = asSalesforceError(error);
  if (!sf) {
    if (error instanceof TypeError || (error instanceof Error && /network|fetch|ECONN|socket/i.test(error.message))) {
      return new ProvisioningError('salesforce_unavailable', `Salesforce could not be reached during "${step}" (${error.message}). Try again in a moment.`, { cause: error, status: 502 });
    }
    return error;
  }
  const quoted = `Salesforce said: ${sf.errorCode}: ${sf.message}`;
  switch (sf.errorCode) {
    case 'INVALID_SESSION_ID':
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return sessionRefused(`${sf.errorCode}: ${sf.message}`);
    case 'INSUFFICIENT_ACCESS':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
      return new ProvisioningError('salesforce_not_admin', `Your Salesforce user may not do this ("${step}"). Ask a System Administrator (Manage Users and Customize Application) to turn on access. ${quoted}`, { cause: error, status: 403 });
    case 'DUPLICATE_USERNAME':
      return new ProvisioningError('salesforce_username_taken', `The integration username is already used by a user in another Salesforce org, so Salesforce will not create it here. Contact Forcebridge support with your org id. ${quoted}`, { cause: error, status: 409 });
    case 'DUPLICATE_DEVELOPER_NAME':
    case 'DUPLICATE_VALUE':
      return new ProvisioningError('salesforce_name_in_use', `Something in your org already uses a name Forcebridge needs ("${step}"). Rename or delete it in Setup, then retry. ${quoted}`, { cause: error, status: 409 });
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return new ProvisioningError('salesforce_validation_rule', `A validation rule in your org blocked "${step}". Adjust the rule so it allows the Forcebridge integration user (API-only, profile "Minimum Access - API Only Integrations"), then retry. ${quoted}`, { cause: error, status: 409 });
    case 'LICENSE_LIMIT_EXCEEDED':
      return new ProvisioningError('salesforce_no_integration_licence', `Your org has no free Salesforce Integration user licence. Free one in Setup → Company Information (deactivate an unused integration user) or buy one, then retry. ${quoted}`, { cause: error, status: 409 });
    case 'REQUEST_LIMIT_EXCEEDED':
      return new ProvisioningError('salesforce_error', `Your org has used its daily API requests, so Salesforce refused "${step}". Retry after the 24-hour window frees requests. ${quoted}`, { cause: error, status: 409 });
    default:
      if ((sf.status ?? 0) >= 500) {
        return new ProvisioningError('salesforce_unavailable', `Salesforce had a server error during "${step}". Try again in a moment. ${quoted}`, { cause: error, status: 502 });
      }
      return new ProvisioningError('salesforce_error', `Salesforce refused "${step}". ${quoted}`, { cause: error, status: 409 });
  }
}

/** The panel actions that fix an error of this code, for the operation that failed. */
export function actionsFor(code: string, operation: ConnectionOperation): ConnectionAction[] {
  const cleanUp: ConnectionAction[] = operation === 'turn_off' ? [] : ['turn_off'];
  switch (code) {
    case 'salesforce_session_refused':
      return ['sign_in', 'retry'];
    case 'salesforce_verification_failed':
      return ['recreate_connection', 'retry', ...cleanUp];
    default:
      return ['retry', ...cleanUp];
  }
}
