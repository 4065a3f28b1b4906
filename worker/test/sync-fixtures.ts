/** A connected org with a connector, ready to sync: what most sync tests start from. */
import { env } from 'cloudflare:workers';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import type { DestinationTable } from '../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { insertConnectorStatements, updateConnectorStatement } from '../src/db/connectors';
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
