/**
 * The Web API's rules beyond the recorded exchanges: $filter/$orderby/$top and paging under writes, metadata,
 * teams, validation against the columns, lookups to missing rows, privileges, $batch atomicity and limits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningDataverseEmulator } from '../index';
import { call, tokenFor } from '../test-support';

let emulator: RunningDataverseEmulator;
let token: string;
const api = (method: string, path: string, init?: Parameters<typeof call>[4]) => call(emulator, token, method, path, init);
const ACCOUNT = 'aaaaaaaa-0000-0000-0000-000000000001';
const CONTACT = 'cccccccc-0000-0000-0000-000000000001';

beforeAll(async () => {
  emulator = await startDataverseEmulator();
  token = await tokenFor(emulator);
});
beforeEach(() => emulator.control.reset());
afterAll(() => emulator.close());

describe('queries', () => {
  beforeEach(() => emulator.control.seed({ accounts: 3, contacts: 30 }));

  it('filters with comparisons, and/or, contains/startswith and null', async () => {
    const names = async (filter: string) =>
      (await api('GET', `contacts?$select=fullname&$filter=${encodeURIComponent(filter)}`)).json.value.map((r: { fullname: string }) => r.fullname).sort();
    // Seed rows are named by number: first names cycle through ten, last names change every ten rows.
    expect(await names("firstname eq 'ada'")).toEqual(['Ada Hopper 11', 'Ada Lovelace 1', 'Ada Turing 21']);
    expect(await names("startswith(lastname,'Turing') and contains(firstname,'r')")).toEqual(['Barbara Turing 25', 'Edsger Turing 24', 'Frances Turing 29', 'Grace Turing 22', 'Margaret Turing 27']);
    expect(await names("firstname eq 'Ada' or firstname eq 'Ken'")).toHaveLength(6);
    expect(await names('telephone1 ne null')).toEqual([]);
    expect((await names('telephone1 eq null')).length).toBe(30);
    const account = emulator.control.rows('account')[0]!.id;
    expect((await names(`_parentcustomerid_value eq ${account}`)).length).toBe(10);
  });

  it('refuses an unknown column, a broken filter and $skip with 400', async () => {
    const unknown = await api('GET', 'contacts?$filter=nickname2 eq 1');
    expect([unknown.status, unknown.json.error]).toEqual([400, { code: '0x0', message: "Could not find a property named 'nickname2' on type 'Microsoft.Dynamics.CRM.contact'." }]);
    expect((await api('GET', "contacts?$filter=firstname eq 'Ada' and")).status).toBe(400);
    expect((await api('GET', 'contacts?$skip=10')).status).toBe(400);
    expect((await api('GET', 'contacts?$select=ownerid')).status).toBe(400);
  });

  it('orders, limits with $top, and pages without losing or repeating rows when rows change between pages', async () => {
    const top = await api('GET', 'contacts?$select=lastname&$orderby=lastname desc&$top=3');
    expect(top.json.value).toHaveLength(3);
    expect(top.json['@odata.nextLink']).toBeUndefined();
    const seen: string[] = [];
    let page = await api('GET', 'contacts?$select=lastname&$orderby=lastname asc', { headers: { Prefer: 'odata.maxpagesize=7' } });
    let first = true;
    for (;;) {
      seen.push(...page.json.value.map((r: { contactid: string }) => r.contactid));
      if (first) {
        // A row inserted before the cursor and one after it: paging neither repeats nor skips what was there.
        await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'ZZZ last' } });
        first = false;
      }
      if (!page.json['@odata.nextLink']) break;
      page = await api('GET', page.json['@odata.nextLink'], { headers: { Prefer: 'odata.maxpagesize=7' } });
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(31);
    expect(seen.at(-1)).toBe(CONTACT);
  });
});

describe('metadata and teams', () => {
  it('serves MaxLength through the StringAttributeMetadata cast, and refuses it on the base type', async () => {
    const strings = await api('GET', "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength");
    expect(strings.status).toBe(200);
    const lengths = Object.fromEntries(strings.json.value.map((a: { LogicalName: string; MaxLength: number }) => [a.LogicalName, a.MaxLength]));
    expect(lengths).toMatchObject({ firstname: 50, lastname: 50, emailaddress1: 100, suffix: 10, address1_line1: 250, fullname: 160 });
    const base = await api('GET', "EntityDefinitions(LogicalName='contact')?$expand=Attributes($select=LogicalName,MaxLength)");
    expect(base.status).toBe(400);
    const account = await api('GET', "EntityDefinitions(LogicalName='account')?$select=LogicalName,EntitySetName,PrimaryIdAttribute&$expand=Attributes($select=LogicalName,AttributeType)");
    expect(account.json).toMatchObject({ LogicalName: 'account', EntitySetName: 'accounts', PrimaryIdAttribute: 'accountid' });
    expect(account.json.Attributes).toContainEqual(expect.objectContaining({ LogicalName: 'name', AttributeType: 'String' }));
    const lookup = await api('GET', "EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='parentcustomerid')");
    expect(lookup.json).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.LookupAttributeMetadata', AttributeType: 'Customer', Targets: ['account', 'contact'] });
    expect((await api('GET', "EntityDefinitions(LogicalName='lead')")).status).toBe(404);
  });

  it('lists teams with name, type and business unit, and filters them', async () => {
    const teams = await api('GET', 'teams?$select=name,teamtype,_businessunitid_value&$filter=teamtype eq 0&$orderby=name');
    expect(teams.status).toBe(200);
    expect(teams.json.value.map((t: { name: string }) => t.name)).toEqual(['acme', 'Sales']);
    expect(teams.json.value[0]).toMatchObject({ teamtype: 0, _businessunitid_value: expect.stringMatching(/^[0-9a-f-]{36}$/), teamid: expect.any(String) });
  });
});

describe('writes against the metadata', () => {
  it('refuses a string longer than the column with Dataverse\'s validation error', async () => {
    const answer = await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'x'.repeat(51) } });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(`{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'lastname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'."}}`);
    expect(emulator.control.row('contact', CONTACT)).toBeUndefined();
  });

  it('refuses unknown properties, wrong types and numbers out of range', async () => {
    const unknown = await api('POST', 'contacts', { body: { lastname: 'A', favouritecolour: 'blue' } });
    expect([unknown.status, unknown.json.error.code]).toEqual([400, '0x80048d19']);
    expect(unknown.json.error.message).toContain("Invalid property 'favouritecolour' was found in entity 'Microsoft.Dynamics.CRM.contact'");
    const type = await api('POST', 'accounts', { body: { name: 'A', numberofemployees: 'ten' } });
    expect(type.json.error.message).toContain("Cannot convert a primitive value to the expected type 'Edm.Int32'");
    const range = await api('POST', 'accounts', { body: { name: 'A', numberofemployees: -1 } });
    expect([range.status, range.json.error.code]).toEqual([400, '0x80044331']);
  });

  it('binds lookups to rows that exist and refuses, as Dataverse words it, one that does not', async () => {
    await api('PATCH', `accounts(${ACCOUNT})`, { body: { name: 'Acme' } });
    const linked = await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'Lee', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT})` } });
    expect(linked.status).toBe(204);
    const read = await api('GET', `contacts(${CONTACT})?$select=_parentcustomerid_value`, { headers: { Prefer: 'odata.include-annotations="*"' } });
    expect(read.json).toMatchObject({ _parentcustomerid_value: ACCOUNT, '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account', '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Acme' });

    const missing = await api('PATCH', `contacts(${CONTACT})`, { body: { 'parentcustomerid_account@odata.bind': '/accounts(aaaaaaaa-0000-0000-0000-00000000dead)' } });
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"error":{"code":"0x80060891","message":"A record with the specified key values does not exist in account entity"}}');
    const wrongSet = await api('PATCH', `contacts(${CONTACT})`, { body: { 'parentcustomerid_account@odata.bind': `/contacts(${CONTACT})` } });
    expect(wrongSet.status).toBe(400);
    const teamKey = await api('PATCH', `contacts(${CONTACT})`, { body: { 'ownerid@odata.bind': '/teams(teamid=00000000-0000-0000-0000-000000000001)' } });
    expect(teamKey.json.error.message).toContain("The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.team'");
  });

  it('assigns rows to a team that holds the table\'s privileges, and names what is missing otherwise', async () => {
    const teams = emulator.control.teams();
    const sales = teams.find((t) => t.values.name === 'Sales')!.id;
    const access = teams.find((t) => t.values.teamtype === 1)!.id;
    expect((await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'Lee', 'ownerid@odata.bind': `/teams(${sales})` } })).status).toBe(204);
    expect(emulator.control.row('contact', CONTACT)?.values.ownerid).toEqual({ table: 'team', id: sales });

    const unable = await api('PATCH', `contacts(${CONTACT})`, { body: { 'ownerid@odata.bind': `/teams(${access})` } });
    expect([unable.status, unable.json.error]).toEqual([403, { code: '0x80040231', message: 'Target user or team does not hold required privileges.' }]);

    emulator.control.revoke('application', ['prvAssignContact']);
    const noAssign = await api('PATCH', `contacts(${CONTACT})`, { body: { 'ownerid@odata.bind': '/systemusers(' + emulator.applicationUserId + ')' } });
    expect([noAssign.status, noAssign.json.error.code]).toEqual([403, '0x80040220']);
    expect(noAssign.json.error.message).toContain('is missing prvAssignContact privilege');

    emulator.control.revoke('application', ['prvCreateAccount']);
    const noCreate = await api('POST', 'accounts', { body: { name: 'A' } });
    expect(noCreate.json.error.message).toContain('is missing prvCreateAccount privilege');
    const access2 = await api('GET', `systemusers(${emulator.applicationUserId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'contacts(${CONTACT})'}`);
    expect(access2.json.AccessRights).toBe('ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess');
    const team = await api('GET', `teams(${sales})/Microsoft.Dynamics.CRM.RetrieveTeamPrivileges`);
    expect(team.json.RolePrivileges.map((p: { PrivilegeName: string }) => p.PrivilegeName)).toContain('prvWriteContact');
  });

  it('deactivates with the state\'s default status, and refuses a status of the other state', async () => {
    expect((await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'Lee' } })).status).toBe(204);
    expect(emulator.control.row('contact', CONTACT)?.values).toMatchObject({ statecode: 0, statuscode: 1 });
    expect((await api('PATCH', `contacts(${CONTACT})`, { body: { statecode: 1 } })).status).toBe(204);
    expect(emulator.control.row('contact', CONTACT)?.values).toMatchObject({ statecode: 1, statuscode: 2 });
    const wrong = await api('PATCH', `contacts(${CONTACT})`, { body: { statecode: 0, statuscode: 2 } });
    expect([wrong.status, wrong.json.error.code]).toEqual([400, '0x80044331']);
  });

  it('answers POST with an id that is taken with 412, and DELETE of a missing row with 404', async () => {
    expect((await api('POST', 'contacts', { body: { contactid: CONTACT, lastname: 'A' } })).status).toBe(204);
    expect((await api('POST', 'contacts', { body: { contactid: CONTACT, lastname: 'B' } })).status).toBe(412);
    expect((await api('DELETE', `contacts(${CONTACT})`)).status).toBe(204);
    const again = await api('DELETE', `contacts(${CONTACT})`);
    expect([again.status, again.json.error.message]).toEqual([404, `contact With Id = ${CONTACT} Does Not Exist`]);
    emulator.control.setSwitches({ filledErrorCodes: true });
    expect((await api('DELETE', `contacts(${CONTACT})`)).json.error.code).toBe('0x80040217');
  });
});

describe('$batch', () => {
  const CRLF = '\r\n';
  const part = (method: string, url: string, body?: unknown, contentId?: string) =>
    ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : []), '', `${method} ${url} HTTP/1.1`, 'Content-Type: application/json', '', body === undefined ? '' : JSON.stringify(body)].join(CRLF);
  const changeset = (parts: string[]) => `Content-Type: multipart/mixed; boundary=changeset_1${CRLF}${CRLF}${parts.map((p) => `--changeset_1${CRLF}${p}${CRLF}`).join('')}--changeset_1--`;
  const batch = (parts: string[], prefer?: string) =>
    api('POST', '$batch', { headers: { 'Content-Type': 'multipart/mixed; boundary=batch_1', ...(prefer ? { Prefer: prefer } : {}) }, body: `${parts.map((p) => `--batch_1${CRLF}${p}${CRLF}`).join('')}--batch_1--${CRLF}` });

  it('rolls back the whole change set when one request fails, and stops the batch there', async () => {
    const answer = await batch([
      changeset([part('PATCH', `/api/data/v9.2/accounts(${ACCOUNT})`, { name: 'Acme' }, '1'), part('PATCH', `/api/data/v9.2/contacts(${CONTACT})`, { lastname: 'x'.repeat(60) }, '2')]),
      part('PATCH', '/api/data/v9.2/accounts(aaaaaaaa-0000-0000-0000-000000000002)', { name: 'Never' }),
    ]);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Content-Type: multipart/mixed; boundary=changesetresponse_');
    expect(answer.text).toContain('Content-ID: 2');
    expect(answer.text).not.toContain('Content-ID: 1');
    expect(emulator.control.count('account')).toBe(0);
  });

  it('with continue-on-error, a failed change set is undone and later requests still run', async () => {
    const answer = await batch(
      [
        changeset([part('PATCH', `/api/data/v9.2/accounts(${ACCOUNT})`, { name: 'Acme' }, '1'), part('PATCH', `/api/data/v9.2/contacts(${CONTACT})`, { lastname: 'x'.repeat(60) }, '2')]),
        part('PATCH', '/api/data/v9.2/accounts(aaaaaaaa-0000-0000-0000-000000000002)', { name: 'Later' }),
      ],
      'odata.continue-on-error',
    );
    expect(answer.status).toBe(200);
    expect(answer.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 400', 'HTTP/1.1 204']);
    expect(emulator.control.rows('account').map((r) => r.values.name)).toEqual(['Later']);
  });

  it('links rows created in the same change set through $<Content-ID>, and refuses a reference made too early', async () => {
    const ok = await batch([
      changeset([part('POST', '/api/data/v9.2/accounts', { name: 'Acme' }, '1'), part('POST', '/api/data/v9.2/contacts', { lastname: 'Lee', 'parentcustomerid_account@odata.bind': '$1' }, '2')]),
    ]);
    expect(ok.status).toBe(200);
    const [contact] = emulator.control.rows('contact');
    expect(contact!.values.parentcustomerid).toEqual({ table: 'account', id: emulator.control.rows('account')[0]!.id });

    const early = await batch([changeset([part('POST', '/api/data/v9.2/contacts', { lastname: 'Lee', 'parentcustomerid_account@odata.bind': '$3' }, '2')])]);
    expect(early.status).toBe(400);
    expect(early.text).toContain("Content-ID Reference: '$3' does not exist in the batch context.");
  });

  it('refuses GET inside a change set, more than 1,000 requests, and a body that is not multipart', async () => {
    expect((await batch([changeset([part('GET', '/api/data/v9.2/accounts')])])).status).toBe(400);
    const many = Array.from({ length: 1001 }, (_, i) => part('PATCH', `/api/data/v9.2/accounts(aaaaaaaa-0000-0000-0000-${String(i).padStart(12, '0')})`, { name: `A${i}` }));
    const tooMany = await batch(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toContain('up to 1000 requests');
    expect(emulator.control.count('account')).toBe(0);
    const thousand = await batch(many.slice(0, 1000));
    expect(thousand.status).toBe(200);
    expect(emulator.control.count('account')).toBe(1000);
    expect((await api('POST', '$batch', { headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(400);
  });
});

describe('service protection', () => {
  it('answers 429 with Retry-After once the requests in the window are used up, and again after the window moves', async () => {
    emulator.control.setServiceProtection({ requests: 3, windowSeconds: 300 });
    for (let i = 0; i < 3; i++) expect((await api('GET', 'WhoAmI')).status).toBe(200);
    const refused = await api('GET', 'WhoAmI');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.error).toEqual({ code: '0x80072322', message: 'Number of requests exceeded the limit of 3 over time window of 300 seconds.' });
    emulator.control.clock.advance(301_000);
    expect((await api('GET', 'WhoAmI')).status).toBe(200);
  });

  it('answers 429 0x80072321 once the execution time in the window is used up; a switch turns protection off', async () => {
    emulator.control.setServiceProtection({ executionTimeMs: 50 });
    emulator.control.setSwitches({ requestLatencyMs: 60 });
    expect((await api('GET', 'WhoAmI')).status).toBe(200);
    const refused = await api('GET', 'WhoAmI');
    expect([refused.status, refused.json.error.code]).toEqual([429, '0x80072321']);
    expect(refused.json.error.message).toBe('Combined execution time of incoming requests exceeded limit of 50  milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.');
    emulator.control.setSwitches({ serviceProtection: false, requestLatencyMs: 0 });
    expect((await api('GET', 'WhoAmI')).status).toBe(200);
  });
});

describe('date-only columns', () => {
  it('takes a calendar date for contact.birthdate (Edm.Date) and refuses a date and time or a day that does not exist', async () => {
    const written = await api('PATCH', `contacts(${CONTACT})`, { body: { lastname: 'Lovelace', birthdate: '1815-12-10' } });
    expect(written.status).toBe(204);
    expect((await api('GET', `contacts(${CONTACT})?$select=birthdate`)).json.birthdate).toBe('1815-12-10');
    for (const birthdate of ['1815-12-10T00:00:00Z', '1815-02-30', '1700-01-01', 18151210]) {
      const refused = await api('PATCH', `contacts(${CONTACT})`, { body: { birthdate } });
      expect([refused.status, refused.json.error.code]).toEqual([400, '0x80048d19']);
      expect(refused.json.error.message).toContain("'Edm.Date'");
    }
  });

  it('describes it as DateOnly in its metadata', async () => {
    const { json } = await api('GET', "EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,Format,DateTimeBehavior");
    expect(json.value.find((a: { LogicalName: string }) => a.LogicalName === 'birthdate')).toMatchObject({ Format: 'DateOnly', DateTimeBehavior: { Value: 'DateOnly' } });
    expect(json.value.find((a: { LogicalName: string }) => a.LogicalName === 'createdon')).toMatchObject({ Format: 'DateAndTime' });
  });
});
