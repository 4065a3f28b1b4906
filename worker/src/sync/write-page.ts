/**
 * Turns one page of Salesforce records into D1 statements for the destination table: upserts keyed by the
 * deterministic GUID, many rows per statement (never overwriting a newer version with an older one), deletes (hard, or a soft-delete mark),
 * rejects for records that cannot be converted, the search index for the records touched, and — in the same batch —
 * the table's cursor, so the page and
 * where the sync stands are committed together or not at all.
 */
import { TABLES, type DestinationColumn, type DestinationTable } from '../../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../../shared/mapping/guid';
import type { SourceField } from '../../../shared/mapping/type-rules';
import { searchIndexStatements } from '../agent/search-index';
import { type StoredValue, convertValue, isoDateTime } from './convert';

export interface TableSyncContext {
  tenantId: string;
  connectorId: string;
  table: DestinationTable;
  mapping: Record<string, string>;
  /** the describe's fields by name, for value types */
  fields: Map<string, SourceField>;
  teamId: string;
  deleteMode: 'hard' | 'soft';
  /** rewrite rows whose version is already here (a backfill after a mapping change) */
  rewriteSameVersion: boolean;
  runId: string;
}

export interface PageOutcome {
  statements: D1PreparedStatement[];
  /** index of each kind's statements in `statements`, so counts come from D1's own `changes` */
  upserts: number[];
  deletes: number[];
  rejected: number;
  /** the highest SystemModstamp in the page (ISO), or null for an empty page */
  maxModstamp: string | null;
}

const isTrue = (value: unknown) => value === true || value === 'true';

const MAX_ROWS_PER_STATEMENT = 1_000;
const MAX_BYTES_PER_STATEMENT = 512 * 1024;

export function pageStatements(db: D1Database, ctx: TableSyncContext, records: Record<string, unknown>[], syncedAt: string): PageOutcome {
  const definition = TABLES[ctx.table];
  const key = definition.columns.find((c) => c.primaryKey)!.name;
  const mapped = Object.entries(ctx.mapping)
    .filter(([column]) => column !== key)
    .map(([column, field]) => [definition.columns.find((c) => c.name === column)!, field] as [DestinationColumn, string]);
  const outcome: PageOutcome = { statements: [], upserts: [], deletes: [], rejected: 0, maxModstamp: null };
  const versionGuard = ctx.rewriteSameVersion ? '>=' : '>';

  const columns = [key, ...mapped.map(([c]) => c.name), 'ownerid', 'forcebridge_connector_id', 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_deleted_at', 'forcebridge_synced_at'];
  // Many rows per statement: the rows travel as one JSON array parameter and json_each spreads them out. One
  // statement per row made D1 spend most of a page's time on statement overhead (see docs/benchmarks.md).
  const upsert = db.prepare(
    `INSERT INTO ${ctx.table} (tenant_id, ${columns.join(', ')})
       SELECT ?1, ${columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?2) WHERE true
     ON CONFLICT (tenant_id, ${key}) DO UPDATE SET ${columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE excluded.forcebridge_modstamp ${versionGuard} ${ctx.table}.forcebridge_modstamp`,
  );
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    outcome.upserts.push(outcome.statements.length);
    outcome.statements.push(upsert.bind(ctx.tenantId, `[${chunk.join(',')}]`));
    chunk = [];
    chunkBytes = 0;
  };
  const hardDelete = db.prepare(`DELETE FROM ${ctx.table} WHERE tenant_id = ?1 AND ${key} = ?2 AND forcebridge_modstamp <= ?3`);
  const softDelete = db.prepare(
    `UPDATE ${ctx.table} SET forcebridge_deleted_at = ?4, forcebridge_modstamp = ?3, forcebridge_synced_at = ?4 WHERE tenant_id = ?1 AND ${key} = ?2 AND forcebridge_modstamp <= ?3 AND forcebridge_deleted_at IS NULL`,
  );
  const reject = db.prepare(
    `INSERT INTO sync_rejects (connector_id, table_name, salesforce_id, reason, run_id, rejected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (connector_id, table_name, salesforce_id) DO UPDATE SET reason = excluded.reason, run_id = excluded.run_id, rejected_at = excluded.rejected_at`,
  );
  const accepted: string[] = [];
  /** GUIDs of the records this page wrote or deleted, to re-index for search in the same batch */
  const touched: string[] = [];

  for (const record of records) {
    const id = String(record.Id ?? '');
    const modstamp = isoDateTime(String(record.SystemModstamp ?? ''));
    if (!id || !modstamp) {
      outcome.statements.push(reject.bind(ctx.connectorId, ctx.table, id || '(no Id)', 'Salesforce sent the record without an Id or SystemModstamp', ctx.runId, syncedAt));
      outcome.rejected++;
      continue;
    }
    if (!outcome.maxModstamp || modstamp > outcome.maxModstamp) outcome.maxModstamp = modstamp;
    let guid: string;
    try {
      guid = guidFromSalesforceId(id);
    } catch {
      outcome.statements.push(reject.bind(ctx.connectorId, ctx.table, id, `"${id}" is not a Salesforce Id`, ctx.runId, syncedAt));
      outcome.rejected++;
      continue;
    }

    if (isTrue(record.IsDeleted)) {
      outcome.deletes.push(outcome.statements.length);
      outcome.statements.push(ctx.deleteMode === 'hard' ? hardDelete.bind(ctx.tenantId, guid, modstamp) : softDelete.bind(ctx.tenantId, guid, modstamp, syncedAt));
      accepted.push(id);
      touched.push(guid);
      continue;
    }

    const values: StoredValue[] = [];
    const problems: string[] = [];
    for (const [column, fieldName] of mapped) {
      const field = ctx.fields.get(fieldName) ?? { name: fieldName, type: 'string' };
      const converted = convertValue(column, field, record[fieldName]);
      if (converted.ok) values.push(converted.value);
      else problems.push(converted.reason);
    }
    if (problems.length > 0) {
      outcome.statements.push(reject.bind(ctx.connectorId, ctx.table, id, problems.join('; '), ctx.runId, syncedAt));
      outcome.rejected++;
      continue;
    }
    const row = JSON.stringify([guid, ...values, ctx.teamId, ctx.connectorId, id, modstamp, null, syncedAt]);
    // Well under D1's 2 MB limit for one value, whatever the rows hold.
    if (chunk.length >= MAX_ROWS_PER_STATEMENT || chunkBytes + row.length > MAX_BYTES_PER_STATEMENT) flush();
    chunk.push(row);
    chunkBytes += row.length + 1;
    accepted.push(id);
    touched.push(guid);
  }
  flush();
  outcome.statements.push(...searchIndexStatements(db, ctx.tenantId, ctx.table, touched));

  // A record that converts now is no longer a reject.
  if (accepted.length > 0) {
    outcome.statements.push(
      db
        .prepare('DELETE FROM sync_rejects WHERE connector_id = ?1 AND table_name = ?2 AND salesforce_id IN (SELECT value FROM json_each(?3))')
        .bind(ctx.connectorId, ctx.table, JSON.stringify(accepted)),
    );
  }
  return outcome;
}
