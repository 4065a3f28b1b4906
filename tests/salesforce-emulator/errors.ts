/**
 * Salesforce's REST error shape: a JSON array of `{message, errorCode, fields?}` (key order as recorded in
 * restforce-mit/expired_session_response.json and errors/*). One error type carries the HTTP status with it, so
 * every layer (REST, composite, Bulk 2.0, SOAP faults) can answer with the same real code and text.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */

export type SalesforceErrorBody = { message: string; errorCode: string; fields?: string[] };

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';

  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number = 400,
    readonly fields?: string[],
  ) {
    super(message);
  }

  toJSON(): SalesforceErrorBody {
    return this.fields ? { message: this.message, errorCode: this.errorCode, fields: this.fields } : { message: this.message, errorCode: this.errorCode };
  }

  body(): SalesforceErrorBody[] {
    return [this.toJSON()];
  }
}

/** Exact texts and codes the emulator answers with; each cites where it was seen. */
export const errors = {
  /** restforce-mit/expired_session_response.json; 401. */
  invalidSession: () => new SalesforceError('INVALID_SESSION_ID', 'Session expired or invalid', 401),
  /** A Lightning-host browser session used against the API (jsforce knows this text and does not refresh on it). */
  sessionNotForApi: () => new SalesforceError('INVALID_SESSION_ID', 'This session is not valid for use with the REST API', 401),
  /** errors/real-world-quoted.catalog.json (OrgCheck#181, SwiftlySalesforce#29); 403. */
  requestLimitExceeded: () => new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 403),
  /** restforce-mit/sobject_describe_error_response.json and errors/composite_NOT_FOUND_404_subrequest.cumulusci.json. */
  notFound: () => new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404),
  /** restforce-mit/delete_error_response.json: a path segment that is not an id is read as an external id field. */
  externalIdNotFound: (segment: string) =>
    new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${segment}`, 404),
  /** The message Professional Edition orgs get from REST without API access. */
  apiDisabledForOrg: () => new SalesforceError('API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.', 403),
  /** SOAP login's text for a user without "API Enabled" (used for REST too; see README fidelity notes). */
  apiDisabledForUser: () => new SalesforceError('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner', 403),
  /** Quoted from live responses in public test fixtures (e.g. INSUFFICIENT_ACCESS_OR_READONLY bodies). */
  insufficientAccess: () => new SalesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', 400),
  insufficientAccessCrossReference: (fields?: string[]) =>
    new SalesforceError('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'insufficient access rights on cross-reference id', 400, fields),
  /** restforce-mit/write_error_response.json. */
  noSuchColumnOnWrite: (field: string, type: string) =>
    new SalesforceError('INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`, 400),
  fieldNotWritable: (fields: string[]) =>
    new SalesforceError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      400,
      fields,
    ),
  requiredFieldsMissing: (fields: string[]) =>
    new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, 400, fields),
  malformedId: (label: string, value: string, field: string) =>
    new SalesforceError('MALFORMED_ID', `${label}: id value of incorrect type: ${value}`, 400, [field]),
  invalidCrossReference: (field: string) => new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', 400, [field]),
  stringTooLong: (label: string, value: string, max: number, field: string) =>
    new SalesforceError('STRING_TOO_LONG', `${label}: data value too large: ${value} (max length=${max})`, 400, [field]),
  invalidTypeOnField: (label: string, value: unknown, field: string) =>
    new SalesforceError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: value not of required type: ${String(value)}`, 400, [field]),
  entityIsDeleted: () => new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 404),
  /** Live Apex/REST text of DUPLICATE_USERNAME (help.salesforce.com articles 000381924 and 000383623). */
  duplicateUsername: () =>
    new SalesforceError(
      'DUPLICATE_USERNAME',
      "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
      400,
      ['Username'],
    ),
  /** Apex form "LICENSE_LIMIT_EXCEEDED, License Limit Exceeded - Customer Community" seen in public LWC code; suffix per licence. */
  licenseLimitExceeded: (licenseName: string) =>
    new SalesforceError('LICENSE_LIMIT_EXCEEDED', `License Limit Exceeded - ${licenseName}`, 400),
  /** "FIELD_INTEGRITY_EXCEPTION, The user license doesn't allow the permission: Read Promotion" (public repos quoting live errors). */
  userLicenseDisallowsPermission: (permission: string) =>
    new SalesforceError('FIELD_INTEGRITY_EXCEPTION', `The user license doesn't allow the permission: ${permission}`, 400),
  /** "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, Field Name: bad value for restricted picklist field: Contact.LastName: [Field]" (live Apex assertion). */
  badRestrictedPicklistField: (value: string) =>
    new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Field Name: bad value for restricted picklist field: ${value}`, 400, ['Field']),
  /** Code is real; the exact text for PermissionSet was not found in public sources (README fidelity notes). */
  duplicateDeveloperName: (name: string) =>
    new SalesforceError('DUPLICATE_DEVELOPER_NAME', `The API name "${name}" is already in use. Enter a unique name.`, 400, ['Name']),
  duplicateValue: (field: string, id: string) =>
    new SalesforceError('DUPLICATE_VALUE', `duplicate value found: ${field} duplicates value on record with id: ${id}`, 400, [field]),
  validationRule: (message: string) => new SalesforceError('FIELD_CUSTOM_VALIDATION_EXCEPTION', message, 400),
  cannotDeleteEntity: () => new SalesforceError('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted', 400),
  /** Salesforce's generic 500 body (UNKNOWN_EXCEPTION with an ErrorId), used for injected 5xx faults. */
  unknownException: () =>
    new SalesforceError(
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred. Please include this ErrorId if you contact support: ${Math.floor(Math.random() * 1e9)}-${Math.floor(Math.random() * 1e5)} (${-Math.floor(Math.random() * 2e9)})`,
      500,
    ),
  serverUnavailable: () => new SalesforceError('SERVER_UNAVAILABLE', 'Server is unavailable', 503),
  invalidQueryLocator: () => new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400),
  /** Composite rollback text seen in live composite responses with allOrNone. */
  processingHalted: () =>
    new SalesforceError('PROCESSING_HALTED', 'The transaction was rolled back since another operation in the same transaction failed.', 400),
  methodNotAllowed: (method: string) =>
    new SalesforceError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST,PATCH,DELETE`, 405),
  jsonParser: (message: string) => new SalesforceError('JSON_PARSER_ERROR', message, 400),
};
