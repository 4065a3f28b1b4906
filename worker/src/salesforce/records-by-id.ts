/**
 * Records read by Id through `queryAll` (so deleted ones in the recycle bin come too), for the rejects: their names,
 * and reading them again to retry. One request per call; callers keep the Id list short (a few hundred), well inside
 * SOQL's statement length. https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-comparisonoperators.html
 */
import { z } from 'zod';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { type ApiSession, queryAllUrl, sendForJson } from './rest';

/** Salesforce record Ids (15 or 18 letters and digits): nothing else is put into a query. */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const RecordsSchema = z.object({ records: z.array(z.record(z.string(), z.unknown())) });

export async function readRecordsById(api: ApiSession, table: DestinationTable, fields: string[], ids: string[]): Promise<Record<string, unknown>[]> {
  const safe = ids.filter((id) => SALESFORCE_ID.test(id));
  if (safe.length === 0) return [];
  const soql = `SELECT ${fields.join(', ')} FROM ${TABLES[table].source} WHERE Id IN (${safe.map((id) => `'${id}'`).join(', ')})`;
  api.apiCalls++;
  return RecordsSchema.parse(await sendForJson(api, 'GET', queryAllUrl(soql), `the query for ${table} records by Id`)).records;
}
