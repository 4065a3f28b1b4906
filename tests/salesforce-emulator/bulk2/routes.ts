/**
 * Bulk API 2.0 query: `POST /jobs/query {operation: query|queryAll, query}`, `GET /jobs/query/{id}`,
 * `GET /jobs/query/{id}/results?locator=&maxRecords=` (CSV with `Sforce-Locator` — the literal string `null` on the
 * last page — and `Sforce-NumberOfRecords`; 412 JOB_NOT_COMPLETE before the job completes), `PATCH` to abort,
 * `DELETE`, and `GET /jobs/query`. Compound fields are refused as Salesforce does ("Selecting compound data not
 * supported in Bulk Query"); ORDER BY and LIMIT are accepted (they only stop PK chunking).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { errors, SalesforceError } from '../errors';
import { sfJson, type AppEnv } from '../http';
import { runParsed } from '../soql/evaluate';
import { parseSoql } from '../soql/parser';
import { csvHeader, csvRow, csvValue, DELIMITERS, LINE_ENDINGS } from './csv';
import { createdInfo, jobInfo, type QueryJob } from './jobs';

/** Rows per results page when the client gives no maxRecords (real pages are bounded by size instead). */
export const DEFAULT_MAX_RECORDS = 50_000;

/** Records written per piece of a streamed results page. */
const ROWS_PER_PIECE = 1_000;

const apiError = (message: string) => new SalesforceError('API_ERROR', message, 400);

function screamingCase(state: string): string {
  return state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export function bulk2Routes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  const jobOr404 = (id: string): QueryJob => {
    const job = emulator.bulkJobs.get(id);
    if (!job) throw errors.notFound();
    return job;
  };

  routes.post('/', async function createJob(c) {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      throw apiError('Value does not match expected type at [line:1, column:1]');
    }
    const operation = body.operation;
    if (operation !== 'query' && operation !== 'queryAll') throw apiError(`Invalid operation: ${String(operation)}`);
    const columnDelimiter = String(body.columnDelimiter ?? 'COMMA');
    const lineEnding = String(body.lineEnding ?? 'LF');
    if (!(columnDelimiter in DELIMITERS)) throw apiError(`Invalid column delimiter: ${columnDelimiter}`);
    if (!(lineEnding in LINE_ENDINGS)) throw apiError(`Invalid line ending: ${lineEnding}`);
    const org = emulator.org;
    const userId = c.get('session').userId;
    const query = parseSoql(String(body.query ?? ''));
    const outcome = runParsed({ org, userId }, query, { includeDeleted: operation === 'queryAll' });
    if (outcome.kind !== 'rows') throw apiError('Aggregate queries are not supported in Bulk Query');
    if (outcome.columns.some((column) => column.leaf.type === 'address')) throw apiError('Selecting compound data not supported in Bulk Query');
    const now = org.clock.now();
    const job = emulator.bulkJobs.create({
      operation,
      object: outcome.source.schema.name,
      createdById: userId,
      createdDate: now,
      systemModstamp: now,
      apiVersion: c.get('version'),
      lineEnding,
      columnDelimiter,
      source: outcome.source,
      columns: outcome.columns,
      rows: outcome.rows,
    });
    return sfJson(c, createdInfo(job));
  });

  routes.get('/', (c) => sfJson(c, { done: true, records: emulator.bulkJobs.list().map(createdInfo), nextRecordsUrl: null }));

  routes.get('/:id', function getJob(c) {
    const job = jobOr404(c.req.param('id'));
    emulator.bulkJobs.advance(job, emulator.steps.bulkJob, emulator.org.clock.now());
    return sfJson(c, jobInfo(job));
  });

  routes.patch('/:id', async function abortJob(c) {
    const job = jobOr404(c.req.param('id'));
    const body = (await c.req.json().catch(() => ({}))) as { state?: string };
    if (body.state !== 'Aborted') throw apiError(`Invalid state: ${String(body.state)}`);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'Aborted';
    return sfJson(c, jobInfo(job));
  });

  routes.delete('/:id', function deleteJob(c) {
    jobOr404(c.req.param('id')).deleted = true;
    return c.body(null, 204);
  });

  routes.get('/:id/results', function results(c) {
    const job = jobOr404(c.req.param('id'));
    if (job.state !== 'JobComplete') {
      throw new SalesforceError('JOB_NOT_COMPLETE', `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${screamingCase(job.state)}`, 412);
    }
    const locator = c.req.query('locator');
    const offset = locator ? Number(Buffer.from(locator, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) throw new SalesforceError('INVALIDLOCATOR', `Invalid locator: ${locator}`, 400);
    const maxRecords = Number(c.req.query('maxRecords') ?? DEFAULT_MAX_RECORDS);
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw apiError(`Invalid maxRecords: ${c.req.query('maxRecords')}`);
    const end = Math.min(job.rows.length, offset + maxRecords);
    const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
    const newline = LINE_ENDINGS[job.lineEnding] ?? '\n';
    const next = end < job.rows.length ? Buffer.from(String(end)).toString('base64').replace(/=+$/, '') : 'null';
    // Written as it is read, a piece at a time. Salesforce serves results its job has already prepared (they exist once
    // it is JobComplete, and a locator reads the same set again: query_get_job_results.htm), so their first bytes come
    // at once; an emulator that wrote a 50,000-record page in full before its first byte would make a client wait at
    // every page as Salesforce does not.
    const encoder = new TextEncoder();
    let k = offset;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(csvHeader(job.columns.map((column) => column.label), delimiter, newline)));
        if (k >= end) controller.close();
      },
      pull(controller) {
        const parts: string[] = [];
        for (const stop = Math.min(end, k + ROWS_PER_PIECE); k < stop; k++) {
          const row = job.rows[k] as number;
          parts.push(csvRow(job.columns.map((column) => csvValue(column.leaf, column.read(row))), delimiter, newline));
        }
        controller.enqueue(encoder.encode(parts.join('')));
        if (k >= end) controller.close();
      },
    });
    return c.body(body, 200, {
      'Content-Type': 'text/csv',
      'Sforce-Locator': next,
      'Sforce-NumberOfRecords': String(end - offset),
    });
  });

  return routes;
}
