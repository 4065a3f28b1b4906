/** The steps of each connection operation, in order, with the labels the panel shows. */
import type { ConnectionOperation } from '../../../../shared/api';
import { createClientApp, deleteClientApp } from './client-app';
import type { Step } from './context';
import { deactivateIntegrationUser, ensureApiIntegrationLicence, ensureIntegrationUser } from './integration-user';
import { deletePermissionSet, reconcilePermissionSet } from './permission-set';
import { preflight } from './preflight';
import { verifyConnection } from './verify';

export const STEPS = {
  preflight: { label: 'Pre-flight checks', run: preflight },
  integration_user: { label: 'Integration user', run: ensureIntegrationUser },
  api_integration_licence: { label: 'Salesforce API Integration licence', run: ensureApiIntegrationLicence },
  permission_set: { label: 'Least-privilege permission set', run: reconcilePermissionSet },
  client_app: { label: 'OAuth client app', run: createClientApp },
  verification: { label: 'Verification (JWT sign-in and a test query)', run: verifyConnection },
  client_app_removal: { label: 'Delete the client app', run: deleteClientApp },
  permission_set_removal: { label: 'Remove the assignment and delete the permission set', run: deletePermissionSet },
  integration_user_deactivation: { label: 'Deactivate the integration user', run: deactivateIntegrationUser },
} satisfies Record<string, { label: string; run: Step }>;

export type StepName = keyof typeof STEPS;

const TURN_ON: StepName[] = ['preflight', 'integration_user', 'api_integration_licence', 'permission_set', 'client_app', 'verification'];

export const OPERATION_STEPS: Record<ConnectionOperation, readonly StepName[]> = {
  turn_on: TURN_ON,
  // Checks first, so a reconnect that cannot succeed deletes nothing; the same user is reused.
  reconnect: ['preflight', 'client_app_removal', 'permission_set_removal', ...TURN_ON.slice(1)],
  turn_off: ['client_app_removal', 'permission_set_removal', 'integration_user_deactivation'],
  update_permissions: ['permission_set', 'verification'],
};

export const stepLabel = (step: string) => (STEPS as Record<string, { label: string }>)[step]?.label ?? step;
