/**
 * Id reconciliation: the one way to find records purged from Salesforce once its delete log no longer covers the
 * time since the last pass (the connector was off too long, or Salesforce refused the window), and on the admin's
 * schedule or on demand. Salesforce's live Ids are read with Bulk API 2.0 (`SELECT Id`, operation `query`) and staged
 * in D1 chunk by chunk, so memory holds one chunk whatever the object's size; only once every page is staged is the
 * copy walked in Salesforce Id order, a bounded chunk at a time, and what Salesforce no longer has deleted (or
 * marked, in soft mode). A reconciliation cut short — by the invocation's limits, a failed job or a crash — carries
 * on from its stored state and deletes nothing before all the evidence is in. Rows written at or after the job's
 * creation (less the re-read window) are never removed: the job's snapshot may not hold them.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 */
import { TABLES, primaryKeyOf } from '../../../shared/mapping/destination';
import { DataverseError } from '../dataverse/errors';
import { salesforceCode } from '../../../shared/run-outcomes';
import { nowIso } from '../clock';
import { type ReconciliationRow, clearStagedIds, saveReconciliationStatement, stageIdsStatement, stagedAmong } from '../db/reconciliations';
import type { ConvertedPage } from '../destinations/destination';
import { bulkJobState, createBulkQueryJob, jobCreatedAt, readBulkPage } from '../salesforce/bulk2';
import { DeadlineReached, asSalesforceError } from '../salesforce/errors';
import { budgetLeft } from './budget';
import { type Invocation, type TableOutcome, fail, stopAll } from './invocation';
import { REREAD_LAG_MS } from './plan';

/** Ids staged per D1 batch while a results page streams in, copy rows compared per chunk, staged Ids cleared per statement. */
const STAGE_CHUNK = 5_000;
const COMPARE_CHUNK = 5_000;
const CLEAR_CHUNK = 20_000;

/** One table's reconciliation in this invocation: its stored state, its run and its outcome. */
export interface ReconcileRun {
  state: ReconciliationRow;
  runId: string;
  outcome: TableOutcome;
  finished: boolean;
}

const DAY_MS = 86_400_000;

/** Why a table's reconciliation should run now, or null: one under way, one asked for, or the schedule come round. */
export function reconcileReason(r: ReconciliationRow | undefined, everyDays: number, at: Date): ReconciliationRow['reason'] {
  if (!r) return null;
  if (r.phase || r.requested_at) return r.reason ?? 'scheduled';
  if (everyDays > 0 && r.last_finished_at && at.getTime() - Date.parse(r.last_finished_at) >= everyDays * DAY_MS) return 'scheduled';
  return null;
}

const withinLimits = (inv: Invocation) => Date.now() < inv.deadline && inv.api.apiCalls < inv.limits.maxApiCalls && budgetLeft(inv);

export async function reconcile(inv: Invocation, r: ReconcileRun): Promise<void> {
  const before = inv.api.apiCalls;
  try {
    while (!r.finished) {
      if (!withinLimits(inv)) return stopAll([r], 'partial', null, 'The reconciliation stopped at this invocation’s limit; the next one carries on. Nothing is deleted before every Id is read.');
      await step(inv, r);
    }
  } catch (error) {
    const sf = asSalesforceError(error);
    if (error instanceof DeadlineReached) stopAll([r], 'partial', null, `${error.message} The reconciliation carries on next time; nothing was deleted on partial evidence.`);
    else if (sf) fail(r, salesforceCode(sf.errorCode), `${sf.message} The reconciliation carries on next time from where it stood; nothing was deleted on partial evidence.`);
    else if (error instanceof DataverseError) {
      // Deletes Dataverse did not acknowledge are not recorded: the chunk is compared and sent again next time.
      const code = error.status === 429 ? 'dataverse_throttled' : 'dataverse_failed';
      fail(r, code, `Dataverse refused the reconciliation's deletes (${error.code || `HTTP ${error.status}`}: ${error.message}). It carries on next time from where it stood; nothing Salesforce still has was deleted.`);
    }
    else throw error;
  } finally {
    r.outcome.apiCalls += inv.api.apiCalls - before;
  }
}

async function save(inv: Invocation, r: ReconcileRun, next: ReconciliationRow, also: D1PreparedStatement[] = []): Promise<void> {
  await inv.env.DB.batch([...also, saveReconciliationStatement(inv.env.DB, next)]);
  r.state = next;
}

async function step(inv: Invocation, r: ReconcileRun): Promise<void> {
  const { state } = r;
  const db = inv.env.DB;
  if (!state.phase) {
    // Ids left from a reconciliation abandoned earlier go first; then the job that lists every live Id.
    if ((await clearStagedIds(db, state.connector_id, state.table_name, null, CLEAR_CHUNK)) > 0) return;
    const job = await createBulkQueryJob(inv.api, `SELECT Id FROM ${TABLES[state.table_name].source}`, 'query');
    // Without the job's createdDate, the invocation's start (earlier than the job) bounds what may be removed.
    const created = jobCreatedAt(job);
    const cutoff = new Date((created ? Date.parse(created) : inv.at.getTime()) - REREAD_LAG_MS).toISOString();
    return save(inv, r, { ...state, phase: 'staging', job_id: job.id, cutoff, locator: null, compared_to: '', run_id: r.runId });
  }
  if (state.phase === 'staging') return stagePage(inv, r);
  return compareChunk(inv, r);
}

async function stagePage(inv: Invocation, r: ReconcileRun): Promise<void> {
  const { state } = r;
  const jobId = state.job_id!;
  if (state.locator === null) {
    const job = await bulkJobState(inv.api, jobId);
    if (job.state === 'Failed' || job.state === 'Aborted') {
      await save(inv, r, { ...state, phase: null, job_id: null, cutoff: null, locator: null, compared_to: null });
      return fail(r, 'bulk_job_failed', `Salesforce's Bulk API 2.0 job listing every ${TABLES[state.table_name].source} Id ${job.state.toLowerCase()}: ${job.errorMessage ?? 'no reason given'}. Nothing was deleted; the next run starts a new reconciliation.`);
    }
    if (job.state !== 'JobComplete') {
      if (Date.now() + 1_000 >= inv.deadline) return stopAll([r], 'partial', null, 'Salesforce is still listing the Ids; the next run picks them up. Nothing is deleted before every Id is read.');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return;
    }
  }
  try {
    await readBulkPage(inv.api, jobId, state.locator, inv.limits.bulkPageSize, STAGE_CHUNK, async (records, chunk) => {
      const ids = records.map((record) => record.Id!).filter(Boolean);
      const stage = stageIdsStatement(inv.env.DB, state.connector_id, state.table_name, ids);
      if (chunk.last) {
        const next: ReconciliationRow = chunk.nextLocator ? { ...state, locator: chunk.nextLocator } : { ...state, phase: 'comparing', locator: null };
        await save(inv, r, next, [stage]);
      } else await inv.env.DB.batch([stage]);
      r.outcome.read += ids.length;
      inv.hooks?.at?.('reconcile_staged', state.table_name);
    });
  } catch (error) {
    // Results are kept 7 days: a job or locator Salesforce no longer knows starts the reconciliation over.
    const sf = asSalesforceError(error);
    if (sf?.errorCode !== 'NOT_FOUND' && sf?.errorCode !== 'INVALIDLOCATOR' && sf?.status !== 400 && sf?.status !== 404) throw error;
    await save(inv, r, { ...r.state, phase: null, job_id: null, cutoff: null, locator: null, compared_to: null });
  }
}

/**
 * One chunk of the copy, read through the destination (D1's table, or the Dataverse ledger) in Salesforce Id order,
 * compared with the staged Ids: a live row Salesforce no longer has, written before the job's snapshot, is deleted
 * through the destination's own delete path (hard, or marked in soft mode). Where the comparison stands is saved
 * after the chunk's deletes, so a crash in between compares the chunk again (deleting what is gone is idempotent).
 */
async function compareChunk(inv: Invocation, r: ReconcileRun): Promise<void> {
  const { state } = r;
  const db = inv.env.DB;
  const { tenant_id: tenantId, id: connectorId, delete_mode: deleteMode } = inv.connector;
  const table = state.table_name;
  const cutoff = state.cutoff!;
  const rows = await inv.destination.copyChunk({ tenantId, connectorId, table }, state.compared_to ?? '', COMPARE_CHUNK);
  if (rows.length === 0) {
    if ((await clearStagedIds(db, connectorId, table, null, CLEAR_CHUNK)) > 0) return;
    // Everything deleted before the job's snapshot is settled: the delete log is read on from there.
    await save(inv, r, { ...state, requested_at: null, reason: null, phase: null, job_id: null, cutoff: null, locator: null, compared_to: null, last_finished_at: inv.at.toISOString(), deletes_covered_to: cutoff });
    r.finished = true;
    return;
  }
  const live = await stagedAmong(db, connectorId, table, rows.map((row) => row.salesforceId));
  const gone = rows.filter((row) => !row.deleted && row.modstamp < cutoff && !live.has(row.salesforceId));
  if (gone.length > 0) {
    const at = nowIso();
    const page: ConvertedPage = {
      target: { tenantId, connectorId, table, deleteMode, rewriteSameVersion: false },
      key: primaryKeyOf(table),
      columns: [],
      rows: [],
      // The cutoff as the delete's version: a row written since (newer than the job's snapshot) is never removed.
      deletes: gone.map((row) => ({ guid: row.guid, modstamp: cutoff })),
      rejects: [],
      accepted: [],
      records: 0,
      maxModstamp: null,
    };
    const written = await inv.destination.commitPage(page, { cursor: null, runId: r.runId, passEndedAt: null, at });
    r.outcome.deleted += written.deleted;
  }
  inv.hooks?.at?.('reconcile_compared', table);
  await save(inv, r, { ...state, compared_to: rows.at(-1)!.salesforceId });
}
