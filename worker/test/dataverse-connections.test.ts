/**
 * `/api/dataverse-connections` in workerd against the Dataverse emulator over real HTTP: creating connections with a
 * secret or a generated certificate, Test connection and each way it fails, teams, the privilege check, column
 * metadata, deletion, secrets never shown, and tenant isolation.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, ENTRA_TENANT_ID, ENVIRONMENT_URL, dataverseControl, defaultConnectionInput, resetDataverse } from './dataverse';
import { call, newTenant } from './helpers';

type Json = Record<string, any>;

async function api(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await call(`/api/dataverse-connections${path}`, {
    key,
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

async function connected(key: string, input: Json = defaultConnectionInput()) {
  const created = await api(key, 'POST', '', input);
  expect(created.status).toBe(201);
  return created.json.id as string;
}

beforeEach(async () => {
  await resetDataverse();
});

describe('creating a connection', () => {
  it('stores a secret connection sealed and never returns the secret', async () => {
    const { key } = await newTenant();
    const created = await api(key, 'POST', '', defaultConnectionInput());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ environmentUrl: ENVIRONMENT_URL, tenantId: ENTRA_TENANT_ID, clientId: CLIENT_ID, credential: 'secret', certificate: null, status: 'untested' });
    expect(JSON.stringify(created.json)).not.toContain(CLIENT_SECRET);

    const row = await env.DB.prepare('SELECT client_secret_sealed FROM dataverse_connections WHERE id = ?1').bind(created.json.id).first<{ client_secret_sealed: string }>();
    expect(row?.client_secret_sealed).toMatch(/^v1\./);
    expect(row?.client_secret_sealed).not.toContain(CLIENT_SECRET);

    const listed = await api(key, 'GET', '');
    expect(listed.json.map((c: Json) => c.id)).toEqual([created.json.id]);
    expect(JSON.stringify(listed.json)).not.toContain(CLIENT_SECRET);
    expect((await api(key, 'GET', `/${created.json.id}`)).json.id).toBe(created.json.id);
  });

  it('refuses addresses that are not Dataverse environments, malformed ids, and a second connection to one environment', async () => {
    const { key } = await newTenant();
    const notDataverse = await api(key, 'POST', '', { ...defaultConnectionInput(), environmentUrl: 'https://evil.example.com' });
    expect([notDataverse.status, notDataverse.json.error.code]).toEqual([400, 'dataverse_host_not_allowed']);
    const withPath = await api(key, 'POST', '', { ...defaultConnectionInput(), environmentUrl: `${ENVIRONMENT_URL}/api/data/v9.2` });
    expect([withPath.status, withPath.json.error.code]).toEqual([400, 'validation_failed']);
    const badClient = await api(key, 'POST', '', { ...defaultConnectionInput(), clientId: 'not-a-guid' });
    expect([badClient.status, badClient.json.error.code]).toEqual([400, 'validation_failed']);
    expect(badClient.json.error.message).toContain('clientId');

    await connected(key);
    const again = await api(key, 'POST', '', defaultConnectionInput());
    expect([again.status, again.json.error.code]).toEqual([409, 'dataverse_connection_exists']);
  });
});

describe('Test connection', () => {
  it('signs in with the secret and names the application user and its business unit', async () => {
    const { key } = await newTenant();
    const id = await connected(key);
    const { applicationUserId } = await dataverseControl<{ applicationUserId: string }>('GET', '/credentials');
    const tested = await api(key, 'POST', `/${id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.json.status).toBe('connected');
    expect(tested.json.applicationUser.id).toBe(applicationUserId);
    expect(tested.json.applicationUser.name).not.toBe('');
    expect(tested.json.applicationUser.businessUnitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(tested.json.applicationUser.businessUnitName).not.toBe('');
    expect(tested.json.lastError).toBeNull();
  });

  it('gives each sign-in failure its own code and says what to fix, and records it on the connection', async () => {
    const { key } = await newTenant();
    const cases: [Json, string][] = [
      [{ tenantId: '11111111-2222-3333-4444-555555555555' }, 'dataverse_tenant_not_found'],
      [{ clientId: '99999999-8888-7777-6666-555555555555' }, 'dataverse_client_not_found'],
      [{ clientSecret: 'not-the-secret' }, 'dataverse_secret_invalid'],
    ];
    for (const [change, code] of cases) {
      const id = await connected(key, { ...defaultConnectionInput(), ...change });
      const tested = await api(key, 'POST', `/${id}/test`);
      expect([tested.status, tested.json.error.code]).toEqual([400, code]);
      const stored = (await api(key, 'GET', `/${id}`)).json;
      expect(stored.status).toBe('failed');
      expect(stored.lastError.code).toBe(code);
      await api(key, 'DELETE', `/${id}`);
    }
  });

  it("says when the environment URL is not one of the tenant's environments", async () => {
    const { key } = await newTenant();
    const id = await connected(key, { ...defaultConnectionInput(), environmentUrl: 'https://elsewhere.crm4.dynamics.com' });
    const tested = await api(key, 'POST', `/${id}/test`);
    expect([tested.status, tested.json.error.code]).toEqual([400, 'dataverse_environment_mismatch']);
    expect(tested.json.error.message).toContain('https://elsewhere.crm4.dynamics.com');
  });

  it('says when the secret has expired', async () => {
    const { key } = await newTenant();
    const app = await dataverseControl<{ clientId: string; secret: string }>('POST', '/apps', { secretExpiresAt: '2020-01-01T00:00:00Z' });
    const id = await connected(key, { ...defaultConnectionInput(), clientId: app.clientId, clientSecret: app.secret });
    const tested = await api(key, 'POST', `/${id}/test`);
    expect([tested.status, tested.json.error.code]).toEqual([400, 'dataverse_secret_expired']);
    expect(tested.json.error.message).toContain('Create a new secret');
  });

  it('says when the environment has no application user for the app', async () => {
    const { key } = await newTenant();
    const app = await dataverseControl<{ clientId: string; secret: string }>('POST', '/apps', { applicationUser: false });
    const id = await connected(key, { ...defaultConnectionInput(), clientId: app.clientId, clientSecret: app.secret });
    const tested = await api(key, 'POST', `/${id}/test`);
    expect([tested.status, tested.json.error.code]).toEqual([400, 'dataverse_no_application_user']);
    expect(tested.json.error.message).toContain('Application users');
  });

  it('with a generated certificate: refuses until it is uploaded, then signs in with it', async () => {
    const { key } = await newTenant();
    const { clientSecret: _omitted, ...input } = defaultConnectionInput();
    const created = await api(key, 'POST', '', input);
    expect(created.status).toBe(201);
    const { certificate } = created.json;
    expect(certificate.pem).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(created.json)).not.toContain('PRIVATE KEY');
    expect(certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(certificate.uploadSteps.join(' ')).toContain('Upload certificate');

    const before = await api(key, 'POST', `/${created.json.id}/test`);
    expect([before.status, before.json.error.code]).toEqual([400, 'dataverse_certificate_not_uploaded']);

    const uploaded = await dataverseControl<{ thumbprint: string }>('POST', `/apps/${CLIENT_ID}/certificates`, { certificatePem: certificate.pem });
    expect(uploaded.thumbprint.toUpperCase()).toBe(certificate.thumbprint);
    const after = await api(key, 'POST', `/${created.json.id}/test`);
    expect(after.status).toBe(200);
    expect(after.json.status).toBe('connected');
  });

  it('waits out a short Retry-After and reports a long one as throttled', async () => {
    const { key } = await newTenant();
    const id = await connected(key);
    // Two requests per 2 s: the third of the test's Web API calls is throttled briefly, then succeeds.
    await dataverseControl('PUT', '/service-protection', { requests: 2, windowSeconds: 2 });
    const waited = await api(key, 'POST', `/${id}/test`);
    expect(waited.status).toBe(200);

    await dataverseControl('PUT', '/service-protection', { requests: 1, windowSeconds: 300 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const throttled = await api(key, 'POST', `/${id}/test`);
    expect([throttled.status, throttled.json.error.code]).toEqual([429, 'dataverse_throttled']);
    expect(throttled.json.error.message).toMatch(/Try again in \d+ seconds/);
  });

  it('reports a failing, cut-off or garbled environment as a 502 that says so, never a 500', async () => {
    const { key } = await newTenant();
    const id = await connected(key);
    await dataverseControl('POST', '/faults', { kind: 'error', path: 'WhoAmI', status: 503, times: 1 });
    const failing = await api(key, 'POST', `/${id}/test`);
    expect([failing.status, failing.json.error.code]).toEqual([502, 'dataverse_unavailable']);

    await dataverseControl('POST', '/faults', { kind: 'drop', path: 'WhoAmI', times: 1 });
    const dropped = await api(key, 'POST', `/${id}/test`);
    expect(dropped.status).toBe(502);
    expect(['dataverse_environment_unreachable', 'dataverse_unavailable']).toContain(dropped.json.error.code);

    await dataverseControl('POST', '/faults', { kind: 'malformed', path: 'WhoAmI', times: 1 });
    const garbled = await api(key, 'POST', `/${id}/test`);
    expect([garbled.status, garbled.json.error.code]).toEqual([502, 'dataverse_unavailable']);
    expect(garbled.json.error.message).toContain('does not understand');

    await dataverseControl('POST', '/faults', { kind: 'error', path: 'oauth2/v2.0/token', status: 503, times: 1 });
    const signIn = await api(key, 'POST', `/${id}/test`);
    expect([signIn.status, signIn.json.error.code]).toEqual([502, 'dataverse_unavailable']);

    expect((await api(key, 'POST', `/${id}/test`)).json.status).toBe('connected');
  });
});

describe('teams, privileges and columns', () => {
  async function testedConnection(key: string) {
    const id = await connected(key);
    expect((await api(key, 'POST', `/${id}/test`)).status).toBe(200);
    return id;
  }
  const teamNamed = async (key: string, id: string, name: string) => ((await api(key, 'GET', `/${id}/teams`)).json as Json[]).find((t) => t.name === name)!;

  it('lists the environment teams with type and business unit', async () => {
    const { key } = await newTenant();
    const id = await testedConnection(key);
    const teams = await api(key, 'GET', `/${id}/teams`);
    expect(teams.status).toBe(200);
    const sales = teams.json.find((t: Json) => t.name === 'Sales');
    expect(sales).toMatchObject({ teamType: 'owner' });
    expect(sales.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sales.businessUnitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sales.businessUnitName).toBeTruthy();
    expect(teams.json.find((t: Json) => t.name === 'Support (access team)')).toMatchObject({ teamType: 'access' });
  });

  it('checks the application user and the team can write and own contacts and accounts, naming what is missing', async () => {
    const { key } = await newTenant();
    const id = await testedConnection(key);
    const sales = await teamNamed(key, id, 'Sales');
    const access = await teamNamed(key, id, 'Support (access team)');

    expect((await api(key, 'GET', `/${id}/access?teamId=${sales.id}`)).json).toMatchObject({ ok: true, missing: [] });
    const accessTeam = await api(key, 'GET', `/${id}/access?teamId=${access.id}`);
    expect(accessTeam.json.ok).toBe(false);
    expect(accessTeam.json.message).toContain('access team');
    const unknown = await api(key, 'GET', `/${id}/access?teamId=00000000-0000-0000-0000-00000000abcd`);
    expect(unknown.json).toMatchObject({ ok: false });
    expect(unknown.json.message).toContain('no team');

    await dataverseControl('POST', '/privileges/application/revoke', { privileges: ['prvAssignContact'] });
    const noAssign = await api(key, 'GET', `/${id}/access?teamId=${sales.id}`);
    expect(noAssign.json).toMatchObject({ ok: false, missing: ['prvAssignContact'] });

    await dataverseControl('POST', '/privileges/application/grant', { privileges: ['prvAssignContact'] });
    await dataverseControl('POST', `/privileges/${sales.id}/revoke`, { privileges: ['prvReadAccount'] });
    const teamCannotRead = await api(key, 'GET', `/${id}/access?teamId=${sales.id}`);
    expect(teamCannotRead.json).toMatchObject({ ok: false, missing: ['prvReadAccount'] });
    expect(teamCannotRead.json.message).toContain('Sales');

    const malformed = await api(key, 'GET', `/${id}/access?teamId=sales`);
    expect([malformed.status, malformed.json.error.code]).toEqual([400, 'validation_failed']);
  });

  it("reads each table's columns with type and max length from the environment", async () => {
    const { key } = await newTenant();
    const id = await testedConnection(key);
    const columns = await api(key, 'GET', `/${id}/columns/contact`);
    expect(columns.status).toBe(200);
    const email = columns.json.find((c: Json) => c.logicalName === 'emailaddress1');
    expect(email).toMatchObject({ type: 'String', maxLength: 100, validForCreate: true });
    expect(columns.json.find((c: Json) => c.logicalName === 'createdon')).toMatchObject({ type: 'DateTime', maxLength: null, validForCreate: false });
    // Cached per connection: asking again does not read the metadata again.
    const before = await dataverseControl<{ webApiRequests: number }>('GET', '/calls');
    expect(before.webApiRequests).toBeGreaterThan(0);
    expect((await api(key, 'GET', `/${id}/columns/contact`)).json).toEqual(columns.json);
    expect((await dataverseControl<{ webApiRequests: number }>('GET', '/calls')).webApiRequests).toBe(before.webApiRequests);

    const account = await api(key, 'GET', `/${id}/columns/account`);
    expect(account.json.find((c: Json) => c.logicalName === 'name')).toMatchObject({ type: 'String', maxLength: 160 });

    const other = await api(key, 'GET', `/${id}/columns/lead`);
    expect([other.status, other.json.error.code]).toEqual([400, 'validation_failed']);
  });
});

describe('tenant isolation and deletion', () => {
  it("keeps one tenant's connections invisible to another, and deletes only one's own", async () => {
    const acme = await newTenant('Acme');
    const globex = await newTenant('Globex');
    const id = await connected(acme.key);

    expect((await api(globex.key, 'GET', '')).json).toEqual([]);
    for (const [method, path] of [['GET', `/${id}`], ['POST', `/${id}/test`], ['GET', `/${id}/teams`], ['GET', `/${id}/columns/contact`], ['DELETE', `/${id}`]] as const) {
      const answer = await api(globex.key, method, path);
      expect([answer.status, answer.json.error.code]).toEqual([404, 'dataverse_connection_not_found']);
    }
    // Another tenant may connect the same environment with its own app registration.
    expect((await api(globex.key, 'POST', '', defaultConnectionInput())).status).toBe(201);

    const deleted = await api(acme.key, 'DELETE', `/${id}`);
    expect(deleted.status).toBe(200);
    expect((await api(acme.key, 'GET', `/${id}`)).status).toBe(404);
    expect((await api(acme.key, 'GET', '')).json).toEqual([]);
    expect((await api(globex.key, 'GET', '')).json).toHaveLength(1);
  });

  it('requires an API key', async () => {
    const response = await call('/api/dataverse-connections');
    expect(response.status).toBe(401);
  });
});
