/**
 * SOQL errors in Salesforce's format: the offending line of the query, a caret under the offending token, its
 * position, then the reason (errors/INVALID_TYPE_query_400.snowfakery.json and the live INVALID_FIELD body quoted
 * in errors/real-world-quoted.catalog.json).
 */
import { SalesforceError } from '../errors';

export class SoqlError extends SalesforceError {
  constructor(errorCode: string, soql: string, row: number, column: number, reason: string) {
    const line = soql.split('\n')[row - 1] ?? '';
    super(errorCode, `\n${line}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${reason}`, 400);
  }
}

export const reasons = {
  unknownObject: (name: string) =>
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  unknownField: (field: string, object: string) =>
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  unknownRelationship: (name: string) =>
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  unexpected: (token: string) => `unexpected token: ${token}`,
  wrongLiteral: (field: string, type: string, quoted: boolean) =>
    quoted
      ? `value of filter criterion for field '${field}' must be of type ${type} and should not be enclosed in quotes`
      : `value of filter criterion for field '${field}' must be of type ${type} and should be enclosed in quotes`,
  notFilterable: (field: string) => `field '${field}' can not be filtered in a query call`,
  notSortable: (field: string) => `field '${field}' can not be sorted in a query call`,
};
