/**
 * `GET /sobjects/{Type}/updated/?start=&end=` and `/deleted/`: ids changed or deleted in a window, for replication.
 * Times are truncated to the minute; `updated` reaches back 30 days and `deleted` 15, beyond which Salesforce answers
 * INVALID_REPLICATION_DATE; more than 600,000 ids is EXCEEDED_ID_LIMIT. Bodies as
 * restforce-mit/get_updated_success_response.json and get_deleted_success_response.json. Purged rows still appear
 * in `deleted`, as real getDeleted reports hard deletes too.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 *
 * The rules of getDeleted(), which the REST resource follows (the SOAP guide holds them): start must precede end by
 * more than one minute, else INVALID_REPLICATION_DATE; results reach no more than 15 days back, and a start before
 * the earliest date the delete log still covers is INVALID_REPLICATION_DATE too (the client must re-synchronise).
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getdeleted.htm
 * The documents give no message text; the one recorded from a real org for a start the log no longer covers is
 * "startDate before org replication enabled date" (https://github.com/jsforce/jsforce/issues/406).
 */
import { Hono } from 'hono';
import { formatDateTime, parseSalesforceDateTime } from '../clock';
import type { Emulator } from '../emulator';
import { errors, SalesforceError } from '../errors';
import { sfJson, type AppEnv } from '../http';
import { objectAccess } from '../org/access';
import { RowState } from '../org/table';

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_IDS = 600_000;
/** Salesforce's words for a start the log no longer covers (see above). */
export const TOO_OLD = 'startDate before org replication enabled date';

/** The oldest moment a window may start at: `maxDays` before now, to the minute. */
const earliestAvailable = (now: number, maxDays: number) => Math.floor((now - maxDays * DAY) / MINUTE) * MINUTE;

function window(start: string | undefined, end: string | undefined, now: number, maxDays: number): { from: number; to: number } {
  const from = start ? parseSalesforceDateTime(start) : Number.NaN;
  const to = end ? parseSalesforceDateTime(end) : Number.NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new SalesforceError('MALFORMED_QUERY', 'start and end are required date/time parameters (e.g. 2026-01-01T00:00:00+00:00)', 400);
  }
  if (to - from <= MINUTE) throw new SalesforceError('INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute', 400);
  if (from < earliestAvailable(now, maxDays)) throw new SalesforceError('INVALID_REPLICATION_DATE', TOO_OLD, 400);
  return { from: Math.floor(from / MINUTE) * MINUTE, to: Math.floor(Math.min(to, now) / MINUTE) * MINUTE };
}

export function replicationRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });

  routes.get('/:type/updated', function updated(c) {
    const org = emulator.org;
    const schema = org.schemas.get(c.req.param('type'));
    const table = schema && org.table(schema.name);
    if (!schema || !table || !objectAccess(org, c.get('session').userId, schema.name).read) throw errors.notFound();
    const { from, to } = window(c.req.query('start'), c.req.query('end'), org.clock.now(), 30);
    const ids: string[] = [];
    for (const index of table.indices(false)) {
      const stamp = table.modifiedAt(index);
      if (stamp >= from && stamp < to) ids.push(table.idOf(index));
    }
    if (ids.length > MAX_IDS) throw new SalesforceError('EXCEEDED_ID_LIMIT', `The number of ids exceeds the maximum of ${MAX_IDS}; use a shorter interval`, 400);
    return sfJson(c, { ids, latestDateCovered: formatDateTime(to) });
  });

  routes.get('/:type/deleted', function deleted(c) {
    const org = emulator.org;
    const schema = org.schemas.get(c.req.param('type'));
    const table = schema && org.table(schema.name);
    if (!schema || !table || !objectAccess(org, c.get('session').userId, schema.name).read) throw errors.notFound();
    const now = org.clock.now();
    const { from, to } = window(c.req.query('start'), c.req.query('end'), now, 15);
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    for (let index = 0; index < table.size; index++) {
      const state = table.stateOf(index);
      const when = table.deletedDate(index);
      if ((state === RowState.Deleted || state === RowState.Purged) && when !== undefined && when >= from && when < to) {
        deletedRecords.push({ id: table.idOf(index), deletedDate: formatDateTime(when) });
      }
    }
    if (deletedRecords.length > MAX_IDS) throw new SalesforceError('EXCEEDED_ID_LIMIT', `The number of ids exceeds the maximum of ${MAX_IDS}; use a shorter interval`, 400);
    return sfJson(c, {
      deletedRecords,
      earliestDateAvailable: formatDateTime(earliestAvailable(now, 15)),
      latestDateCovered: formatDateTime(to),
    });
  });

  return routes;
}
