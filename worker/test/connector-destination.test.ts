/**
 * A connector's destination: D1 by default, or a Dataverse environment (the emulator, over real HTTP) through a
 * tested Dataverse connection and a team, checked on create and on change — team, privileges, mapped columns.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectorSchema } from '../../shared/api';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { turnOn } from './connection-driver';
import { defaultConnectionInput, dataverseControl, resetDataverse } from './dataverse';
import { freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';

type Json = Record<string, any>;

beforeEach(async () => {
  await freshOrgAndTenants();
  await resetDataverse();
});

async function setUp() {
  const tenant = await newTenant();
  const connection = await turnOn(tenant.key);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await call(path, { key: tenant.key, method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Json };
  };
  const dataverse = await api('POST', '/api/dataverse-connections', defaultConnectionInput());
  expect(dataverse.status).toBe(201);
  expect((await api('POST', `/api/dataverse-connections/${dataverse.json.id}/test`)).status).toBe(200);
  const teams = (await api('GET', `/api/dataverse-connections/${dataverse.json.id}/teams`)).json as Json[];
  const teamId = (name: string) => teams.find((t) => t.name === name)!.id as string;
  return { tenant, connection, api, dataverseConnectionId: dataverse.json.id as string, teamId };
}

// The predefined mappings as they are: every column they write, birthdate (date-only) included, exists in the
// emulated environment.
const connectorInput = (connectionId: string, extra: Json = {}) => ({
  connectionId,
  team: 'Sales',
  tables: [{ table: 'contact', mapping: DEFAULT_MAPPINGS.contact }, { table: 'account' }],
  ...extra,
});

describe('connector destination', () => {
  it('defaults to D1, and stores a Dataverse destination whose team and privileges check out', async () => {
    const { connection, api, dataverseConnectionId, teamId } = await setUp();
    const d1 = await api('POST', '/api/connectors', connectorInput(connection.id));
    expect(d1.status).toBe(201);
    expect(ConnectorSchema.parse(d1.json).destination).toEqual({ kind: 'd1' });

    const destination = { kind: 'dataverse', dataverseConnectionId, teamId: teamId('Sales') };
    const created = await api('POST', '/api/connectors', connectorInput(connection.id, { name: 'To Dataverse', destination }));
    expect([created.status, created.json.error?.message]).toEqual([201, undefined]);
    expect(ConnectorSchema.parse(created.json).destination).toEqual(destination);
    expect((await api('GET', `/api/connectors/${created.json.id}`)).json.destination).toEqual(destination);

    // The connection cannot be deleted while a connector writes to it.
    const deleting = await api('DELETE', `/api/dataverse-connections/${dataverseConnectionId}`);
    expect([deleting.status, deleting.json.error.code]).toEqual([409, 'dataverse_connection_exists']);
    expect(deleting.json.error.message).toContain('To Dataverse');
  });

  it('refuses an unknown team, an access team, a missing privilege and a column the environment lacks, each saying so', async () => {
    const { connection, api, dataverseConnectionId, teamId } = await setUp();
    const attempt = (destination: Json, extra: Json = {}) => api('POST', '/api/connectors', connectorInput(connection.id, { destination: { kind: 'dataverse', dataverseConnectionId, ...destination }, ...extra }));

    const unknown = await attempt({ teamId: '00000000-0000-0000-0000-00000000abcd' });
    expect([unknown.status, unknown.json.error.code]).toEqual([400, 'dataverse_team_not_found']);
    const access = await attempt({ teamId: teamId('Support (access team)') });
    expect([access.status, access.json.error.code]).toEqual([400, 'dataverse_team_cannot_own']);

    // The emulated environment has no contact.address1_postalcode column (tests/dataverse-emulator/README.md).
    const column = await attempt({ teamId: teamId('Sales') }, { tables: [{ table: 'contact', mapping: { contactid: 'Id', lastname: 'LastName', address1_postalcode: 'MailingPostalCode' } }] });
    expect([column.status, column.json.error.code]).toEqual([400, 'dataverse_column_missing']);
    expect(column.json.error.message).toContain('address1_postalcode');

    await dataverseControl('POST', '/privileges/application/revoke', { privileges: ['prvCreateAccount'] });
    const privilege = await attempt({ teamId: teamId('Sales') });
    expect([privilege.status, privilege.json.error.code]).toEqual([400, 'dataverse_privilege_missing']);
    expect(privilege.json.error.message).toContain('prvCreateAccount');

    const malformed = await attempt({ teamId: 'Sales' });
    expect([malformed.status, malformed.json.error.code]).toEqual([400, 'validation_failed']);
  });

  it("refuses another tenant's or an untested Dataverse connection", async () => {
    const { connection, api, teamId } = await setUp();
    const other = await newTenant('Globex');
    const foreign = await call('/api/dataverse-connections', { key: other.key, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(defaultConnectionInput()) });
    const foreignId = ((await foreign.json()) as Json).id;
    const usingForeign = await api('POST', '/api/connectors', connectorInput(connection.id, { destination: { kind: 'dataverse', dataverseConnectionId: foreignId, teamId: teamId('Sales') } }));
    expect([usingForeign.status, usingForeign.json.error.code]).toEqual([404, 'dataverse_connection_not_found']);

    await env.DB.prepare("UPDATE dataverse_connections SET status = 'failed'").run();
    const dataverseConnectionId = (await api('GET', '/api/dataverse-connections')).json[0].id as string;
    const untested = await api('POST', '/api/connectors', connectorInput(connection.id, { destination: { kind: 'dataverse', dataverseConnectionId, teamId: teamId('Sales') } }));
    expect([untested.status, untested.json.error.code]).toEqual([400, 'validation_failed']);
    expect(untested.json.error.message).toContain('Test connection');
  });

  it('checks a destination changed with PATCH and says what the change does', async () => {
    const { connection, api, dataverseConnectionId, teamId } = await setUp();
    const created = await api('POST', '/api/connectors', connectorInput(connection.id));
    const refused = await api('PATCH', `/api/connectors/${created.json.id}`, { destination: { kind: 'dataverse', dataverseConnectionId, teamId: teamId('Support (access team)') } });
    expect([refused.status, refused.json.error.code]).toEqual([400, 'dataverse_team_cannot_own']);
    const changed = await api('PATCH', `/api/connectors/${created.json.id}`, { destination: { kind: 'dataverse', dataverseConnectionId, teamId: teamId('Sales') } });
    expect(changed.status).toBe(200);
    expect(changed.json.effects.join(' ')).toContain('Sales');
    expect(changed.json.connector.destination).toMatchObject({ kind: 'dataverse', teamId: teamId('Sales') });
  });
});
