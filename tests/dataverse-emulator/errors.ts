/**
 * Dataverse's Web API error envelope `{"error":{"code":"0x…","message":"…"}}` (error-body.http) and the exact codes
 * and texts the emulator answers with, each citing where it was seen. One error type carries its HTTP status, so
 * single requests and `$batch` parts answer alike.
 */

export class DataverseError extends Error {
  override readonly name = 'DataverseError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. Retry-After on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The codes newer services fill where the 2018–2022 traces show `"code":""` (see the `filledErrorCodes` switch). */
export type CodeStyle = { filled: boolean };

const emptyOr = (style: CodeStyle, code: string) => (style.filled ? code : '');

/** "The specified object was not found": table logical name + id, as in upsert-if-match-404.http. */
export const rowNotFound = (style: CodeStyle, table: string, id: string) =>
  new DataverseError(404, emptyOr(style, '0x80040217'), `${table} With Id = ${id} Does Not Exist`);

/** create-if-none-match-412.http; DuplicateRecord = 0x80040237 (error-codes.md). */
export const matchingKeyExists = (style: CodeStyle) =>
  new DataverseError(412, emptyOr(style, '0x80040237'), 'A record with matching key values already exists.');

/** concurrency-etag-412-304.http; ConcurrencyVersionMismatch = 0x80060882. */
export const versionMismatch = (style: CodeStyle) =>
  new DataverseError(412, emptyOr(style, '0x80060882'), "The version of the existing record doesn't match the RowVersion property provided.");

/** delete-404.http #2 (0x80060888, verbatim). */
export const segmentNotFound = (segment: string) => new DataverseError(404, '0x80060888', `Resource not found for the segment '${segment}'.`);

/** batch-continue-on-error.http (verbatim, two spaces after "occurred."). */
export const lengthExceeded = (column: string, table: string, max: number) =>
  new DataverseError(400, '0x80044331', `A validation error occurred.  The length of the '${column}' attribute of the '${table}' entity exceeded the maximum allowed length of '${max}'.`);

/**
 * A lookup bound to a row that does not exist: the catalogue's RecordNotFoundByEntityKey text, as a client reported
 * it for exactly this case (https://github.com/AleksandrRogov/DynamicsWebApi/issues/179). The status is not in that
 * report; 404 is the status Dataverse gives every missing row (update-delete-entities-using-web-api.md).
 */
export const boundRowNotFound = (table: string) =>
  new DataverseError(404, '0x80060891', `A record with the specified key values does not exist in ${table} entity`);

/**
 * A property the table does not have, in a write body: Dataverse's payload error (0x80048d19), as quoted in
 * https://github.com/verbb/formie/issues/1251 (the server's stack trace left out).
 */
export const invalidProperty = (entitySet: string, table: string, property: string, reason = 'Does not support untyped value in non-open type.') =>
  new DataverseError(
    400,
    '0x80048d19',
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293 ----> InnerException : Microsoft.Crm.CrmException: Invalid property '${property}' was found in entity 'Microsoft.Dynamics.CRM.${table}'. ---> Microsoft.OData.ODataException: ${reason}`,
  );

/** A value of the wrong JSON type for its column: the same payload error with OData's conversion text. */
export const wrongValueType = (entitySet: string, edmType: string) =>
  new DataverseError(
    400,
    '0x80048d19',
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293 ----> InnerException : Microsoft.OData.ODataException: Cannot convert a primitive value to the expected type '${edmType}'. See the inner exception for more details.`,
  );

/** $select/$filter/$orderby naming an unknown column: https://github.com/verbb/formie/issues/1185 (code 0x0). */
export const unknownQueryProperty = (table: string, property: string) =>
  new DataverseError(400, '0x0', `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${table}'.`);

/** A query option or syntax the emulator's OData subset cannot read (our wording; Dataverse's parser texts vary). */
export const badQuery = (message: string) => new DataverseError(400, '0x0', message);

/** error-body.http #5: an app registration with no application user in the environment. */
export const notAMember = () => new DataverseError(403, '0x80072560', 'The user is not a member of the organization.');

/**
 * PrivilegeDenied (0x80040220, 403 per compose-http-requests-handle-errors.md). The wording follows the live
 * message Dataverse writes for a missing privilege ("Principal user (Id=…) is missing prvX privilege …"); its exact
 * form is not in the reference set, but it names the privilege, which is what callers need.
 */
export const privilegeDenied = (userId: string, privilege: string, privilegeId: string, table: string, objectTypeCode: number) =>
  new DataverseError(
    403,
    '0x80040220',
    `Principal user (Id=${userId}, type=8, roleCount=1, privilegeCount=1, accessMode=4), is missing ${privilege} privilege (Id=${privilegeId}) on OTC=${objectTypeCode} for entity '${table}'. context.Caller=${userId}`,
  );

/** PrincipalPrivilegeDenied (0x80040231, catalogue text): the new owner (a team) cannot hold the row. */
export const principalPrivilegeDenied = () => new DataverseError(403, '0x80040231', 'Target user or team does not hold required privileges.');

/** The owner lookup pointed at something that is neither a systemuser nor a team (InvalidOwnerID, catalogue text). */
export const invalidOwner = () => new DataverseError(400, '0x80040229', 'The owner ID is invalid or missing.');

/** batch-error-400.http #2 (the doc's summary line, verbatim). */
export const contentIdUnknown = (reference: string) => new DataverseError(400, '0x0', `Content-ID Reference: '${reference}' does not exist in the batch context.`);

/** Service protection (api-limits.md, limits.md §2; exact texts, two spaces before "milliseconds"). */
export const throttled = {
  requests: (limit: number, windowSeconds: number, retryAfter: number) =>
    new DataverseError(429, '0x80072322', `Number of requests exceeded the limit of ${limit} over time window of ${windowSeconds} seconds.`, { 'Retry-After': String(retryAfter) }),
  executionTime: (limitMs: number, windowSeconds: number, retryAfter: number) =>
    new DataverseError(
      429,
      '0x80072321',
      `Combined execution time of incoming requests exceeded limit of ${limitMs.toLocaleString('en-US')}  milliseconds over time window of ${windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
      { 'Retry-After': String(retryAfter) },
    ),
  concurrency: (limit: number, retryAfter: number) =>
    new DataverseError(429, '0x80072326', `Number of concurrent requests exceeded the limit of ${limit}.`, { 'Retry-After': String(retryAfter) }),
};

/** Catalogue UnExpected (0x80040216) for injected 500s; the text is the catalogue's generic one. */
export const unexpected = () => new DataverseError(500, '0x80040216', 'An unexpected error occurred.');

/** Something the emulator does not emulate: said plainly rather than answered wrongly. */
export const notEmulated = (what: string) => new DataverseError(501, '0x8006088a', `The Dataverse emulator does not emulate ${what}.`);
