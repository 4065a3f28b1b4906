/**
 * The baselines' destination: a plain SQLite file through Node's built-in `node:sqlite`, with the Worker's own
 * migrations applied (same tables, same keys, same indexes) and in WAL mode, as D1 and Durable Object storage
 * run. Records become the same rows the Worker writes: GUID keys from the Salesforce Id, the mapped columns,
 * Forcebridge's bookkeeping columns, and the agents' full-text index over them (issue #15), which the Worker keeps
 * in every page's batch.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { TABLES, type DestinationTable, primaryKeyOf } from '../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { ROOT } from '../../scripts/lib/wrangler';

const TENANT_ID = 'bench-tenant';
const CONNECTOR_ID = 'bench-connector';
const OWNER_ID = '00000000-0000-0000-0000-0000000000aa';

export function openDestination(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
  const dir = join(ROOT, 'worker', 'migrations');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) db.exec(readFileSync(join(dir, name), 'utf8'));
  db.prepare('INSERT INTO tenants (id, name) VALUES (?, ?)').run(TENANT_ID, 'Bench');
  return db;
}

export type SalesforceRecord = Record<string, unknown>;

/** Salesforce fields the destination columns come from, in column order, for one table's default mapping. */
function columnsOf(table: DestinationTable) {
  const key = primaryKeyOf(table);
  const mapped = Object.entries(DEFAULT_MAPPINGS[table]).filter(([column]) => column !== key);
  const lookups = new Set(TABLES[table].columns.filter((c) => ['Lookup', 'Customer', 'Owner', 'Uniqueidentifier'].includes(c.type)).map((c) => c.name));
  return { key, mapped, lookups };
}

/** A prepared INSERT (or upsert) of one record into the table; answers the row's key. */
export function rowWriter(db: DatabaseSync, table: DestinationTable, upsert: boolean): (record: SalesforceRecord) => string {
  const { key, mapped, lookups } = columnsOf(table);
  const columns = ['tenant_id', key, ...mapped.map(([c]) => c), 'ownerid', 'forcebridge_connector_id', 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_synced_at'];
  const sql =
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})` +
    (upsert ? ` ON CONFLICT (tenant_id, ${key}) DO UPDATE SET ${columns.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}` : '');
  const statement: StatementSync = db.prepare(sql);
  const syncedAt = new Date().toISOString();
  return function writeRow(record) {
    const values = mapped.map(([column, field]) => {
      const raw = record[field];
      if (raw === undefined || raw === null || raw === '') return null;
      return lookups.has(column) ? guidFromSalesforceId(String(raw)) : (raw as string | number);
    });
    const key = guidFromSalesforceId(String(record.Id));
    statement.run(TENANT_ID, key, ...values, OWNER_ID, CONNECTOR_ID, String(record.Id), String(record.SystemModstamp), syncedAt);
    return key;
  };
}

/**
 * The agents' search index for every row of `table`, written the cheapest way there is: one INSERT … SELECT per index
 * table through the same views (`*_search_text`, migration 0009) the Worker's statements and the migration's backfill
 * read. The Worker writes this index for every record it copies, so a ceiling without it would not be the same work.
 * A contact's text carries its account's name, so accounts are written (and indexed) first, as the Worker does.
 */
export function indexForSearch(db: DatabaseSync, table: DestinationTable): void {
  const key = primaryKeyOf(table);
  db.exec(`INSERT INTO search_keys (tenant_id, table_name, record_id) SELECT tenant_id, '${table}', ${key} FROM ${table} WHERE true
             ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING`);
  db.exec(`INSERT INTO record_search (rowid, name, email, phone, account)
             SELECT k.id, t.name, t.email, t.phone, t.account
               FROM ${table}_search_text t JOIN search_keys k ON k.tenant_id = t.tenant_id AND k.table_name = '${table}' AND k.record_id = t.record_id`);
}

/**
 * The search index for the given rows of `table` only (their keys), as the Worker writes it in each page's batch: a
 * stable key per row, then the rows' text, both selected through the page's keys.
 */
export function pageIndexer(db: DatabaseSync, table: DestinationTable): (keys: string[]) => void {
  const key = primaryKeyOf(table);
  const searchKeys = db.prepare(
    `INSERT INTO search_keys (tenant_id, table_name, record_id)
       SELECT tenant_id, '${table}', ${key} FROM ${table} WHERE tenant_id = ?1 AND ${key} IN (SELECT value FROM json_each(?2)) AND true
     ON CONFLICT (tenant_id, table_name, record_id) DO NOTHING`,
  );
  const text = db.prepare(
    `INSERT INTO record_search (rowid, name, email, phone, account)
       SELECT k.id, t.name, t.email, t.phone, t.account FROM json_each(?2) i
         CROSS JOIN search_keys k ON k.tenant_id = ?1 AND k.table_name = '${table}' AND k.record_id = i.value
         CROSS JOIN ${table}_search_text t ON t.tenant_id = ?1 AND t.record_id = k.record_id
        ORDER BY k.id`,
  );
  return function indexPage(keys) {
    const json = JSON.stringify(keys);
    searchKeys.run(TENANT_ID, json);
    text.run(TENANT_ID, json);
  };
}
