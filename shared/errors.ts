/**
 * Error codes the API returns in `{ "error": { "code", "message" } }`.
 * Codes are stable (clients branch on them); messages are for people and say what to do.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'unsupported_media_type',
  'validation_failed',
  'unauthorized',
  'origin_not_allowed',
  'not_found',
  'method_not_allowed',
  'internal_error',
  'server_misconfigured',
  'salesforce_host_not_allowed',
  'connection_not_found',
  /** another request is working on the connection right now */
  'connection_busy',
  /** the connection is not connected (off, failed, being provisioned), and the request needs it connected */
  'connection_not_connected',
  /** the operation cannot start from the connection's current status */
  'connection_operation_not_allowed',
  'org_connected_elsewhere',
  'salesforce_session_refused',
  'salesforce_not_admin',
  'salesforce_no_integration_licence',
  'salesforce_username_taken',
  'salesforce_name_in_use',
  'salesforce_validation_rule',
  'salesforce_deploy_failed',
  'salesforce_client_app_blocked',
  'salesforce_verification_failed',
  'salesforce_unavailable',
  'salesforce_error',
  'connector_not_found',
  /** the connector is deactivated, and the request needs it active */
  'connector_inactive',
  /** a sync of the connector holds its lease right now */
  'connector_busy',
  'mapping_invalid',
  /** a row filter Salesforce or our parser refuses (syntax, unknown field, wrong literal) */
  'filter_invalid',
  /** a row filter reads a field the integration user may not read */
  'filter_field_unreadable',
  'describe_unavailable',
  'agent_credential_not_found',
  'agent_credential_wrong_route',
  'dataverse_host_not_allowed',
  'dataverse_connection_not_found',
  'dataverse_connection_exists',
  'dataverse_environment_unreachable',
  'dataverse_environment_mismatch',
  'dataverse_tenant_not_found',
  'dataverse_client_not_found',
  'dataverse_secret_invalid',
  'dataverse_secret_expired',
  'dataverse_certificate_not_uploaded',
  'dataverse_sign_in_failed',
  'dataverse_no_application_user',
  'dataverse_throttled',
  'dataverse_unavailable',
  'dataverse_error',
  'dataverse_connection_not_connected',
  'dataverse_team_not_found',
  'dataverse_team_cannot_own',
  'dataverse_privilege_missing',
  'dataverse_column_missing',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
