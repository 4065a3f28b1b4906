/**
 * What a first sync will cost in Salesforce API calls, from the record counts: REST pages of 2,000 records travel
 * five to a Composite call; large tables go through Bulk API 2.0 (a job, a few status checks, one call per results
 * page). The panel shows it before the admin activates, next to the org's remaining daily requests.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import { QUERY_SUBREQUESTS_PER_CALL } from './plan';
import { DEFAULT_LIMITS } from './sync-connector';

const REST_PAGE = 2_000;
const BULK_STATUS_CHECKS = 3;

export function firstSyncApiCalls(counts: { table: DestinationTable; records: number }[], limits = DEFAULT_LIMITS): number {
  let calls = 1; // the counts themselves
  let restPages = 0;
  for (const { records } of counts) {
    if (records > limits.bulkThreshold) calls += 1 + BULK_STATUS_CHECKS + Math.ceil(records / limits.bulkPageSize);
    else restPages += Math.max(1, Math.ceil(records / REST_PAGE));
  }
  return calls + Math.ceil(restPages / QUERY_SUBREQUESTS_PER_CALL);
}
