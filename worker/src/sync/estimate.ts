/**
 * What a first sync will cost in Salesforce API calls, from the record counts: one Composite call carries every
 * table's first page; then REST pages of 2,000 records travel five to a Composite call, and a table with more than
 * the Bulk threshold left goes through Bulk API 2.0 (a job, a few status checks, one call per results page). The
 * panel shows it before the admin activates, next to the org's remaining daily requests. It is a floor: Salesforce
 * treats the page size as a request and may answer with smaller pages, which cost more calls (ESTIMATE_NOTE).
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import { QUERY_SUBREQUESTS_PER_CALL, REST_PAGE_RECORDS } from './plan';
import { DEFAULT_LIMITS } from './invocation';

const BULK_STATUS_CHECKS = 2;

/** What the estimate assumes, in the user's words. */
export const ESTIMATE_NOTE = `Counted with REST pages of ${REST_PAGE_RECORDS.toLocaleString('en-US')} records; Salesforce may send smaller pages, so a first sync can take more calls.`;

export function firstSyncApiCalls(counts: { table: DestinationTable; records: number }[], limits = DEFAULT_LIMITS): number {
  let calls = 1; // the first page of every table
  let restPages = 0;
  for (const { records } of counts) {
    const left = Math.max(0, records - REST_PAGE_RECORDS);
    // The job starts at the first page's last stamp, so that record is read again.
    if (left > limits.bulkThreshold) calls += 1 + BULK_STATUS_CHECKS + Math.ceil((left + 1) / limits.bulkPageSize);
    else restPages += Math.ceil(left / REST_PAGE_RECORDS);
  }
  return calls + Math.ceil(restPages / QUERY_SUBREQUESTS_PER_CALL);
}

/**
 * API calls one formula refresh costs: it reads only Id and the formula fields of every (filtered) record, REST pages
 * of 2,000 travelling five to a Composite call (formula-refresh.ts).
 */
export function formulaRefreshApiCalls(records: number): number {
  return Math.max(1, Math.ceil(records / (REST_PAGE_RECORDS * QUERY_SUBREQUESTS_PER_CALL)));
}

/** The same, over a day, at a refresh every `hours` hours. */
export const formulaRefreshApiCallsPerDay = (records: number, hours: number) => formulaRefreshApiCalls(records) * Math.ceil(24 / hours);

/** Calls to read the Ids of `records` records leaving a table's copy after a filter change (pages of 2,000, five to a call). */
export const leaverApiCalls = (records: number) => Math.ceil(records / (REST_PAGE_RECORDS * QUERY_SUBREQUESTS_PER_CALL));
