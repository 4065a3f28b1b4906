/**
 * One invocation of a connector's sync, as one object the passes share: the connector, its connection, the tables
 * with a turn, the limits and deadline, the Salesforce session and the destination. Also the options and outcome
 * types callers (the queue consumer, tests) see.
 */
import type { SyncRun } from '../../../shared/api';
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import type { ConnectorRow } from '../db/connectors';
import type { CursorRow } from '../db/cursors';
import type { ConvertedPage, Destination } from '../destinations/destination';
import type { RequestedPage } from '../salesforce/bulk2';
import type { ApiSession } from '../salesforce/rest';
import type { Prefetch } from './prefetch';
import type { RunErrorCode } from '../../../shared/run-outcomes';
import { BULK_THRESHOLD_RECORDS } from './plan';

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

/** Where a test can make the invocation crash, to prove that nothing is lost or duplicated. */
export type CrashPoint = 'before_fetch' | 'after_fetch' | 'mid_batch' | 'after_commit' | 'reconcile_staged' | 'reconcile_compared';
export interface SyncHooks {
  /** throw to crash here; for 'mid_batch', return true to make the page's commit fail part-way */
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
  errorCode: RunErrorCode | null;
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
  /** Id reconciliations that ran in this invocation (sync/reconcile.ts), each its own run */
  reconciliations?: TableOutcome[];
}

/** One table's part of the invocation. */
export interface TableRun {
  table: DestinationTable;
  mapping: Record<string, string>;
  /** the table's row filter (a SOQL condition), or null for every record */
  filter: string | null;
  runId: string;
  cursor: CursorRow;
  outcome: TableOutcome;
  /** the pass of this invocation reached its end (or stopped) */
  finished: boolean;
  /** checks of the Bulk job this invocation that found it still running (each wait is longer: sync/bulk-wait.ts) */
  bulkChecks?: number;
  /** how far the object's delete log has been read (deleted-records.ts); an incremental pass reads it on from there */
  deletesCoveredTo?: string | null;
  /** set once the describe is read: the mapped fields that are formulas */
  formulas?: string[];
  /** set once the describe is read: the page converter for this table */
  convert?: (records: Record<string, unknown>[], syncedAt: string) => ConvertedPage;
}

export interface Invocation {
  env: Env;
  connector: ConnectorRow;
  connection: ConnectionRow;
  tables: TableRun[];
  limits: SyncLimits;
  /** epoch ms: no request outlives it */
  deadline: number;
  /** the moment the invocation stands for (queries are stamped with it) */
  at: Date;
  api: ApiSession;
  destination: Destination;
  hooks?: SyncHooks;
  /** the next Composite call, already sent while the current pages are written */
  prefetch?: Prefetch;
  /** the next Bulk API 2.0 results page, already asked for while the current one is written */
  nextBulkPage?: RequestedPage;
}

/** Counts the API calls made since `before` against table `t` (a Composite call is charged to its first table). */
export const charge = (inv: Invocation, t: TableRun, before: number) => {
  t.outcome.apiCalls += inv.api.apiCalls - before;
};

export function fail(t: Pick<TableRun, 'outcome' | 'finished'>, code: RunErrorCode, message: string) {
  t.outcome.status = 'failed';
  t.outcome.errorCode = code;
  t.outcome.errorMessage = message;
  t.finished = true;
}

export function stopAll(tables: Pick<TableRun, 'outcome' | 'finished'>[], status: 'partial' | 'rate_limited', code: RunErrorCode | null, message: string | null) {
  for (const t of tables) {
    if (t.finished) continue;
    t.outcome.status = status;
    t.outcome.errorCode = code;
    t.outcome.errorMessage = message;
    t.finished = true;
  }
}
