/**
 * Contract tests: the recorded Dataverse and Entra ID exchanges (recordings/*.http) replayed against the emulator.
 * Status codes and the headers that matter are compared exactly; JSON bodies byte for byte in the compact form
 * Dataverse sends where the recording is verbatim (error bodies), and key for key otherwise (ids, ETags and
 * timestamps differ by nature); `$batch` answers line for line once ids and boundaries are normalized.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningDataverseEmulator } from './index';
import { exchange, recordedText } from './recordings';
import { call, compact, normalizeMultipart, recordedHeader, recordedStatus, replay, tokenFor, withEmulator } from './test-support';

let emulator: RunningDataverseEmulator;
let token: string;
const ACCOUNT_1 = '00000000-0000-0000-0000-000000000001';
const base = () => `${emulator.url}/api/data/v9.2/`;
const base90 = () => `${emulator.url}/api/data/v9.0/`;

/** Puts a row in place through the Web API (as the app), so a recorded request finds what it expects. */
async function put(set: string, id: string, body: Record<string, unknown>) {
  const answer = await call(emulator, token, 'PATCH', `${set}(${id})`, { body });
  expect(answer.status).toBe(204);
}

beforeAll(async () => {
  emulator = await startDataverseEmulator();
  token = await tokenFor(emulator);
});
beforeEach(() => emulator.control.reset());
afterAll(() => emulator.close());

describe('Entra ID token endpoint (entra-token-client-credentials.http)', () => {
  it('answers the client credentials grant with the recorded fields and headers (#1, #2)', async () => {
    const response = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=${emulator.clientId}&scope=${encodeURIComponent(`${emulator.environmentUrl}/.default`)}&client_secret=${encodeURIComponent(emulator.clientSecret)}&grant_type=client_credentials`,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    for (const [name, value] of [['Cache-Control', 'no-store, no-cache'], ['Pragma', 'no-cache'], ['Content-Type', 'application/json; charset=utf-8'], ['Expires', '-1'], ['X-Content-Type-Options', 'nosniff']]) {
      expect(response.headers.get(name!), name).toBe(value);
    }
  });

  it('refuses a wrong secret with 401 invalid_client in the recorded shape (#6)', async () => {
    const recorded = JSON.parse(exchange('entra-token-client-credentials.http', 6).responseBody!);
    const response = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: emulator.clientId, client_secret: 'wrong', scope: `${emulator.environmentUrl}/.default`, grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(Object.keys(recorded));
    const template = String(recorded.error_description).replace(/a8fdfbd0-da97-42d9-8f1a-fd6a7cb650b4/, emulator.clientId).replace(/Trace ID: .*$/s, '');
    expect(String(body.error_description).replace(/Trace ID: .*$/s, '')).toBe(template);
    expect(String(body.error_description)).toMatch(/\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215], error_uri: recorded.error_uri });
  });

  it('refuses a scope that is not <resource>/.default with invalid_scope, 400, in the recorded shape (#3, #4)', async () => {
    const recorded = JSON.parse(exchange('entra-token-client-credentials.http', 4).responseBody!);
    const response = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: `${emulator.environmentUrl}/user_impersonation`, grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(Object.keys(recorded));
    expect(body.error).toBe('invalid_scope');
  });
});

describe('WhoAmI (whoami.http)', () => {
  it.each([1, 2])('answers #%i as recorded', async (n) => {
    const recorded = exchange('whoami.http', n);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(recordedStatus(recorded));
    expect(answer.headers.get('content-type')).toBe(recordedHeader(recorded, 'Content-Type'));
    expect(answer.headers.get('odata-version')).toBe('4.0');
    const body = JSON.parse(recorded.response!.body);
    expect(Object.keys(answer.json)).toEqual(Object.keys(body));
    expect(answer.json['@odata.context']).toBe(`${base90()}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`);
    expect(answer.json.UserId).toBe(emulator.applicationUserId);
  });
});

describe('create (create-204-201.http)', () => {
  it('#1: POST answers 204 with OData-EntityId and no body', async () => {
    const recorded = exchange('create-204-201.http', 1);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers.get('odata-version')).toBe('4.0');
    expect(answer.headers.get('odata-entityid')).toMatch(new RegExp(`^${base().replace(/[.?]/g, '\\$&')}contacts\\([0-9a-f-]{36}\\)$`));
  });

  it('#4: return=representation answers 201 with the selected columns and no OData-EntityId', async () => {
    const recorded = exchange('create-204-201.http', 4);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(201);
    for (const name of ['Content-Type', 'Preference-Applied', 'OData-Version']) expect(answer.headers.get(name), name).toBe(recordedHeader(recorded, name));
    expect(answer.headers.get('odata-entityid')).toBeNull();
    const body = JSON.parse(withEmulator(recorded.response!.body, emulator.url));
    expect(Object.keys(answer.json).sort()).toEqual(Object.keys(body).sort());
    const { accountid, createdon, _transactioncurrencyid_value, ...values } = body;
    expect(answer.json).toMatchObject({ ...values, '@odata.context': `${base90()}$metadata#accounts(name,creditonhold,address1_latitude,description,revenue,accountcategorycode,createdon)/$entity`, '@odata.etag': expect.stringMatching(/^W\/"\d+"$/) });
    expect([accountid, createdon, _transactioncurrencyid_value].every(Boolean)).toBe(true);
  });

  it('#2: an @odata.bind to an existing contact is accepted', async () => {
    await put('contacts', '0928bcb4-bb27-ed11-9db1-002248274ada', { firstname: 'Rafel', lastname: 'Shillo' });
    const answer = await replay(emulator, token, exchange('create-204-201.http', 2));
    expect(answer.status).toBe(204);
  });
});

describe('conditional writes', () => {
  it('upsert-if-match-404.http #1: If-Match: * on a missing row answers the recorded 404 body, byte for byte', async () => {
    const recorded = exchange('upsert-if-match-404.http', 1);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe(recordedHeader(recorded, 'Content-Type'));
    expect(answer.text).toBe(compact(recorded.response!.body));
  });

  it('upsert-if-match-404.http #3: the same request answers 204 once the row exists', async () => {
    await put('accounts', '14e151db-9b4f-e611-80e0-00155da84c08', { name: 'Contoso Ltd' });
    const answer = await replay(emulator, token, exchange('upsert-if-match-404.http', 3));
    expect(answer.status).toBe(204);
  });

  it('create-if-none-match-412.http #1: If-None-Match: * on an existing row answers the recorded 412 body', async () => {
    await put('accounts', ACCOUNT_1, { name: 'Sample Account' });
    const recorded = exchange('create-if-none-match-412.http', 1);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(412);
    expect(answer.headers.get('content-type')).toBe(recordedHeader(recorded, 'Content-Type'));
    expect(answer.text).toBe(compact(recorded.response!.body));
  });

  it('concurrency-etag-412-304.http #3: DELETE with a stale ETag answers the recorded 412 body', async () => {
    await put('accounts', ACCOUNT_1, { name: 'Sample Account' });
    const recorded = exchange('concurrency-etag-412-304.http', 3);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(412);
    expect(answer.text).toBe(compact(recorded.response!.body.replace(', . . .', '')));
  });

  it('concurrency-etag-412-304.http #1: a conditional GET with the current ETag answers 304', async () => {
    await put('accounts', ACCOUNT_1, { name: 'Sample Account', numberofemployees: 10 });
    const recorded = exchange('concurrency-etag-412-304.http', 1);
    const etag = (await call(emulator, token, 'GET', `accounts(${ACCOUNT_1})?$select=name`)).headers.get('etag')!;
    recorded.request!.headers = recorded.request!.headers.map(([n, v]) => [n, n === 'If-None-Match' ? etag : v]);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(304);
    expect(answer.headers.get('content-type')).toBe(recordedHeader(recorded, 'Content-Type'));
  });
});

describe('update and delete (patch-update-204.http, delete-204.http, delete-404.http)', () => {
  const CONTACT = '0928bcb4-bb27-ed11-9db1-002248274ada';

  it.each([1, 2])('patch-update-204.http #%i: PATCH If-Match: * answers 204 with OData-EntityId', async (n) => {
    await put('contacts', CONTACT, { firstname: 'Rafel', lastname: 'Shillo' });
    const answer = await replay(emulator, token, exchange('patch-update-204.http', n));
    expect(answer.status).toBe(204);
    expect(answer.headers.get('odata-entityid')).toBe(`${base()}contacts(${CONTACT})`);
  });

  it('patch-update-204.http #3 and #6: one column PUT and DELETE answer 204 without OData-EntityId', async () => {
    await put('contacts', CONTACT, { firstname: 'Rafel', lastname: 'Shillo' });
    await put('accounts', ACCOUNT_1, { name: 'Sample', description: 'text' });
    for (const [file, n] of [['patch-update-204.http', 3], ['patch-update-204.http', 6]] as const) {
      const answer = await replay(emulator, token, exchange(file, n));
      expect(answer.status).toBe(204);
      expect(answer.headers.get('odata-entityid')).toBeNull();
    }
    expect(emulator.control.row('contact', CONTACT)?.values.telephone1).toBe('555-0105');
    expect(emulator.control.row('account', ACCOUNT_1)?.values.description).toBeUndefined();
  });

  it('patch-update-204.http #5: return=representation answers 200 with the row', async () => {
    await put('accounts', ACCOUNT_1, { name: 'Sample Account', description: 'This is the description of the sample account', revenue: 5000000, creditonhold: false, accountcategorycode: 1, address1_latitude: 47.639583 });
    const recorded = exchange('patch-update-204.http', 5);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(200);
    for (const name of ['Content-Type', 'Preference-Applied', 'OData-Version']) expect(answer.headers.get(name), name).toBe(recordedHeader(recorded, name));
    const body = JSON.parse(withEmulator(recorded.response!.body, emulator.url));
    expect(Object.keys(answer.json).sort()).toEqual(Object.keys(body).sort());
    expect(answer.json).toMatchObject({ name: 'Updated Sample Account', revenue: 5000000, address1_latitude: 47.63958, accountid: ACCOUNT_1 });
  });

  it.each([1, 2])('delete-204.http #%i: DELETE answers 204 with only OData-Version', async (n) => {
    await put('contacts', CONTACT, { lastname: 'Shillo' });
    await put('accounts', ACCOUNT_1, { name: 'Sample' });
    const answer = await replay(emulator, token, exchange('delete-204.http', n));
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(answer.headers.get('odata-version')).toBe('4.0');
  });

  it('delete-404.http: a missing row answers 404 "Does Not Exist"; an unknown entity set the recorded 0x80060888 body', async () => {
    const missing = await call(emulator, token, 'DELETE', `accounts(${ACCOUNT_1})`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe(`{"error":{"code":"","message":"account With Id = ${ACCOUNT_1} Does Not Exist"}}`);
    // #2 is console output (no response block): its JSON is Dataverse's body.
    const recorded = JSON.parse(/\{[\s\S]*\}/.exec(recordedText('delete-404.http').split('<<< CONSOLE OUTPUT')[1] ?? '')![0]);
    const unknown = await call(emulator, token, 'GET', 'account');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(JSON.stringify(recorded));
  });
});

describe('lookups (associate-odata-bind.http)', () => {
  const CONTACT = 'cf9eaaef-f718-ed11-b83e-00224837179f';
  const ACCOUNT = 'ce9eaaef-f718-ed11-b83e-00224837179f';

  it.each([1, 2, 3])('#%i: PATCH with parentcustomerid_account answers 204 with OData-EntityId', async (n) => {
    await put('accounts', ACCOUNT, { name: 'Contoso' });
    await put('contacts', CONTACT, { lastname: 'Smith', 'parentcustomerid_account@odata.bind': `accounts(${ACCOUNT})` });
    const answer = await replay(emulator, token, exchange('associate-odata-bind.http', n));
    expect(answer.status).toBe(204);
    expect(answer.headers.get('odata-entityid')).toBe(`${base()}contacts(${CONTACT})`);
    expect(emulator.control.row('contact', CONTACT)?.values.parentcustomerid).toEqual(n === 1 ? { table: 'account', id: ACCOUNT } : undefined);
  });

  it.each([4, 5])('#%i: PUT/DELETE …/$ref answers 204 without OData-EntityId', async (n) => {
    await put('accounts', ACCOUNT, { name: 'Contoso' });
    await put('contacts', CONTACT, { lastname: 'Smith' });
    const answer = await replay(emulator, token, exchange('associate-odata-bind.http', n));
    expect(answer.status).toBe(204);
    expect(answer.headers.get('odata-entityid')).toBeNull();
    expect(emulator.control.row('contact', CONTACT)?.values.parentcustomerid).toEqual(n === 4 ? { table: 'account', id: ACCOUNT } : undefined);
  });
});

describe('reads (retrieve-and-owner-lookup.http, query-paging.http)', () => {
  it('retrieve #1: one row with all annotations, keys in the recorded order, ETag header', async () => {
    const id = '0928bcb4-bb27-ed11-9db1-002248274ada';
    await put('contacts', id, { firstname: 'Rafel', lastname: 'Shillo', annualincome: 80000, jobtitle: 'Junior Developer' });
    const recorded = exchange('retrieve-and-owner-lookup.http', 1);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe(recordedHeader(recorded, 'Preference-Applied'));
    expect(answer.headers.get('etag')).toBe(answer.json['@odata.etag']);
    const body = JSON.parse(recorded.response!.body);
    expect(Object.keys(answer.json)).toEqual(Object.keys(body).filter((k) => !k.startsWith('_transactioncurrencyid_value@')));
    expect(answer.json).toMatchObject({ fullname: 'Rafel Shillo', annualincome: 80000, 'annualincome@OData.Community.Display.V1.FormattedValue': '$80,000.00', description: null });
  });

  it('retrieve #4: _ownerid_value says team or systemuser, with the recorded annotations', async () => {
    const sales = emulator.control.teams().find((t) => t.values.name === 'Sales')!.id;
    await put('accounts', '1adef0b8-54d3-ed11-a7c7-000d3a993550', { name: 'Adventure Works (sample)', 'ownerid@odata.bind': `/teams(${sales})` });
    await put('accounts', '78914942-34cb-ed11-b596-0022481d68cd', { name: 'Litware, Inc. (sample)' });
    const recorded = exchange('retrieve-and-owner-lookup.http', 4);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe(recordedHeader(recorded, 'Preference-Applied'));
    const body = JSON.parse(withEmulator(recorded.response!.body, emulator.url));
    expect(Object.keys(answer.json)).toEqual(Object.keys(body));
    expect(answer.json['@odata.context']).toBe(`${base()}$metadata#accounts(name,_ownerid_value)`);
    expect(answer.json.value.map((row: Record<string, unknown>) => Object.keys(row))).toEqual(body.value.map((row: Record<string, unknown>) => Object.keys(row)));
    expect(answer.json.value.map((row: Record<string, unknown>) => row['_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname'])).toEqual(['team', 'systemuser']);
  });

  it('query-paging #1 and #2: maxpagesize pages with @odata.nextLink and a $skiptoken paging cookie, followed unchanged', async () => {
    for (const [i, name] of ['Yvonne McKay', 'Susanna Stubberod', 'Nancy Anderson', 'Maria Campbell', 'Sidney Higa'].entries()) {
      const [firstname, lastname] = name.split(' ');
      await put('contacts', `0000000${i}-0000-0000-0000-000000000000`, { firstname, lastname });
    }
    const first = exchange('query-paging.http', 1);
    const answer = await replay(emulator, token, first);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe(recordedHeader(first, 'Preference-Applied'));
    const recordedBody = JSON.parse(withEmulator(first.response!.body, emulator.url));
    expect(Object.keys(answer.json)).toEqual(Object.keys(recordedBody));
    expect(answer.json.value.map((row: Record<string, unknown>) => Object.keys(row))).toEqual(recordedBody.value.map((row: Record<string, unknown>) => Object.keys(row)));
    // The same prefix up to the inner cookie's first column, which is the primary key when nothing else orders.
    const prefix = (link: string) => link.slice(0, link.indexOf('%2520last'));
    expect(prefix(answer.json['@odata.nextLink'])).toBe(prefix(recordedBody['@odata.nextLink']));
    const names: string[] = answer.json.value.map((row: { fullname: string }) => row.fullname);
    let next: string | undefined = answer.json['@odata.nextLink'];
    while (next) {
      const page = await call(emulator, token, 'GET', next, { headers: { Prefer: 'odata.maxpagesize=2' } });
      expect(page.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
      names.push(...page.json.value.map((row: { fullname: string }) => row.fullname));
      next = page.json['@odata.nextLink'];
    }
    expect(names).toEqual(['Yvonne McKay', 'Susanna Stubberod', 'Nancy Anderson', 'Maria Campbell', 'Sidney Higa']);
  });
});

describe('$batch (batch-changeset.http, batch-continue-on-error.http, batch-error-400.http)', () => {
  async function replayBatch(file: string, n: number) {
    const recorded = exchange(file, n);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(recordedStatus(recorded));
    expect(answer.headers.get('odata-version')).toBe('4.0');
    expect(answer.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/);
    return { answer, expected: normalizeMultipart(recorded.response!.body, emulator.url), actual: normalizeMultipart(answer.text, emulator.url) };
  }

  /** The multipart text with each JSON body taken out (the docs pretty-print them; Dataverse sends them compact). */
  function skeleton(text: string): { lines: string; bodies: unknown[] } {
    const lines: string[] = [];
    const bodies: unknown[] = [];
    let json: string[] | undefined;
    for (const line of text.split('\r\n')) {
      if (json && line.startsWith('--')) {
        bodies.push(JSON.parse(json.join('\n')));
        json = undefined;
      }
      if (json) json.push(line);
      else if (line.startsWith('{')) {
        json = [line];
        lines.push('<json>');
      } else lines.push(line);
    }
    return { lines: lines.join('\r\n'), bodies };
  }

  /** Ids and ETags differ by nature: the same keys in the same order, the same values otherwise. */
  const comparable = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (key, v) => (key === '@odata.etag' ? 'E' : key === 'activityid' ? 'G' : v));

  beforeEach(async () => {
    await put('accounts', ACCOUNT_1, { name: 'Sample Account' });
  });

  it.each([1, 2])('batch-changeset.http #%i answers part for part as recorded (a GET part\'s JSON compared as JSON)', async (n) => {
    const { actual, expected } = await replayBatch('batch-changeset.http', n);
    const a = skeleton(actual);
    const e = skeleton(expected);
    expect(a.lines).toBe(e.lines);
    expect(a.bodies.map(comparable)).toEqual(e.bodies.map(comparable));
  });

  it.each([4, 5])('batch-changeset.http #%i: $1 references in URLs and bodies resolve as recorded', async (n) => {
    const { answer, actual, expected } = await replayBatch('batch-changeset.http', n);
    // These two are doc examples, not sample-run traces: one blank line after a 204's headers where the traces
    // (#1, #2, batch-continue-on-error.http) show two, and no space after some colons. The emulator follows the traces.
    const loose = (text: string) => text.replace(/(\r\n){3,}/g, '\r\n\r\n').replace(/(Location|OData-EntityId):(?! )/g, '$1: ');
    expect(loose(actual)).toBe(loose(expected));
    const ids = [...answer.text.matchAll(/OData-EntityId: \S+\((\S+)\)/g)].map((m) => m[1]);
    expect(emulator.control.row('account', ids[0]!)?.values.primarycontactid).toEqual({ table: 'contact', id: ids[1] });
  });

  it('batch-continue-on-error.http #1: 200 with the failing part\'s 400 and the others\' 204, byte for byte', async () => {
    const { actual, expected } = await replayBatch('batch-continue-on-error.http', 1);
    expect(actual).toBe(expected);
    expect(emulator.control.count('task')).toBe(2);
  });

  it('batch-error-400.http #1: without continue-on-error, 400 with only the failing part, byte for byte', async () => {
    const { actual, expected } = await replayBatch('batch-error-400.http', 1);
    expect(actual).toBe(expected);
    expect(emulator.control.count('task')).toBe(0);
  });
});

describe('privilege checks (retrieve-principal-access.http)', () => {
  it('#1: RetrievePrincipalAccess answers AccessRights as one comma-separated string', async () => {
    await put('accounts', 'e41ac31a-dcdf-ed11-a7c7-000d3a993550', { name: 'A' });
    const recorded = exchange('retrieve-principal-access.http', 1);
    recorded.request!.startLine = recorded.request!.startLine.replace('4026be43-6b69-e111-8f65-78e7d1620f5e', emulator.applicationUserId);
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(JSON.stringify({ ...JSON.parse(recorded.response!.body), '@odata.context': `${base()}$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse` }));
  });

  it.each([4, 5])('#%i: RolePrivileges entries have the recorded keys', async (n) => {
    const recorded = exchange('retrieve-principal-access.http', n);
    recorded.request!.startLine = recorded.request!.startLine.replace(/systemusers\([^)]*\)/, `systemusers(${emulator.applicationUserId})`).replace('prvReadAuditSummary', 'prvReadContact');
    const answer = await replay(emulator, token, recorded);
    expect(answer.status).toBe(200);
    const body = JSON.parse(recorded.response!.body.replace(/\n\s*\.\.\. <[^>]*>/, ''));
    expect(Object.keys(answer.json)).toEqual(Object.keys(body));
    expect(answer.json.RolePrivileges.length).toBeGreaterThan(0);
    for (const entry of answer.json.RolePrivileges) expect(Object.keys(entry)).toEqual(Object.keys(body.RolePrivileges[0]));
  });
});

describe('errors (error-body.http, throttling-429.http)', () => {
  it('#5: an app with no application user in the environment gets the recorded 403 body', async () => {
    const app = emulator.control.registerApp({ applicationUser: false });
    const other = await tokenFor(emulator, { client_id: app.clientId, client_secret: app.secret });
    const answer = await call(emulator, other, 'GET', 'WhoAmI');
    expect(answer.status).toBe(403);
    expect(answer.text).toBe(exchange('error-body.http', 5).responseBody);
  });

  it('throttling-429.http #1: beyond the concurrency limit, 429 with Retry-After and the observed body', async () => {
    emulator.control.setServiceProtection({ concurrency: 1 });
    emulator.control.setSwitches({ requestLatencyMs: 300 });
    const [a, b] = await Promise.all([call(emulator, token, 'GET', 'WhoAmI'), new Promise((r) => setTimeout(r, 50)).then(() => call(emulator, token, 'GET', 'WhoAmI'))]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(429);
    expect(b.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(b.text).toBe(exchange('throttling-429.http', 1).responseBody!.replace('limit of 100.', 'limit of 1.'));
  });
});
