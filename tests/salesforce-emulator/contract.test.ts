/**
 * Contract tests: the emulator's answers against the recorded Salesforce payloads in recordings/ — the same keys,
 * JSON types and shapes (key order too where clients could notice), and byte-identical error bodies where the
 * recording has a real one.
 */
import { FORMULA_FIELDS } from './org/formulas';
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index';
import { recordedJson, recordedText, type JsonObject } from './recordings';
import { parseXml } from './metadata/xml';
import { shapeDifferences } from './test-support';

let emulator: RunningEmulator;
let conn: Connection;

async function api<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(emulator.url + path, { ...init, headers: { Authorization: `Bearer ${emulator.adminAccessToken}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}
const query = (soql: string, batchSize?: number) =>
  api(`/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, batchSize ? { headers: { 'Sforce-Query-Options': `batchSize=${batchSize}` } } : {});

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 30, contacts: 300 } });
  conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: emulator.adminAccessToken, version: '62.0' });
});
afterAll(() => emulator.close());

describe('describe', () => {
  it.each(['Contact', 'Account'])('serves the recorded %s describe with urls pointing here', async (object) => {
    const recorded = recordedJson<JsonObject & { fields: JsonObject[] }>(`${object}_describe.cumulusci.json`);
    const { body } = await api<JsonObject & { fields: JsonObject[]; urls: Record<string, string> }>(`/services/data/v62.0/sobjects/${object}/describe`);
    expect(shapeDifferences(body, recorded, { keyOrder: true })).toEqual([]);
    // The recorded fields, untouched, then the emulator's formula fields (org/formulas.ts).
    const formulas = FORMULA_FIELDS.filter((f) => f.object === object).map((f) => f.name);
    const served = body.fields.filter((f) => !formulas.includes(String(f.name)));
    expect(body.fields.filter((f) => f.calculated === true).map((f) => f.name)).toEqual(formulas);
    expect(served.map((f) => f.name)).toEqual(recorded.fields.map((f) => f.name));
    expect(served.map((f) => [f.type, f.permissionable, f.compoundFieldName, f.referenceTo])).toEqual(recorded.fields.map((f) => [f.type, f.permissionable, f.compoundFieldName, f.referenceTo]));
    expect(body.urls.sobject).toBe(`/services/data/v62.0/sobjects/${object}`);
    expect(body.urls.uiDetailTemplate).toBe(`${emulator.url}/{ID}`);
  });

  it('describes setup objects with the recorded field-entry shape', async () => {
    const recordedField = recordedJson<{ fields: JsonObject[] }>('Contact_describe.cumulusci.json').fields[0];
    for (const object of ['User', 'PermissionSet', 'ObjectPermissions', 'FieldPermissions', 'PermissionSetAssignment', 'PermissionSetLicenseAssign', 'UserLicense', 'Profile']) {
      const { body } = await api<{ fields: JsonObject[]; name: string }>(`/services/data/v62.0/sobjects/${object}/describe`);
      expect(body.name).toBe(object);
      for (const field of body.fields) expect(shapeDifferences(field, recordedField, { keyOrder: true }), `${object}.${String(field.name)}`).toEqual([]);
    }
  });

  it('serves the global describe in the recorded shape', async () => {
    const recorded = recordedJson<JsonObject & { sobjects: JsonObject[] }>('describe/global_sobjects.cumulusci.json');
    const { body } = await api<JsonObject & { sobjects: JsonObject[] }>('/services/data/v62.0/sobjects');
    expect(Object.keys(body)).toEqual(Object.keys(recorded));
    // Each entry has the recorded keys; its urls are those the recording shows for that object (or, for objects the
    // trimmed recording lacks, those of another setup object such as UserLicense).
    const setupEntry = recorded.sobjects.find((s) => s.name === 'UserLicense');
    for (const entry of body.sobjects) {
      const model = recorded.sobjects.find((s) => s.name === entry.name) ?? setupEntry;
      expect(shapeDifferences(entry, model, { keyOrder: true }), String(entry.name)).toEqual([]);
    }
    expect(body.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Account', 'Contact', 'User', 'PermissionSet', 'PermissionSetAssignment', 'ConnectedApplication']));
  });
});

describe('query', () => {
  it('pages like the recorded first and last pages', async () => {
    const first = await query('SELECT Id, Name FROM Contact', 200);
    expect(shapeDifferences(first.body, recordedJson('restforce-mit/query_paginated_first_page_response.json'), { keyOrder: true, ignore: ['Text_Label', 'Id', 'Name'] })).toEqual([]);
    let page = first.body;
    while (!page.done) page = (await api(page.nextRecordsUrl)).body;
    expect(shapeDifferences(page, recordedJson('restforce-mit/query_paginated_last_page_response.json'), { keyOrder: true, ignore: ['Text_Label', 'Id', 'Name'] })).toEqual([]);
  });

  it('returns every selected field, nulls included, in SELECT order (rest/Account_query_with_nulls)', async () => {
    const recorded = recordedJson<{ records: JsonObject[] }>('rest/Account_query_with_nulls.cumulusci.json');
    const fields = Object.keys(recorded.records[0] ?? {}).filter((k) => k !== 'attributes');
    const { body } = await query(`SELECT ${fields.join(', ')} FROM Account WHERE Name != 'Sample Account for Entitlements'`);
    expect(body.totalSize).toBe(30);
    expect(shapeDifferences(body, recorded, { keyOrder: true })).toEqual([]);
    expect(body.records[0].YearStarted).toBeNull();
  });

  it('answers COUNT() like rest/Account_count_query and a relationship query like the recorded User query', async () => {
    const count = await query('SELECT count() FROM Account');
    expect(count.body).toEqual({ totalSize: 30, done: true, records: [] });
    expect(shapeDifferences(count.body, recordedJson('rest/Account_count_query.snowfakery.json'), { keyOrder: true })).toEqual([]);
    const users = await query('SELECT Id, FirstName, LastName FROM User');
    expect(shapeDifferences(users.body, recordedJson('rest/User_query.snowfakery.json'), { keyOrder: true })).toEqual([]);
  });

  it('answers the recorded INVALID_TYPE bodies byte for byte', async () => {
    const a = await query('SELECT Xyzzy FROM Xyzzy');
    expect(a.status).toBe(400);
    expect(a.body).toEqual(recordedJson('errors/INVALID_TYPE_query_400.snowfakery.json'));
    expect((await query('SELECT Id, FirstName, LastName FROM XYZZY')).body).toEqual(recordedJson('errors/INVALID_TYPE_query_400_b.snowfakery.json'));
    const field = await query('SELECT Id, Nope FROM Account');
    expect(shapeDifferences(field.body, recordedJson('restforce-mit/query_error_response.json'), { keyOrder: true })).toEqual([]);
  });
});

describe('records, composite, replication, limits', () => {
  it('creates like rest/Account_create_201 and reads Organization like the recorded record', async () => {
    const created = await api('/services/data/v62.0/sobjects/Account', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'Contract' }) });
    expect(created.status).toBe(201);
    expect(shapeDifferences(created.body, recordedJson('rest/Account_create_201.snowfakery.json'), { keyOrder: true })).toEqual([]);
    const org = await api(`/services/data/v62.0/sobjects/Organization/${emulator.orgId}`);
    expect(shapeDifferences(org.body, recordedJson('rest/Organization_record.cumulusci.json'), { keyOrder: true })).toEqual([]);
    expect(org.body.Address).toEqual({ city: null, country: 'US', geocodeAccuracy: null, latitude: null, longitude: null, postalCode: null, state: null, street: null });
  });

  it('answers composite like the recorded INVALID_TYPE and NOT_FOUND subresponses', async () => {
    const invalid = await conn.requestPost<JsonObject>('/services/data/v62.0/composite', {
      compositeRequest: [
        { method: 'GET', url: '/services/data/v62.0/query?q=select+count()+from+Account', referenceId: 'refAccount' },
        { method: 'GET', url: '/services/data/v62.0/query?q=select+count()+from+XYZZY', referenceId: 'refXYZZY' },
      ],
    });
    const recorded = recordedJson<{ compositeResponse: JsonObject[] }>('errors/composite_INVALID_TYPE_400_subrequest.cumulusci.json');
    expect(shapeDifferences(invalid, recorded, { keyOrder: true })).toEqual([]);
    expect((invalid.compositeResponse as JsonObject[])[1]).toEqual(recorded.compositeResponse[1]);
    const missing = await conn.requestPost<JsonObject>('/services/data/v62.0/composite', { compositeRequest: [{ method: 'GET', url: '/services/data/v62.0/sobjects/Foo', referenceId: 'CCI__RefId__0__' }] });
    expect(missing).toEqual(recordedJson('errors/composite_NOT_FOUND_404_subrequest.cumulusci.json'));
  });

  it('answers updated/deleted, limits and record counts in the recorded shapes', async () => {
    const now = emulator.org.clock.now();
    const start = encodeURIComponent(new Date(now - 3600_000).toISOString());
    const end = encodeURIComponent(new Date(now).toISOString());
    const [contact] = emulator.org.query('SELECT Id FROM Contact LIMIT 1') as { Id: string }[];
    emulator.org.updateRecord('Contact', contact?.Id ?? '', { Title: 'Changed' });
    emulator.org.deleteRecord('Contact', contact?.Id ?? '');
    emulator.org.clock.advance(120_000);
    const window = `?start=${start}&end=${encodeURIComponent(new Date(now + 120_000).toISOString())}`;
    expect(end).toBeTruthy();
    const updated = await api(`/services/data/v62.0/sobjects/Contact/updated/${window}`);
    expect(shapeDifferences(updated.body, recordedJson('restforce-mit/get_updated_success_response.json'), { keyOrder: true })).toEqual([]);
    const deleted = await api(`/services/data/v62.0/sobjects/Contact/deleted/${window}`);
    expect(shapeDifferences(deleted.body, recordedJson('restforce-mit/get_deleted_success_response.json'), { keyOrder: true })).toEqual([]);
    expect(deleted.body.deletedRecords).toEqual([{ id: contact?.Id, deletedDate: expect.stringMatching(/\+0000$/) }]);
    const limits = await api('/services/data/v62.0/limits');
    expect(shapeDifferences(limits.body, recordedJson('limits/limits.camel.json'))).toEqual([]);
    const counts = await api('/services/data/v62.0/limits/recordCount?sObjects=Account');
    expect(counts.body).toEqual({ sObjects: [{ count: 31, name: 'Account' }] });
    expect(shapeDifferences(counts.body, recordedJson('limits/limits_recordCount_Account.cumulusci.json'), { keyOrder: true })).toEqual([]);
  });

  it('holds the deleted-records window to getDeleted()’s rules, and serves it inside Composite beside five queries', async () => {
    const now = emulator.org.clock.now();
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    const [contact] = emulator.org.query('SELECT Id FROM Contact LIMIT 1') as { Id: string }[];
    emulator.org.deleteRecord('Contact', contact!.Id);
    const short = await api(`/services/data/v62.0/sobjects/Contact/deleted/?start=${at(now - 60_000)}&end=${at(now)}`);
    expect(short.status).toBe(400);
    expect(short.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');
    const old = await api(`/services/data/v62.0/sobjects/Contact/deleted/?start=${at(now - 16 * 86_400_000)}&end=${at(now)}`);
    expect(old).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_REPLICATION_DATE', message: 'startDate before org replication enabled date' }] });

    emulator.org.clock.advance(120_000);
    const queries = Array.from({ length: 5 }, (_, i) => ({ method: 'GET', url: `/services/data/v62.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 1')}`, referenceId: `q${i}` }));
    const deleted = { method: 'GET', url: `/services/data/v62.0/sobjects/Contact/deleted/?start=${at(now - 3_600_000)}&end=${at(now + 120_000)}`, referenceId: 'gone' };
    const answer = await api<{ compositeResponse: { referenceId: string; httpStatusCode: number; body: any }[] }>('/services/data/v62.0/composite', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, compositeRequest: [...queries, deleted] }),
    });
    expect(answer.status).toBe(200);
    const gone = answer.body.compositeResponse.find((r) => r.referenceId === 'gone')!;
    expect(gone.httpStatusCode).toBe(200);
    expect(gone.body.deletedRecords.map((r: { id: string }) => r.id)).toContain(contact!.Id);
  });

  it('lists the API versions with the recorded labels', async () => {
    const response = await fetch(`${emulator.url}/services/data`);
    const versions = (await response.json()) as { label: string; url: string; version: string }[];
    const recorded = recordedJson<{ label: string; url: string; version: string }[]>('rest/versions_services_data.postman.json');
    expect(versions.slice(0, recorded.length)).toEqual(recorded);
    expect(versions.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
  });
});

describe('sessions and OAuth errors', () => {
  it('answers an expired session like restforce-mit/expired_session_response', async () => {
    const response = await fetch(`${emulator.url}/services/data/v62.0/limits`, { headers: { Authorization: 'Bearer 00Dxx!expired' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(recordedJson('restforce-mit/expired_session_response.json'));
  });

  it('answers OAuth failures in the recorded error shape', async () => {
    const response = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'nope' }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(shapeDifferences(body, recordedJson('restforce-mit/auth_error_response.json'), { keyOrder: true })).toEqual([]);
    expect(body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('faults SOAP calls like soap/metaforce-mit/foo__invalid_session.xml', async () => {
    const envelope = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>bad</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><readMetadata><type>ConnectedApp</type><fullNames>X</fullNames></readMetadata></soapenv:Body></soapenv:Envelope>';
    const response = await fetch(`${emulator.url}/services/Soap/m/62.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body: envelope });
    expect(response.status).toBe(500);
    const fault = (parseXml(await response.text()) as any).Envelope.Body.Fault;
    const recorded = (parseXml(recordedText('soap/foo__invalid_session.xml')) as any).Envelope.Body.Fault;
    expect(fault.faultcode).toBe(recorded.faultcode);
    expect(fault.faultstring).toBe(recorded.faultstring);
  });
});
