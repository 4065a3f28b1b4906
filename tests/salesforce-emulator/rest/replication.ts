/**
 * `GET /sobjects/{Type}/updated/?start=&end=` and `/deleted/`: ids changed or deleted in a window, for replication.
 * Times are truncated to the minute; `updated` reaches back 30 days and `deleted` 15, beyond which Salesforce answers
 * INVALID_REPLICATION_DATE; more than 600,000 ids is EXCEEDED_ID_LIMIT. Bodies as
 * restforce-mit/get_updated_success_response.json and get_deleted_success_response.json. Purged rows still appear
 * in `deleted`, as real getDeleted reports hard deletes too.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm
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

function window(start: string | undefined, end: string | undefined, now: number, maxDays: number): { from: number; to: number } {
  const from = start ? parseSalesforceDateTime(start) : Number.NaN;
  const to = end ? parseSalesforceDateTime(end) : Number.NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new SalesforceError('MALFORMED_QUERY', 'start and end are required date/time parameters (e.g. 2026-01-01T00:00:00+00:00)', 400);
  }
  if (to <= from) throw new SalesforceError('INVALID_REPLICATION_DATE', 'end date must be after start date', 400);
  if (from < now - maxDays * DAY) throw new SalesforceError('INVALID_REPLICATION_DATE', `start date cannot be more than ${maxDays} days ago`, 400);
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
      earliestDateAvailable: formatDateTime(Math.floor((now - 15 * DAY) / MINUTE) * MINUTE),
      latestDateCovered: formatDateTime(to),
    });
  });

  return routes;
}
