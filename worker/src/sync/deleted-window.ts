/**
 * Which deleted-records window an incremental pass asks Salesforce for, decided without I/O. Records deleted and then
 * purged from the recycle bin (or hard-deleted) never reach queryAll, so each incremental pass also reads the object's
 * delete log (sObject Get Deleted) over the same stretch of time as its query, in the same Composite call.
 *
 * The log's rules (getDeleted(), which the REST resource follows): start must precede end by more than one minute;
 * Salesforce ignores the seconds; it answers for no more than 15 days back (less if the recycle bin was emptied), and
 * a start it no longer covers is INVALID_REPLICATION_DATE — then only an Id reconciliation can find what was purged.
 * (Not 30 days: that is sObject Get Updated's reach.)
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getdeleted.htm
 */
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import { API_VERSION, type CompositeSubrequest } from '../salesforce/api';
import { soqlDateTime } from './plan';

/** How far back Salesforce's delete log answers. */
export const DELETED_LOG_DAYS = 15;
const DAY_MS = 86_400_000;
/** Kept off the log's edge: a window starting within this much of it could be refused by the time it is read. */
const EDGE_MS = 60 * 60_000;
/** More than the one minute getDeleted() requires between start and end, after Salesforce drops the seconds. */
const MIN_SPAN_MS = 2 * 60_000;

export type DeletedWindow = { start: string; end: string } | { expired: true };

/**
 * The window for a pass whose query starts at `from` (null: a pass that reads everything needs none): from there
 * (at least two minutes before `at`) to `at`; `expired` when the log no longer reaches back that far.
 */
export function deletedWindow(from: string | null, at: Date): DeletedWindow | null {
  if (from === null) return null;
  const start = Math.min(Date.parse(from), at.getTime() - MIN_SPAN_MS);
  if (start < at.getTime() - DELETED_LOG_DAYS * DAY_MS + EDGE_MS) return { expired: true };
  return { start: soqlDateTime(new Date(start).toISOString()), end: soqlDateTime(at.toISOString()) };
}

/** The log answered for a window that starts before what it still covers: what was purged before may be missing. */
export const logCoversFrom = (earliestDateAvailable: string | null | undefined, start: string) => !earliestDateAvailable || Date.parse(earliestDateAvailable.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) <= Date.parse(start);

export const deletedReference = (table: DestinationTable) => `${table}_deleted`;

/** The deleted-records subrequest of one table's pass (not a query: it does not count towards Composite's five). */
export function deletedSubrequest(table: DestinationTable, window: { start: string; end: string }): CompositeSubrequest {
  const query = new URLSearchParams({ start: window.start, end: window.end });
  return { method: 'GET', url: `/services/data/v${API_VERSION}/sobjects/${TABLES[table].source}/deleted/?${query}`, referenceId: deletedReference(table) };
}
