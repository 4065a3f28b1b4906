/**
 * The sync of one connector, one invocation: under the connector's lease, each enabled table runs a pass — every
 * record changed since its watermark (all of them on a first load), through `queryAll` so deletes arrive too —
 * page by page, each page committed with the table's cursor in one D1 batch. Small loads page through Composite
 * (up to five pages of several tables in one API call); a first load whose first page says it is large goes on
 * through Bulk API 2.0, its results streamed into D1 a chunk at a time. Work is bounded
 * (API calls, records, time) and what is left resumes on the next tick; the org's API budget is respected. Every
 * table's run is recorded with a status that says what really happened.
 */
import type { SyncRun } from '../../../shared/api';
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { describeFields } from '../connectors/describe-cache';
import { type ConnectionRow, now as nowIso } from '../db/connections';
import { type ConnectorRow, type CursorRow, connectorById, connectorTables, cursorsOf, updateConnectorStatement } from '../db/connectors';
import { releaseLease, takeLease } from '../db/leases';
import { apiUsageOf, closeInterruptedRuns, countPageStatement, dropRunStatement, finishRunStatement, saveApiUsageStatement, startRunStatement } from '../db/sync-runs';
import { asSalesforceError } from '../salesforce/errors';
import { freshIntegrationToken, integrationSession } from '../salesforce/integration-session';
import { BULK_THRESHOLD_RECORDS, REREAD_LAG_MS, chainLengths, countSoql, pageChain, passSoql, passStart } from './plan';
import { DeadlineReached, type ReaderState, bulkJobState, createBulkQueryJob, fetchComposite, jobCreatedAt, queryAllUrl, readBulkPage, signalUntil } from './salesforce-reader';
import { type TableSyncContext, pageStatements } from './write-page';

export interface SyncLimits {
  /** Salesforce API calls per invocation */
  maxApiCalls: number;
  /** records read per invocation (keeps CPU and D1 writes per invocation bounded) */
  maxRecords: number;
  /** wall time per invocation */
  maxMs: number;
  /** first loads with more than this many records left after their first REST page go through Bulk API 2.0 */
  bulkThreshold: number;
  /** records per Bulk API 2.0 results page (one API call; streamed, so memory does not grow with it) */
  bulkPageSize: number;
}

export const DEFAULT_LIMITS: SyncLimits = { maxApiCalls: 50, maxRecords: 100_000, maxMs: 25_000, bulkThreshold: BULK_THRESHOLD_RECORDS, bulkPageSize: 50_000 };

/** Records of a Bulk API 2.0 results page committed per D1 batch, while the rest of the page streams in. */
const BULK_CHUNK_RECORDS = 5_000;

/** Cloudflare Queues delays a message at most 12 hours (https://developers.cloudflare.com/queues/configuration/batching-retries/). */
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

/** The allowance is counted over the last 24 hours: a reading older than that says nothing about now. */
const USAGE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A Bulk job whose createdDate could not be read: its pages move the watermark nowhere (the next pass reads again). */
const UNKNOWN_QUERY_TIME = new Date(0).toISOString();

/** Where a test can make the invocation crash, to prove that nothing is lost or duplicated. */
export type CrashPoint = 'before_fetch' | 'after_fetch' | 'mid_batch' | 'after_commit';
export interface SyncHooks {
  /** throw to crash here; for 'mid_batch', return true to make the page's D1 batch fail part-way */
  at?(point: CrashPoint, table: DestinationTable): boolean | void;
}

export interface SyncOptions {
  now?: Date;
  /**
   * The invocation carries on the previous one's unfinished work (the queue sent the connector back): only tables with
   * a pass under way run, so a table already done waits for its interval instead of costing a call per invocation.
   */
  continuing?: boolean;
  limits?: Partial<SyncLimits>;
  hooks?: SyncHooks;
}

export interface TableOutcome {
  table: DestinationTable;
  status: SyncRun['status'];
  read: number;
  upserted: number;
  deleted: number;
  rejected: number;
  apiCalls: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface SyncOutcome {
  connectorId: string;
  ran: boolean;
  /** true when a table has work left for the next tick */
  more: boolean;
  /**
   * Seconds to wait before trying again, when the org's API allowance paused the connector: the queue sends it back
   * after that long (and the cron is the fallback), never at once.
   */
  backoffSeconds: number | null;
  tables: TableOutcome[];
}

interface TableState {
  ctx: TableSyncContext;
  cursor: CursorRow;
  outcome: TableOutcome;
  /** the pass of this invocation reached its end */
  finished: boolean;
}

export async function syncConnector(env: Env, connectorId: string, options: SyncOptions = {}): Promise<SyncOutcome> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const started = Date.now();
  const deadline = started + limits.maxMs;
  const connector = await connectorById(env.DB, connectorId);
  if (!connector || !connector.active) return { connectorId, ran: false, more: false, backoffSeconds: null, tables: [] };
  if (!(await takeLease(env.DB, 'connectors', connectorId, new Date(deadline + 60_000)))) return { connectorId, ran: false, more: false, backoffSeconds: null, tables: [] };

  try {
    const at = options.now ?? new Date();
    await closeInterruptedRuns(env.DB, connectorId, at.toISOString());
    const tables = (await prepareTables(env, connector, at)).filter((t) => !options.continuing || passUnderWay(t.cursor));
    if (tables.length === 0) return { connectorId, ran: false, more: false, backoffSeconds: null, tables: [] };
    const connection = await env.DB.prepare('SELECT * FROM connections WHERE id = ?1').bind(connector.connection_id).first<ConnectionRow>();
    await env.DB.batch(tables.map((t) => startRunStatement(env.DB, { id: t.ctx.runId, connector_id: connectorId, table_name: t.ctx.table, mode: t.cursor.phase, started_at: at.toISOString() })));

    if (!connection || connection.status !== 'connected') {
      for (const t of tables) fail(t, 'connection_not_connected', `The Salesforce connection is ${connection?.status ?? 'gone'}. Turn access on again in the Connectors panel; the sync resumes by itself.`);
    } else {
      await runTables(env, connector, connection, tables, limits, deadline, at, () => new Date(at.getTime() + Date.now() - started), options.hooks);
    }

    const more = tables.some((t) => t.outcome.status === 'partial');
    // Paused by the allowance: no immediate re-send (that was a hot loop of refused or skipped runs). The queue sends
    // the connector back after one interval, when it is due again; the cron claims it then if the message is lost.
    const backoffSeconds = !more && tables.some((t) => t.outcome.status === 'rate_limited') ? Math.min(connector.interval_minutes * 60, MAX_QUEUE_DELAY_SECONDS) : null;
    const finishedAt = new Date();
    await env.DB.batch([
      ...tables.map((t) =>
        noTurn(t.outcome)
          ? dropRunStatement(env.DB, t.ctx.runId)
          : finishRunStatement(env.DB, {
              id: t.ctx.runId,
              status: t.outcome.status === 'running' ? 'succeeded' : t.outcome.status,
              finished_at: finishedAt.toISOString(),
              records_read: t.outcome.read,
              records_upserted: t.outcome.upserted,
              records_deleted: t.outcome.deleted,
              records_rejected: t.outcome.rejected,
              api_calls: t.outcome.apiCalls,
              duration_ms: finishedAt.getTime() - started,
              error_code: t.outcome.errorCode,
              error_message: t.outcome.errorMessage,
            }),
      ),
      // Partial work is due again on the next tick; otherwise after the connector's interval (or its back-off).
      updateConnectorStatement(env.DB, connectorId, {
        next_run_at: more ? at.toISOString() : new Date(at.getTime() + (backoffSeconds ?? connector.interval_minutes * 60) * 1000).toISOString(),
      }),
    ]);
    for (const t of tables) if (t.outcome.status === 'running') t.outcome.status = 'succeeded';
    return { connectorId, ran: true, more, backoffSeconds, tables: tables.map((t) => t.outcome) };
  } finally {
    await releaseLease(env.DB, 'connectors', connectorId);
  }
}

async function prepareTables(env: Env, connector: ConnectorRow, at: Date): Promise<TableState[]> {
  const cursors = new Map((await cursorsOf(env.DB, connector.id)).map((c) => [c.table_name, c]));
  return (await connectorTables(env.DB, connector.id))
    .filter((t) => t.enabled)
    .map((t) => ({
      ctx: {
        tenantId: connector.tenant_id,
        connectorId: connector.id,
        table: t.table_name,
        mapping: JSON.parse(t.mapping) as Record<string, string>,
        fields: new Map(),
        teamId: connector.team_id,
        deleteMode: connector.delete_mode,
        rewriteSameVersion: cursors.get(t.table_name)?.backfill_columns != null,
        runId: crypto.randomUUID(),
      },
      cursor: cursors.get(t.table_name) ?? freshCursor(connector.id, t.table_name, at),
      outcome: { table: t.table_name, status: 'running', read: 0, upserted: 0, deleted: 0, rejected: 0, apiCalls: 0, errorCode: null, errorMessage: null },
      finished: false,
    }));
}

/** A first load (or backfill) whose first page has not told its size yet. */
const sizeUnknown = (c: CursorRow) => c.phase === 'initial' && c.total === null;

/** A first load with more than the Bulk threshold left, not paging through REST: read through Bulk API 2.0. */
const readsInBulk = (c: CursorRow, limits: SyncLimits) =>
  c.bulk_job_id !== null || (c.phase === 'initial' && c.next_page === null && c.total !== null && c.total - c.loaded > limits.bulkThreshold);

const passUnderWay = (c: CursorRow) => c.phase === 'initial' || c.next_page !== null || c.bulk_job_id !== null || c.pass_max !== null;

const freshCursor = (connectorId: string, table: DestinationTable, at: Date): CursorRow => ({
  connector_id: connectorId,
  table_name: table,
  phase: 'initial',
  watermark: null,
  pass_from: null,
  pass_max: null,
  next_page: null,
  bulk_job_id: null,
  queried_at: null,
  loaded: 0,
  total: null,
  backfill_columns: null,
  updated_at: at.toISOString(),
});

/** A table the invocation's limit reached before it got a turn: nothing read, no call made. */
const noTurn = (o: TableOutcome) => o.status === 'partial' && o.read === 0 && o.apiCalls === 0;

function fail(t: TableState, code: string, message: string) {
  t.outcome.status = 'failed';
  t.outcome.errorCode = code;
  t.outcome.errorMessage = message;
  t.finished = true;
}

function stopAll(tables: TableState[], status: 'partial' | 'rate_limited', code: string | null, message: string | null) {
  for (const t of tables) {
    if (t.finished) continue;
    t.outcome.status = status;
    t.outcome.errorCode = code;
    t.outcome.errorMessage = message;
    t.finished = true;
  }
}

async function runTables(
  env: Env,
  connector: ConnectorRow,
  connection: ConnectionRow,
  tables: TableState[],
  limits: SyncLimits,
  deadline: number,
  at: Date,
  clock: () => Date,
  hooks?: SyncHooks,
) {
  let state: ReaderState;
  try {
    const conn = await integrationSession(env, connection, { signal: signalUntil(deadline), now: clock() });
    state = { conn, apiCalls: 0, usage: undefined, deadline, refreshToken: () => freshIntegrationToken(env, connection, { signal: signalUntil(deadline), now: clock() }) };
  } catch (error) {
    const sf = asSalesforceError(error);
    const why = sf ? `${sf.errorCode}: ${sf.message}` : error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? 'Salesforce did not answer in time' : String(error);
    for (const t of tables) fail(t, sf?.errorCode ?? 'salesforce_sign_in_failed', `Signing in as the integration user failed (${why}). Verify the connection in the Connectors panel; the next run tries again.`);
    return;
  }

  // A reading from more than a day ago says nothing about the rolling 24-hour allowance now.
  const stored = await apiUsageOf(env.DB, connection.id);
  const known = stored && Date.parse(stored.observed_at) > at.getTime() - USAGE_WINDOW_MS ? stored : null;
  if (known) state.usage = { used: known.used, max: known.max };
  // Nothing left is never "enough left", even with no reserve (a 0 threshold): asking would only be refused.
  const budgetLeft = () => !state.usage || (state.usage.used < state.usage.max && (state.usage.max - state.usage.used) / state.usage.max >= connector.budget_threshold);
  const attribute = (t: TableState, before: number) => (t.outcome.apiCalls += state.apiCalls - before);

  try {
    // The allowance is a rolling 24 hours: a reading below the reserve goes stale, and only a call can refresh it (a
    // count answers with the current usage). Once per connector interval, so a paused connector costs little.
    if (known && !budgetLeft() && Date.parse(known.observed_at) <= at.getTime() - connector.interval_minutes * 60_000) {
      const before = state.apiCalls;
      await fetchComposite(state, [{ method: 'GET', url: queryAllUrl(countSoql(tables[0]!.ctx.table)), referenceId: 'usage' }]);
      attribute(tables[0]!, before);
    }

    // Field types for conversions, from the cached describe (taken as the integration user when there is none).
    for (const t of tables) {
      const before = state.apiCalls;
      const fields = await beforeDeadline(
        describeFields(env.DB, connection.id, TABLES[t.ctx.table].source, async () => {
          state.apiCalls++;
          return state.conn;
        }),
        deadline,
      );
      attribute(t, before);
      t.ctx.fields = new Map(fields.map((f) => [f.name, f]));
    }

    for (;;) {
      const pending = tables.filter((t) => !t.finished);
      if (pending.length === 0) return;
      if (!budgetLeft()) {
        const left = state.usage!.max - state.usage!.used;
        stopAll(
          pending,
          'rate_limited',
          'api_budget_reserved',
          `Paused: the org has ${left} of its ${state.usage!.max} daily API requests left, below the ${Math.round(connector.budget_threshold * 100)} % this connector keeps in reserve. It resumes when usage falls.`,
        );
        return;
      }
      const read = tables.reduce((sum, t) => sum + t.outcome.read, 0);
      if (state.apiCalls >= limits.maxApiCalls || read >= limits.maxRecords || Date.now() >= deadline) {
        stopAll(pending, 'partial', null, 'Stopped at this invocation’s work limit; the next tick carries on from the last committed page.');
        return;
      }
      // A Bulk job is started first (Salesforce prepares it meanwhile), REST tables are read next, then Bulk pages.
      const rest = pending.filter((t) => !readsInBulk(t.cursor, limits));
      const bulk = pending.find((t) => readsInBulk(t.cursor, limits) && !t.cursor.bulk_job_id) ?? (rest.length === 0 ? pending[0] : undefined);
      if (bulk) await bulkStep(env, state, bulk, limits, deadline, hooks, attribute);
      else await restStep(env, state, rest, at, limits, hooks, attribute);
    }
  } catch (error) {
    const sf = asSalesforceError(error);
    const pending = tables.filter((t) => !t.finished);
    if (error instanceof DeadlineReached) {
      // Work committed this invocation makes it a partial run the next tick carries on; none at all is a failure.
      const progressed = tables.some((t) => t.outcome.read > 0);
      if (progressed) stopAll(pending, 'partial', null, `${error.message} The next tick carries on from the last committed page.`);
      else for (const t of pending) fail(t, 'salesforce_timeout', `${error.message} Nothing was lost: the next run tries again from the last committed page.`);
    } else if (sf?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
      stopAll(pending, 'rate_limited', sf.errorCode, `Salesforce refused more API requests today (${sf.message}). The sync resumes by itself once the org's 24-hour allowance frees up.`);
    } else if (sf || (error instanceof Error && error.name === 'MalformedResponse')) {
      for (const t of pending) fail(t, sf?.errorCode ?? 'MALFORMED_RESPONSE', `${sf?.message ?? (error as Error).message} Nothing was lost: the next run carries on from the last committed page.`);
    } else {
      throw error;
    }
  } finally {
    // Only a reading Salesforce gave in this invocation is saved, stamped when it was given: re-saving an old reading as
    // new would keep it from ever growing old enough to be checked again.
    if (state.usage && state.usageAnswered) await saveApiUsageStatement(env.DB, connection.id, state.usage, clock().toISOString()).run();
  }
}

/**
 * Commits records and the cursor after them, together; the last page of a pass ends it in the same batch, so a crash
 * right after it never has the pass read again. With no `cursorAfter` (a chunk inside a Bulk results page) only the
 * records are written: the cursor moves with the page's last chunk, and a crash before it reads the page again.
 */
async function commitPage(env: Env, t: TableState, records: Record<string, unknown>[], cursorAfter: Partial<CursorRow> | null, hooks?: SyncHooks, endsPass = false) {
  const page = pageStatements(env.DB, t.ctx, records, nowIso());
  // `loaded` is a first load's progress (against `total`); incremental passes leave it as it is.
  let next = { ...t.cursor, ...cursorAfter, loaded: t.cursor.phase === 'initial' ? t.cursor.loaded + records.length : t.cursor.loaded, updated_at: nowIso() };
  // Salesforce serves each page with the values of the moment its query began, so a page can carry a stamp newer than
  // an edit already made to a record read before: the watermark may only move to that moment, less the re-read window.
  const ceiling = t.cursor.queried_at && new Date(Date.parse(t.cursor.queried_at) - REREAD_LAG_MS).toISOString();
  const reached = page.maxModstamp && ceiling && (page.maxModstamp < ceiling ? page.maxModstamp : ceiling);
  if (reached && (!next.pass_max || reached > next.pass_max)) next.pass_max = reached;
  if (endsPass) next = { ...next, ...passEnded(next) };
  // The run's counts move in the same batch (D1's changes() after each write), so a run cut short by a crash still
  // says what it committed; the page that ends the pass also closes its run, which a crash afterwards leaves alone.
  const statements = [...page.statements, ...(cursorAfter ? [cursorStatement(env.DB, next)] : [])];
  for (const [kind, indexes] of [['upserted', page.upserts], ['deleted', page.deletes]] as const) {
    for (const i of [...indexes].reverse()) statements.splice(i + 1, 0, countPageStatement(env.DB, t.ctx.runId, kind));
  }
  statements.push(countPageStatement(env.DB, t.ctx.runId, 'read', records.length, page.rejected, endsPass ? nowIso() : null));
  // A statement that fails makes D1 roll the whole batch back: the crash test's "mid-batch".
  if (hooks?.at?.('mid_batch', t.ctx.table)) statements.splice(Math.floor(statements.length / 2), 0, env.DB.prepare('SELECT * FROM crash_injected_mid_batch'));
  const results = await env.DB.batch(statements);
  const changes = (i: number) => results[shifted(page.upserts, page.deletes, i)]?.meta.changes ?? 0;
  t.outcome.read += records.length;
  t.outcome.rejected += page.rejected;
  t.outcome.upserted += page.upserts.reduce((sum, i) => sum + changes(i), 0);
  t.outcome.deleted += page.deletes.reduce((sum, i) => sum + changes(i), 0);
  t.cursor = next;
  hooks?.at?.('after_commit', t.ctx.table);
}

/** Where statement `i` of a page landed once a counting statement followed each write before it. */
const shifted = (upserts: number[], deletes: number[], i: number) => i + upserts.filter((j) => j < i).length + deletes.filter((j) => j < i).length;

/** A jsforce call (which takes no abort signal) raced against the deadline, so it cannot hold the invocation past it. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineReached('Salesforce did not answer before this invocation’s time limit; the request was abandoned.')), Math.max(1, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const cursorStatement = (db: D1Database, c: CursorRow) =>
  db
    .prepare(
      `INSERT INTO sync_cursors (connector_id, table_name, phase, watermark, pass_from, pass_max, next_page, bulk_job_id, queried_at, loaded, total, backfill_columns, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
       ON CONFLICT (connector_id, table_name) DO UPDATE SET phase = excluded.phase, watermark = excluded.watermark, pass_from = excluded.pass_from,
         pass_max = excluded.pass_max, next_page = excluded.next_page, bulk_job_id = excluded.bulk_job_id, queried_at = excluded.queried_at,
         loaded = excluded.loaded, total = excluded.total, backfill_columns = excluded.backfill_columns, updated_at = excluded.updated_at`,
    )
    .bind(c.connector_id, c.table_name, c.phase, c.watermark, c.pass_from, c.pass_max, c.next_page, c.bulk_job_id, c.queried_at, c.loaded, c.total, c.backfill_columns, c.updated_at);

async function commitCursor(env: Env, t: TableState, patch: Partial<CursorRow>) {
  t.cursor = { ...t.cursor, ...patch, updated_at: nowIso() };
  await cursorStatement(env.DB, t.cursor).run();
}

/** A pass ends: the watermark moves to the highest stamp written, and the table syncs incrementally from now on. */
const passEnded = (cursor: CursorRow): Partial<CursorRow> => ({
  phase: 'incremental',
  watermark: cursor.pass_max && (!cursor.watermark || cursor.pass_max > cursor.watermark) ? cursor.pass_max : cursor.watermark,
  pass_from: null,
  pass_max: null,
  next_page: null,
  bulk_job_id: null,
  queried_at: null,
  backfill_columns: null,
});

/**
 * One Composite call carrying a chain of pages for every pending REST table. A first load learns its size from its
 * first page's totalSize; with more than the Bulk threshold left, it goes on through Bulk API 2.0 from where the
 * pages read so far stopped.
 */
async function restStep(env: Env, state: ReaderState, pending: TableState[], at: Date, limits: SyncLimits, hooks: SyncHooks | undefined, attribute: (t: TableState, before: number) => void) {
  const lengths = chainLengths(pending.map((t) => sizeUnknown(t.cursor)));
  const subrequests = pending.flatMap((t, i) => {
    hooks?.at?.('before_fetch', t.ctx.table);
    if (t.cursor.next_page) return pageChain(t.ctx.table, t.cursor.next_page, lengths[i]!);
    // A new pass: from the (lagged) watermark; a pass cut short resumes from the highest stamp it committed.
    const from = t.cursor.pass_max ?? (t.cursor.phase === 'initial' ? null : passStart(t.cursor.watermark, at));
    t.cursor.pass_from = from;
    t.cursor.queried_at = at.toISOString();
    return pageChain(t.ctx.table, queryAllUrl(passSoql(t.ctx.table, t.ctx.mapping, from)), lengths[i]!);
  });
  const before = state.apiCalls;
  const results = await fetchComposite(state, subrequests);
  attribute(pending[0]!, before);

  for (const [index, t] of pending.entries()) {
    hooks?.at?.('after_fetch', t.ctx.table);
    for (let i = 0; i < lengths[index]!; i++) {
      const result = results.get(`${t.ctx.table}_${i}`);
      if (!result) break;
      if (!result.ok) {
        if (result.error.errorCode === 'INVALID_QUERY_LOCATOR') {
          // The page locator expired between invocations: restart from the highest stamp committed (>=, so nothing is skipped).
          t.cursor.next_page = null;
        } else if (result.error.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
          throw result.error;
        } else {
          fail(t, result.error.errorCode, `Salesforce refused the ${TABLES[t.ctx.table].source} query: ${result.error.message}`);
        }
        break;
      }
      const { page } = result;
      if (sizeUnknown(t.cursor)) t.cursor.total = page.totalSize;
      const ended = page.done || !page.nextRecordsUrl;
      await commitPage(env, t, page.records, ended ? {} : { next_page: page.nextRecordsUrl! }, hooks, ended);
      if (ended) {
        t.finished = true;
        break;
      }
    }
    // Stopping the REST pages hands the rest of a large first load to Bulk API 2.0 (readsInBulk).
    if (!t.finished && t.cursor.next_page !== null && readsInBulk({ ...t.cursor, next_page: null }, limits)) await commitCursor(env, t, { next_page: null });
  }
}

/**
 * One step of a Bulk API 2.0 first load: start the job (from where the pass stands), wait for it, or stream one
 * results page into D1. The job's createdDate and each page's locator are kept in the cursor, so a later
 * invocation reads on without asking for the job's status again.
 */
async function bulkStep(env: Env, state: ReaderState, t: TableState, limits: SyncLimits, deadline: number, hooks: SyncHooks | undefined, attribute: (t: TableState, before: number) => void) {
  const before = state.apiCalls;
  const restartJob = () => commitCursor(env, t, { bulk_job_id: null, next_page: null, queried_at: null, pass_max: t.cursor.pass_from });
  try {
    hooks?.at?.('before_fetch', t.ctx.table);
    if (!t.cursor.bulk_job_id) {
      const from = t.cursor.pass_max;
      const job = await createBulkQueryJob(state, passSoql(t.ctx.table, t.ctx.mapping, from, { ordered: false }));
      await commitCursor(env, t, { bulk_job_id: job.id, queried_at: jobCreatedAt(job) ?? UNKNOWN_QUERY_TIME, next_page: null, pass_from: from });
      return;
    }
    if (!t.cursor.next_page) {
      const job = await bulkJobState(state, t.cursor.bulk_job_id);
      if (job.state === 'Failed' || job.state === 'Aborted') {
        await restartJob();
        fail(t, 'BULK_JOB_FAILED', `Salesforce's Bulk API 2.0 job for ${TABLES[t.ctx.table].source} ${job.state.toLowerCase()}: ${job.errorMessage ?? 'no reason given'}. The next run starts a new one.`);
        return;
      }
      if (job.state !== 'JobComplete') {
        if (Date.now() + 1_000 >= deadline) return stopAll([t], 'partial', null, 'Salesforce is still preparing the first load; the next tick picks it up.');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return;
      }
    }
    // next_page holds the results locator; null means the first page (after the job completed).
    const atPageStart = t.cursor;
    const page = await readBulkPage(state, t.cursor.bulk_job_id, t.cursor.next_page, limits.bulkPageSize, BULK_CHUNK_RECORDS, async (records, chunk) => {
      // A page read again after a failure part-way starts over from the cursor it began with.
      if (chunk.index === 0) t.cursor = atPageStart;
      hooks?.at?.('after_fetch', t.ctx.table);
      await commitPage(env, t, records, chunk.last ? { next_page: chunk.nextLocator } : null, hooks, chunk.last && !chunk.nextLocator);
    });
    if (!page.nextLocator) t.finished = true;
  } catch (error) {
    // Salesforce keeps a job's results for 7 days: a job gone, or results refused for a locator we sent, is started
    // again from the committed stamp. Any 400 or 404 on a locator counts: the error code of an expired locator is
    // not documented, so none is relied on.
    const sf = asSalesforceError(error);
    const locatorRefused = t.cursor.next_page !== null && (sf?.status === 400 || sf?.status === 404);
    if (sf?.errorCode !== 'NOT_FOUND' && sf?.errorCode !== 'INVALIDLOCATOR' && !locatorRefused) throw error;
    await restartJob();
  } finally {
    attribute(t, before);
  }
}
