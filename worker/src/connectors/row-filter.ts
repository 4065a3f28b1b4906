/**
 * Row filters: a SOQL condition a connector table copies by (`Email != null AND MailingCountry = 'France'`), checked
 * before it is saved. Parsed here (soql-parser-js, as agent SOQL is) so only a bare condition on the object's own
 * fields gets through — no LIMIT, ORDER BY, subqueries or relationship paths smuggled into the pass's query — with
 * every field known to the describe; then counted live as the integration user (`SELECT COUNT() … WHERE filter`),
 * which is where Salesforce itself refuses a malformed condition or a field that user may not read.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_conditionexpression.htm
 */
import { type Query, type WhereClause, parseQuery } from '@jetstreamapp/soql-parser-js';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import { AppError } from '../errors';
import { SalesforceError } from '../salesforce/errors';
import { countRecords, openApiSession } from '../salesforce/rest';
import { describeFields } from './describe-cache';
import { integrationSession } from '../salesforce/integration-session';

/** A filter is checked within this long (one describe at most, and one Composite call for the count). */
const CHECK_MS = 20_000;

export interface CheckedFilter {
  filter: string;
  /** the Salesforce fields it reads, as the describe spells them */
  fields: string[];
  /** records that match it now; null when the integration user may not read a field it reads yet (see `ungranted`) */
  matches: number | null;
  /**
   * `Object.Field`s it reads that the integration user may not read yet but the permission set can grant: saved, the
   * filter makes them part of the connection's required access, and Update permissions grants Read on them.
   */
  ungranted: string[];
}

const invalid = (table: DestinationTable, why: string) =>
  new AppError('filter_invalid', 400, `The ${table} filter is not a condition Forcebridge can apply: ${why}. Write a SOQL condition on ${TABLES[table].source} fields, such as Email != null AND MailingCountry = 'France'.`);

/**
 * The fields a filter reads, checked against the object's describe (pure: no I/O); with `known` null (a stored
 * filter, checked when it was saved), as the filter spells them.
 */
export function filterFields(table: DestinationTable, filter: string, known: readonly { name: string }[] | null): string[] {
  const source = TABLES[table].source;
  let query: Query;
  try {
    query = parseQuery(`SELECT Id FROM ${source} WHERE ${filter}`);
  } catch {
    // The parser's own words list token sequences, which say nothing to a person: name the likely causes instead.
    throw invalid(table, 'it does not parse (look for a dangling AND or OR, or an unclosed quote or parenthesis)');
  }
  const extra = (['orderBy', 'limit', 'offset', 'groupBy', 'having', 'for', 'update', 'usingScope', 'withDataCategory', 'withSecurityEnforced', 'withAccessLevel', 'sObjectAlias'] as const).filter(
    (clause) => (query as Record<string, unknown>)[clause] !== undefined,
  );
  if (extra.length > 0 || !query.where) throw invalid(table, `it must be a condition only (found ${extra.join(', ') || 'no condition'})`);
  const byName = known && new Map(known.map((f) => [f.name.toLowerCase(), f.name]));
  const fields = new Set<string>();
  const walk = (clause: WhereClause | undefined) => {
    if (!clause) return;
    const left = clause.left as Record<string, unknown> | null;
    if (left) {
      if ('valueQuery' in left || 'fn' in left || left.literalType === 'SUBQUERY') throw invalid(table, 'it may compare fields with values only, without subqueries or functions');
      const field = typeof left.field === 'string' ? left.field : '';
      if (field.includes('.')) throw invalid(table, `${field} is a field of another object; filter on ${source}'s own fields`);
      const canonical = byName ? byName.get(field.toLowerCase()) : field;
      if (!canonical) throw invalid(table, `${source} has no field ${field}`);
      fields.add(canonical);
    }
    if ('right' in clause) walk(clause.right);
  };
  walk(query.where);
  return [...fields];
}

/** Checks `filter` for `table` (400 naming the problem) and counts the records it matches now. */
export async function checkedFilter(env: Env, connection: ConnectionRow, table: DestinationTable, filter: string): Promise<CheckedFilter> {
  const source = TABLES[table].source;
  const describe = await describeFields(env.DB, connection.id, source, () => integrationSession(env, connection));
  const fields = filterFields(table, filter, describe);
  const session = await openApiSession(env, connection, Date.now() + CHECK_MS);
  try {
    const counts = await countRecords(session, [source], { [source]: filter });
    return { filter, fields, matches: counts.get(source)!, ungranted: [] };
  } catch (error) {
    if (!(error instanceof SalesforceError) || !['INVALID_FIELD', 'MALFORMED_QUERY', 'INVALID_QUERY_FILTER_OPERATOR'].includes(error.errorCode)) throw error;
    // The describe (taken with the admin's authority) knows the field: Salesforce's "No such column" then means the
    // integration user may not read it (field-level security hides a field from SOQL entirely).
    const hidden = fields.find((f) => f.toLowerCase() === /No such column '([^']+)'/.exec(error.message)?.[1]?.toLowerCase());
    if (hidden) {
      // A field that takes field permissions (`permissionable`) is granted by the permission set once the filter is
      // saved and permissions are updated, as a mapped field is; one that takes none (Id, audit and required fields
      // are read through object access) cannot be granted by anyone.
      // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm
      if (describe.find((f) => f.name === hidden)?.permissionable) return { filter, fields, matches: null, ungranted: [`${source}.${hidden}`] };
      throw new AppError(
        'filter_field_unreadable',
        400,
        `The ${table} filter reads ${source}.${hidden}, which the integration user may not read and no permission set can grant (it takes no field permissions). Filter on another field.`,
      );
    }
    throw invalid(table, `Salesforce refused it (${error.errorCode}: ${error.message.trim().split('\n').pop()})`);
  }
}

/**
 * The fields a stored filter reads (checked when it was saved), for the permissions it needs; none when it no longer
 * checks against the describe (a field deleted since): the pass then says what is wrong with it.
 */
export function storedFilterFields(table: DestinationTable, filter: string, known: readonly { name: string }[] | null): string[] {
  try {
    return filterFields(table, filter, known);
  } catch {
    return [];
  }
}
