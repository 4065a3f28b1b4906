/**
 * What changing a table's row filter will do, said before it is saved (`?dryRun=true` shows only this): how many
 * copied rows leave (they no longer match), how many records arrive (they match now and did not before), and the API
 * calls it costs — counted live in one Composite call. Saving restarts the table's pass as a re-read: its first call
 * also reads the Ids of every record outside the new filter, which leave the copy (or are marked, in soft mode), and
 * the re-read brings what arrives.
 */
import { TABLES, type DestinationTable } from '../../../shared/mapping/destination';
import type { ConnectionRow } from '../db/connections';
import { setTableFilterStatement } from '../db/connectors';
import { restartCursorStatement } from '../db/cursors';
import { nowIso } from '../clock';
import { MalformedResponse } from '../salesforce/errors';
import { API_VERSION } from '../salesforce/api';
import { fetchComposite, openApiSession, pageOf } from '../salesforce/rest';
import { firstSyncApiCalls, formulaRefreshApiCallsPerDay, leaverApiCalls } from '../sync/estimate';
import { connectorRowCount } from '../db/destination-rows';
import type { ConnectorRow } from '../db/connectors';
import { connectorTables } from '../db/connectors';
import { checkedFilter } from './row-filter';

const COUNT_MS = 20_000;

const not = (condition: string) => `NOT (${condition})`;
const both = (a: string, b: string) => `(${a}) AND ${b}`;

/** Live counts of `conditions` on one object, in one Composite call. */
async function counts(env: Env, connection: ConnectionRow, object: string, conditions: Record<string, string>): Promise<Record<string, number>> {
  const session = await openApiSession(env, connection, Date.now() + COUNT_MS);
  const entries = Object.entries(conditions);
  const results = await fetchComposite(
    session,
    entries.map(([name, where]) => ({ method: 'GET', url: `/services/data/v${API_VERSION}/query?q=${encodeURIComponent(`SELECT COUNT() FROM ${object} WHERE ${where}`)}`, referenceId: name })),
  );
  const answer: Record<string, number> = {};
  for (const [name] of entries) {
    const result = results.get(name);
    if (!result) throw new MalformedResponse(`Salesforce's Composite answer has no count for ${name}.`);
    const counted = pageOf(result, `the count for ${name}`);
    if (!counted.ok) throw counted.error;
    answer[name] = counted.page.totalSize;
  }
  return answer;
}

/**
 * The statements and effects of moving `table`'s filter from `before` to `after` (null: every record). The new
 * filter is checked first (a 400 naming the problem).
 */
export async function filterChange(env: Env, connection: ConnectionRow, connectorId: string, table: DestinationTable, before: string | null, after: string | null) {
  if ((before ?? null) === (after ?? null)) return { statements: [], effects: [] };
  const object = TABLES[table].source;
  const checked = after ? await checkedFilter(env, connection, table, after) : null;
  const statements = [setTableFilterStatement(env.DB, connectorId, table, after), restartCursorStatement(env.DB, connectorId, table, [], nowIso())];
  if (checked && checked.matches === null) {
    // The integration user may not read a field the filter reads yet: Salesforce counts nothing until it may.
    const fields = checked.ungranted.join(', ');
    return {
      statements,
      effects: [
        `Filters ${table} to ${object} records where ${after}.`,
        `Reads ${fields}, which the integration user may not read yet: Update permissions on the connection to add Read on ${fields} to the Forcebridge permission set (removing the filter takes it away again). Until then the ${table} sync stops with a message; then it re-reads the table, and the rows outside the filter leave the copy.`,
      ],
    };
  }
  const conditions: Record<string, string> = {};
  if (after) conditions.leave = before ? both(before, not(after)) : not(after);
  if (before) conditions.arrive = after ? both(after, not(before)) : not(before);
  const counted = await counts(env, connection, object, conditions);
  const leave = counted.leave ?? 0;
  const arrive = counted.arrive ?? 0;
  const reread = checked?.matches ?? (await counts(env, connection, object, { all: 'Id != null' })).all!;
  const calls = firstSyncApiCalls([{ table, records: reread }]) + leaverApiCalls(leave);
  const effects = [
    after ? `Filters ${table} to ${object} records where ${after} (${checked!.matches!.toLocaleString('en-US')} match now).` : `Removes the ${table} filter: every ${object} record is copied.`,
    `${leave.toLocaleString('en-US')} copied ${table} rows leave the copy (in soft delete mode they stay, marked deleted) and ${arrive.toLocaleString('en-US')} records arrive, on the next sync: a re-read of about ${calls.toLocaleString('en-US')} API calls.`,
  ];
  return { statements, effects };
}

/** A new formula refresh cadence, with what it costs a day over the rows copied now (formula tables only). */
export async function cadenceEffect(env: Env, row: ConnectorRow, hours: number): Promise<string> {
  let calls = 0;
  for (const t of (await connectorTables(env.DB, row.id)).filter((t) => t.enabled)) {
    calls += formulaRefreshApiCallsPerDay(await connectorRowCount(env.DB, t.table_name, row.tenant_id, row.id), hours);
  }
  return `Reads mapped formula fields again every ${hours} hours: at most about ${calls.toLocaleString('en-US')} API calls a day (tables without formula fields cost nothing).`;
}
