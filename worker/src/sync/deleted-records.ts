/**
 * Applies the deleted-records log a pass read beside its query: each Id the log lists is deleted from the copy (or
 * marked, in soft mode) unless a newer version is there — a record undeleted since carries a newer SystemModstamp, so
 * the log's deletedDate is the version the delete stands for. Committed without the cursor: a crash reads the window
 * again with the pass, and deleting twice is harmless. When the log cannot tell (the window is older than it keeps,
 * Salesforce refuses the date, or the answer is unreadable), the table is handed to an Id reconciliation instead.
 */
import { nowIso } from '../clock';
import { salesforceDateTime } from '../../../shared/salesforce-datetime';
import { type ReconcileReason, deletesCoveredStatement, requestReconciliationStatement } from '../db/reconciliations';
import { SalesforceError } from '../salesforce/errors';
import { type SubrequestResult, deletedOf } from '../salesforce/rest';
import { type DeletedWindow, logCoversFrom } from './deleted-window';
import type { Invocation, TableRun } from './invocation';

export async function applyDeletedRecords(inv: Invocation, t: TableRun, window: DeletedWindow, result: SubrequestResult | undefined): Promise<void> {
  if ('expired' in window) return requestReconciliation(inv, t, 'window_expired');
  if (!result) return;
  const answer = deletedOf(result);
  if (!answer.ok) {
    const refused = answer.error instanceof SalesforceError && answer.error.errorCode === 'INVALID_REPLICATION_DATE';
    return refused ? requestReconciliation(inv, t, 'replication_date_refused') : keepWindow(inv, t, window);
  }
  const { deleted } = answer;
  if (!logCoversFrom(deleted.earliestDateAvailable, window.start)) return requestReconciliation(inv, t, 'window_expired');
  if (deleted.deletedRecords.length > 0) {
    const at = nowIso();
    const page = t.convert!(deleted.deletedRecords.map((d) => ({ Id: d.id, SystemModstamp: d.deletedDate, IsDeleted: true })), at);
    const written = await inv.destination.commitPage(page, { cursor: null, runId: t.runId, passEndedAt: null, at });
    t.outcome.read += page.records;
    t.outcome.deleted += written.deleted;
  }
  // The next window starts where this one's answer says it is complete (latestDateCovered), never later than its end.
  const end = new Date(Date.parse(window.end)).toISOString();
  const said = salesforceDateTime(deleted.latestDateCovered ?? '');
  const covered = said && said < end ? said : end;
  await deletesCoveredStatement(inv.env.DB, inv.connector.id, t.table, covered).run();
  t.deletesCoveredTo = covered;
}

/**
 * The log did not answer this time: what it covers stays where it was (or, never recorded, at this window's start, so
 * the watermark moving on cannot narrow the next window past it), and the next pass asks for it again.
 */
async function keepWindow(inv: Invocation, t: TableRun, window: { start: string }): Promise<void> {
  if (t.deletesCoveredTo) return;
  const start = new Date(Date.parse(window.start)).toISOString();
  await deletesCoveredStatement(inv.env.DB, inv.connector.id, t.table, start).run();
  t.deletesCoveredTo = start;
}

function requestReconciliation(inv: Invocation, t: TableRun, reason: ReconcileReason) {
  return requestReconciliationStatement(inv.env.DB, inv.connector.id, t.table, reason, inv.at.toISOString()).run().then(() => undefined);
}
