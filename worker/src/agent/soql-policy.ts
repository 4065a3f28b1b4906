/**
 * What a live SOQL query may be: one SELECT, parsed (soql-parser-js), of plain fields of one object the integration
 * user may read, with WHERE comparing those fields to values and ORDER BY naming them — no subqueries, relationships,
 * functions, grouping, FOR/UPDATE or scopes — and at most LIVE_ROW_CAP rows. The text sent to Salesforce is composed
 * again from the checked parse, so what runs is what was checked.
 * SOQL SELECT syntax: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
import { type FieldType, type Query, type WhereClause, composeQuery, parseQuery } from '@jetstreamapp/soql-parser-js';
import { AgentToolError } from './tool-error';

export const LIVE_ROW_CAP = 200;

/** Checks a parsed SELECT against what may be read; returns the text to send, with the row cap applied. */
export function checkedSoql(soql: string, readable: Map<string, Map<string, string>>): { soql: string; object: string } {
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (error) {
    throw new AgentToolError(`This is not a SOQL SELECT Forcebridge can read (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'}). Send one SELECT … FROM Object [WHERE …] [ORDER BY …] [LIMIT n].`);
  }
  const object = query.sObject ?? '';
  const fields = readable.get(object.toLowerCase());
  if (!fields) throw new AgentToolError(`The integration user may not read ${object || 'that object'}. Objects it can read: ${[...readable.keys()].join(', ') || 'none'}.`);
  if (query.groupBy || query.having || query.for || query.update || query.usingScope || query.withDataCategory || query.sObjectAlias) {
    throw new AgentToolError('Only plain SELECT queries are allowed: no GROUP BY, HAVING, FOR, UPDATE, USING SCOPE, WITH DATA CATEGORY or aliases.');
  }
  const allowed = (name: string, where: string) => {
    const canonical = fields.get(name.toLowerCase());
    if (!canonical) throw new AgentToolError(`${object}.${name} (${where}) is not a field the integration user may read. Readable: ${[...fields.values()].join(', ')}.`);
    return canonical;
  };
  for (const field of query.fields ?? []) {
    if (field.type !== 'Field') throw new AgentToolError(`Only plain fields may be selected (not ${describeField(field)}).`);
    allowed(field.field, 'SELECT');
  }
  const walk = (clause: WhereClause | undefined) => {
    if (!clause) return;
    const left = clause.left as Record<string, unknown> | null;
    if (left) {
      if ('valueQuery' in left || 'fn' in left) throw new AgentToolError('WHERE may compare fields with values only: no subqueries or functions.');
      if (typeof left.field === 'string') allowed(left.field, 'WHERE');
    }
    if ('right' in clause) walk(clause.right);
  };
  walk(query.where);
  for (const order of [query.orderBy ?? []].flat()) {
    if (!('field' in order)) throw new AgentToolError('ORDER BY may name fields only.');
    allowed(order.field, 'ORDER BY');
  }
  query.limit = Math.min(query.limit ?? LIVE_ROW_CAP, LIVE_ROW_CAP);
  return { soql: composeQuery(query), object };
}

const describeField = (field: FieldType) => (field.type === 'FieldRelationship' ? `the relationship ${field.rawValue ?? field.field}` : field.type.replace(/^Field/, '').toLowerCase() || 'that');
