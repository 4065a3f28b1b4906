/**
 * How long to wait before asking Salesforce again whether a Bulk API 2.0 query job is done. Salesforce documents no
 * interval, only "repeat until the state is JobComplete"
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm). Each check
 * is an API call, so the wait doubles: a job that is ready in a moment is read a moment later instead of after a
 * fixed second, and a job that takes minutes costs fewer checks than one a second.
 */
const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 4_000;

/** The wait after the `checks`-th check (1 for the first) found the job still running. */
export function bulkCheckWaitMs(checks: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, checks - 1));
}
