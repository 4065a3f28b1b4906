/** A connection as the API shows it: details, steps, last error with its actions, drift. Never a secret. */
import type { Connection, DriftFinding } from '../../../../shared/api';
import type { ConnectionRow, StepRow } from '../../db/connections';
import { parseDrift, parseGrantedAccess } from '../../db/stored-json';
import { actionsFor } from './explain';
import { stepLabel } from './operations';
import type { PermissionSetPlan } from './permission-set-plan';

const grantedAccess = (plan: PermissionSetPlan) => ({ objects: plan.objects.map((o) => o.sobject), fields: plan.fields });

export function connectionView(row: ConnectionRow, steps: StepRow[]): Connection {
  const drift: DriftFinding[] = parseDrift(row.drift);
  return {
    id: row.id,
    orgId: row.org_id,
    instanceUrl: row.instance_url,
    status: row.status,
    operation: row.operation,
    done: row.status === 'connected' || row.status === 'failed' || row.status === 'off',
    appName: row.app_name,
    appKind: row.app_kind,
    consumerKey: row.consumer_key,
    integrationUsername: row.integration_username,
    integrationUserId: row.integration_user_id,
    permissionSetName: row.permission_set_name,
    permissionSetId: row.permission_set_id,
    createdAt: row.created_at,
    connectedAt: row.connected_at,
    verifiedAt: row.verified_at,
    grantedAccess: row.granted_access ? grantedAccess(parseGrantedAccess(row.granted_access)!) : null,
    steps: steps.map((s) => ({
      step: s.step,
      label: stepLabel(s.step),
      status: s.status,
      detail: s.detail,
      error: s.error_code ? { code: s.error_code, message: s.error_message ?? '' } : null,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
    })),
    lastError: row.last_error_code
      ? { step: row.last_error_step, code: row.last_error_code, message: row.last_error_message ?? '', actions: actionsFor(row.last_error_code, row.operation) }
      : drift.length > 0 && row.status === 'connected'
        ? {
            step: null,
            code: 'connection_drift',
            message: drift.map((f) => f.message).join(' '),
            actions: drift.every((f) => f.kind === 'field_access_missing' || f.kind === 'object_access_missing') ? ['update_permissions', 'recreate_connection'] : ['recreate_connection'],
          }
        : null,
    drift,
  };
}
