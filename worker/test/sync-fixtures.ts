/** A connected org with a connector, ready to sync: what most sync tests start from. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { type DestinationTable, TABLES } from '../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { insertConnectorStatements, updateConnectorStatement } from '../src/db/connectors';
import { saveCursorStatement } from '../src/db/cursors';
import type { TableTarget } from '../src/destinations/destination';
import { freshCursor } from '../src/sync/cursor';
import { pageConverter } from '../src/sync/convert-page';
import { turnOn } from './connection-driver';
import { control } from './emulator';
import { newTenant } from './helpers';

export async function connectedConnector(options: { tables?: DestinationTable[]; deleteMode?: 'hard' | 'soft'; budgetThreshold?: number } = {}) {
  const tenant = await newTenant();
  const connection = await turnOn(tenant.key);
  const id = crypto.randomUUID();
  const tables = (options.tables ?? ['account', 'contact']).map((table) => ({ table, mapping: { ...DEFAULT_MAPPINGS[table] } }));
  await env.DB.batch([
    ...insertConnectorStatements(
      env.DB,
      {
        id,
        tenant_id: tenant.id,
        connection_id: connection.id,
        name: 'Contacts and accounts',
        team_name: 'Sales',
        team_id: guidFromSalesforceId('00G000000000001'),
        interval_minutes: 15,
        delete_mode: options.deleteMode ?? 'hard',
        budget_threshold: options.budgetThreshold ?? 0.2,
      },
      tables,
    ),
    updateConnectorStatement(env.DB, id, { active: 1 }),
  ]);
  return { tenant, connection, connectorId: id };
}

/** Every live record of an object in the emulated org, as Salesforce has it. */
export async function salesforceRecords(object: 'Contact' | 'Account', fields: string[]) {
  const { records } = await control<{ records: Record<string, unknown>[] }>('POST', '/query', { soql: `SELECT ${fields.join(', ')} FROM ${object}` });
  return records;
}

export async function destinationRows(table: DestinationTable, tenantId: string) {
  return (await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?1`).bind(tenantId).all<Record<string, unknown>>()).results;
}

/** Salesforce datetimes (2026-01-01T00:00:00.000+0000) as the ISO form the destination stores. */
export const iso = (salesforceDateTime: unknown) => new Date(Date.parse(String(salesforceDateTime).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();

/** A crashed invocation leaves its lease; tests stand in for its expiry. */
export const clearLease = () => env.DB.prepare('UPDATE connectors SET lease_until = NULL').run();

/**
 * The destination equals Salesforce: every live record exactly once under its GUID, at its current version, with
 * its mapped values (all of them, or every `stride`-th record's at volume), and no other rows.
 */
export async function expectDestinationEqualsSalesforce(tenantId: string, tables: DestinationTable[] = ['account', 'contact'], stride = 1) {
  for (const table of tables) {
    const mapping = DEFAULT_MAPPINGS[table];
    const key = TABLES[table].columns.find((c) => c.primaryKey)!.name;
    const { records } = await control<{ records: Record<string, unknown>[] }>('POST', '/query', {
      soql: `SELECT ${[...new Set(['Id', 'SystemModstamp', ...Object.values(mapping)])].join(', ')} FROM ${TABLES[table].source}`,
    });
    const { results: rows } = await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?1`).bind(tenantId).all<Record<string, unknown>>();
    const byKey = new Map(rows.map((r) => [r[key], r]));
    const problems: string[] = [];
    records.forEach((record, index) => {
      const row = byKey.get(guidFromSalesforceId(String(record.Id)));
      if (!row) return void problems.push(`${record.Id} missing`);
      if (row.forcebridge_modstamp !== iso(record.SystemModstamp)) problems.push(`${record.Id} at version ${row.forcebridge_modstamp}, Salesforce ${iso(record.SystemModstamp)}`);
      if (index % stride !== 0) return;
      for (const [column, field] of Object.entries(mapping)) {
        const raw = record[field] ?? null;
        const expected = raw !== null && (field === 'Id' || field === 'AccountId') ? guidFromSalesforceId(String(raw)) : raw;
        if (row[column] !== expected) problems.push(`${record.Id}.${field}: ${JSON.stringify(row[column])} ≠ ${JSON.stringify(expected)}`);
      }
    });
    expect(problems.slice(0, 5), `${table}: ${problems.length} differences`).toEqual([]);
    expect(rows.length, `${table}: rows beyond Salesforce's live records`).toBe(records.length);
  }
}

export async function runsOf(connectorId: string) {
  return (await env.DB.prepare('SELECT * FROM sync_runs WHERE connector_id = ?1 ORDER BY started_at, rowid').bind(connectorId).all<Record<string, unknown>>()).results;
}


/**
 * The least a destination test needs, with no org behind it: a connection row, a connector copying only
 * Contact.LastName, its fresh cursor saved, and the converter of its pages.
 */
export async function lastNameConnector(tenantId: string, deleteMode: 'hard' | 'soft' = 'hard', rewriteSameVersion = false) {
  const connectionId = crypto.randomUUID();
  await env.DB.prepare(
    "INSERT INTO connections (id, tenant_id, org_id, instance_url, login_audience, status, operation, app_name, integration_username, permission_set_name) VALUES (?1, ?2, ?3, 'https://x', 'https://login', 'connected', 'turn_on', 'a', 'u', 'p')",
  )
    .bind(connectionId, tenantId, `00D${connectionId.slice(0, 12)}`)
    .run();
  const connectorId = crypto.randomUUID();
  const mapping = { lastname: 'LastName' };
  const teamId = guidFromSalesforceId('00G000000000001');
  await env.DB.batch(
    insertConnectorStatements(env.DB, { id: connectorId, tenant_id: tenantId, connection_id: connectionId, name: 'n', team_name: 't', team_id: teamId, interval_minutes: 15, delete_mode: deleteMode, budget_threshold: 0.2 }, [{ table: 'contact', mapping }]),
  );
  const target: TableTarget = { tenantId, connectorId, table: 'contact', deleteMode, rewriteSameVersion };
  const cursor = freshCursor(connectorId, 'contact', new Date());
  await saveCursorStatement(env.DB, cursor).run();
  const convert = pageConverter({ target, mapping, fields: new Map([['LastName', { name: 'LastName', type: 'string' }]]), teamId });
  return { connectorId, target, cursor, convert };
}
