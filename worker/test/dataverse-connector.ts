/** A Dataverse connector ready to sync, and what the emulated environment holds, for the tests of syncs into Dataverse. */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { DestinationTable } from '../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { updateConnectorStatement } from '../src/db/connectors';
import { dataverseControl, defaultConnectionInput } from './dataverse';
import { call } from './helpers';
import { connectedConnector, salesforceRecords } from './sync-fixtures';

type Json = Record<string, any>;
const OBJECT = { account: 'Account', contact: 'Contact' } as const;

/** A connected org and a connector writing to the emulated Dataverse environment, rows owned by the Sales team. */
export async function dataverseConnector(options: { deleteMode?: 'hard' | 'soft' } = {}) {
  const fixture = await connectedConnector(options);
  const post = (path: string, body?: unknown) =>
    call(path, { key: fixture.tenant.key, method: 'POST', headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const dataverseConnectionId = ((await (await post('/api/dataverse-connections', defaultConnectionInput())).json()) as Json).id as string;
  expect((await post(`/api/dataverse-connections/${dataverseConnectionId}/test`)).status).toBe(200);
  const teams = (await (await call(`/api/dataverse-connections/${dataverseConnectionId}/teams`, { key: fixture.tenant.key })).json()) as Json[];
  const teamId = teams.find((t) => t.name === 'Sales')!.id as string;
  await updateConnectorStatement(env.DB, fixture.connectorId, { destination: JSON.stringify({ kind: 'dataverse', dataverseConnectionId, teamId }) }).run();
  return { ...fixture, dataverseConnectionId, teamId };
}

export async function dataverseRows(table: DestinationTable): Promise<Map<string, Json>> {
  const { rows } = await dataverseControl<{ rows: { id: string; values: Json }[] }>('GET', `/rows/${table}?top=100000`);
  return new Map(rows.map((r) => [r.id, r.values]));
}

/** Dataverse equals Salesforce: every live record once under its GUID, current values, owner and account link. */
export async function expectDataverseEqualsSalesforce(teamId: string, deleted: 'absent' | 'inactive' = 'absent') {
  for (const table of ['account', 'contact'] as const) {
    const fields = table === 'account' ? ['Id', 'Name', 'NumberOfEmployees'] : ['Id', 'LastName', 'Birthdate', 'AccountId'];
    const records = await salesforceRecords(OBJECT[table], fields);
    const rows = await dataverseRows(table);
    const live = [...rows.values()].filter((row) => row.statecode !== 1);
    expect(live.length, `${table}: live rows`).toBe(records.length);
    if (deleted === 'absent') expect(rows.size, `${table}: rows`).toBe(records.length);
    for (const record of records) {
      const row = rows.get(guidFromSalesforceId(String(record.Id)));
      expect(row, `${table} ${record.Id}`).toBeDefined();
      expect(row!.ownerid).toEqual({ table: 'team', id: teamId });
      if (table === 'account') expect([row!.name, row!.numberofemployees ?? null]).toEqual([record.Name, record.NumberOfEmployees ?? null]);
      else {
        expect([row!.lastname, row!.birthdate ?? null]).toEqual([record.LastName, record.Birthdate ?? null]);
        expect(row!.parentcustomerid ?? null).toEqual(record.AccountId ? { table: 'account', id: guidFromSalesforceId(String(record.AccountId)) } : null);
      }
    }
  }
}
