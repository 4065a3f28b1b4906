/**
 * A formula refresh written to Dataverse (the destination contract's rule 6). Dataverse keeps no version of a formula
 * value that Forcebridge could compare against, so the rows' current values are read back — one `$batch` of
 * `GET <set>(<guid>)?$select=…` parts, each a plain part since a change set may not hold a GET
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#change-sets)
 * — and only the columns that differ are sent, as `PATCH <set>(<guid>)` with `If-Match: *`, which updates a row that
 * is there and never creates one (404 instead:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#prevent-create-in-upsert).
 * Comparing is pure and lives here too.
 */
import { TABLES, type DestinationColumn, type DestinationTable } from '../../../../shared/mapping/destination';
import type { DataverseClient } from '../../dataverse/client';
import { webApiError } from '../../dataverse/errors';
import type { FormulaValues } from '../destination';
import { ENTITY_SETS, type Operation, wireValue } from './operations';
import { sendBatch } from './send';

/** GETs per `$batch` (Dataverse takes up to 1,000 requests in one). */
const READS_PER_BATCH = 1_000;

/** Whether Dataverse's value is the one we would send: numbers by value, dates by instant, empty text as null. */
export function sameValue(column: DestinationColumn, sent: unknown, held: unknown): boolean {
  const blank = (v: unknown) => v === null || v === undefined || v === '';
  if (blank(sent) || blank(held)) return blank(sent) && blank(held);
  if (typeof sent === 'number' || typeof held === 'number') return Number(sent) === Number(held);
  if (column.type === 'DateTime' && typeof sent === 'string' && typeof held === 'string') return Date.parse(sent) === Date.parse(held);
  return sent === held;
}

/** The PATCH of one row's changed formula columns, or null when Dataverse already holds every value. */
export function refreshOperation(table: DestinationTable, columns: DestinationColumn[], row: FormulaValues, held: Record<string, unknown>): Operation | null {
  const body: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const sent = wireValue(column, row.values[i] ?? null);
    if (!sameValue(column, sent, held[column.name])) body[column.name] = sent;
  });
  if (Object.keys(body).length === 0) return null;
  const request = { method: 'PATCH' as const, path: `${ENTITY_SETS[table]}(${row.guid})`, headers: { 'If-Match': '*' }, body };
  return { kind: 'refresh', table, guid: row.guid, salesforceId: '', modstamp: '', request };
}

/** The columns of a refresh as the table defines them (unknown names are refused: a bug, not data). */
export function refreshColumnsOf(table: DestinationTable, names: string[]): DestinationColumn[] {
  return names.map((name) => {
    const column = TABLES[table].columns.find((c) => c.name === name);
    if (!column || column.type === 'Lookup' || column.type === 'Customer') throw new Error(`${table}.${name} is not a column a formula refresh can write.`);
    return column;
  });
}

/**
 * The current values of `columns` for the rows `guids` in Dataverse: a row Dataverse does not have (404) is left out.
 * Any other refusal fails the read (the refresh is tried again on the next run).
 */
export async function currentValues(client: DataverseClient, table: DestinationTable, guids: string[], columns: string[], deadline: number) {
  const rows = new Map<string, Record<string, unknown>>();
  let requests = 0;
  for (let start = 0; start < guids.length; start += READS_PER_BATCH) {
    const slice = guids.slice(start, start + READS_PER_BATCH);
    const groups = slice.map((guid, i) => [{ contentId: String(i + 1), request: { method: 'GET' as const, path: `${ENTITY_SETS[table]}(${guid})?$select=${columns.join(',')}` } }]);
    const answer = await sendBatch(client, groups, deadline);
    requests += answer.requests;
    answer.parts.forEach((part, i) => {
      if (part.status === 404) return;
      if (part.status !== 200 || typeof part.json !== 'object' || part.json === null) {
        throw webApiError(part.status === 200 ? 502 : part.status, JSON.stringify({ error: part.error ?? { code: '', message: `HTTP ${part.status} reading a row's formula columns` } }), part.status === 429 ? 1 : undefined);
      }
      rows.set(slice[i]!, part.json as Record<string, unknown>);
    });
  }
  return { rows, requests };
}
