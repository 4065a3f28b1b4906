/**
 * `GET /query?q=` and `/queryAll?q=` (queryAll also returns recycle-bin rows, IsDeleted = true) and their
 * continuation `GET /query/<locator>-<offset>`. Pages hold `Sforce-Query-Options: batchSize=N` records (200–2000,
 * default 2000); the body is `{totalSize, done, nextRecordsUrl?, records}` in that key order (the recorded chains).
 * `SELECT COUNT()` answers `{totalSize: n, done: true, records: []}` (rest/Account_count_query.snowfakery.json).
 * With `columns=true` the answer is the query's column metadata instead (query-columns.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { errors, SalesforceError } from '../errors';
import { sfJson, type AppEnv } from '../http';
import { runQuery } from '../soql/evaluate';
import { recordJson } from '../soql/records';
import type { Cursor } from './cursors';
import { queryColumns } from './query-columns';

export const DEFAULT_BATCH_SIZE = 2000;

/** The page size a client asked for in Sforce-Query-Options, clamped to Salesforce's 200–2000. */
export function batchSizeFrom(header: string | undefined): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(2000, Math.max(200, Number(match[1])));
}

export type QueryPage = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: unknown[] };

/** Runs a query for a user and returns its first page (used by REST, composite and the Setup page). */
export function firstPage(emulator: Emulator, userId: string, soql: string, options: { includeDeleted: boolean; version: string; batchSize: number }): QueryPage {
  const org = emulator.org;
  const outcome = runQuery({ org, userId }, soql, { includeDeleted: options.includeDeleted });
  if (outcome.kind === 'count') return { totalSize: outcome.totalSize, done: true, records: [] };
  if (outcome.kind === 'aggregate') return { totalSize: outcome.records.length, done: true, records: outcome.records };
  const cursor: Omit<Cursor, 'id'> = { source: outcome.source, columns: outcome.columns, rows: outcome.rows, batchSize: options.batchSize, lastUsed: org.clock.now() };
  if (outcome.rows.length <= pageSize(emulator, { ...cursor, id: '' })) return page(emulator, { ...cursor, id: '' }, 0, options.version);
  return page(emulator, emulator.cursors.open(cursor), 0, options.version);
}

export function nextPage(emulator: Emulator, locator: string, version: string): QueryPage {
  const taken = emulator.cursors.take(locator, emulator.org.clock.now());
  if (!taken) throw errors.invalidQueryLocator();
  return page(emulator, taken.cursor, taken.offset, version);
}

/**
 * How many records this page holds. Salesforce treats the batch size as a preference ("the returned batch size can
 * be lower than the max or what's set in the request, based on the size and complexity of records queried") and
 * documents one rule: a query selecting two or more custom long text fields gets at most 200 records a page. With
 * `shortQueryPages` (the default) the emulator applies that rule; off, pages always hold the batch size.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_changing_batch_size.htm
 */
const LONG_TEXT_PAGE = 200;

function pageSize(emulator: Emulator, cursor: Cursor): number {
  if (!emulator.org.switches.shortQueryPages) return cursor.batchSize;
  const longTexts = cursor.columns.filter((c) => c.leaf.custom && c.leaf.type === 'textarea' && (c.leaf.length ?? 0) > 255).length;
  return longTexts >= 2 ? Math.min(cursor.batchSize, LONG_TEXT_PAGE) : cursor.batchSize;
}

function page(emulator: Emulator, cursor: Cursor, offset: number, version: string): QueryPage {
  const end = Math.min(cursor.rows.length, offset + pageSize(emulator, cursor));
  const records: unknown[] = [];
  for (let k = offset; k < end; k++) records.push(recordJson(emulator.org, cursor.source, cursor.columns, cursor.rows[k] as number, version));
  const done = end >= cursor.rows.length;
  if (done && cursor.id) emulator.cursors.close(cursor.id);
  return done
    ? { totalSize: cursor.rows.length, done, records }
    : { totalSize: cursor.rows.length, done, nextRecordsUrl: `/services/data/v${version}/query/${cursor.id}-${end}`, records };
}

export function queryRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  for (const resource of ['query', 'queryAll'] as const) {
    routes.get(`/${resource}`, function runSoql(c) {
      const soql = c.req.query('q');
      if (!soql) throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified', 400);
      if (c.req.query('columns') === 'true') return sfJson(c, queryColumns(emulator, c.get('session').userId, soql));
      const body = firstPage(emulator, c.get('session').userId, soql, {
        includeDeleted: resource === 'queryAll',
        version: c.get('version'),
        batchSize: batchSizeFrom(c.req.header('sforce-query-options')),
      });
      return sfJson(c, body);
    });
    routes.get(`/${resource}/:locator`, function queryMore(c) {
      return sfJson(c, nextPage(emulator, c.req.param('locator'), c.get('version')));
    });
  }
  return routes;
}
