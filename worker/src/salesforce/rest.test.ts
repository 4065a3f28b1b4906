import { describe, expect, it } from 'vitest';
import { MalformedResponse, SalesforceError } from './errors';
import { type SubrequestResult, deletedOf, pageOf } from './rest';

const page: SubrequestResult = { ok: true, page: { totalSize: 2, done: true, records: [{ Id: '003000000000001' }, { Id: '003000000000002' }] } };
const log: SubrequestResult = { ok: true, deleted: { deletedRecords: [{ id: '003000000000003', deletedDate: '2026-12-01T10:00:00.000+0000' }], earliestDateAvailable: null, latestDateCovered: null } };
const refused: SubrequestResult = { ok: false, error: new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400) };

describe('Composite subrequest answers, by kind', () => {
  it('reads a page as a page and a deleted-records log as a log', () => {
    expect(pageOf(page, 'a query')).toBe(page);
    expect(deletedOf(log)).toBe(log);
  });

  it("keeps Salesforce's refusal as it came, whichever kind was asked for", () => {
    expect(pageOf(refused, 'a query')).toBe(refused);
    expect(deletedOf(refused)).toBe(refused);
  });

  it('turns an answer of the other kind into a MalformedResponse that says what was asked', () => {
    const notPage = pageOf(log, 'the count of Contact');
    expect(notPage.ok).toBe(false);
    expect(!notPage.ok && notPage.error).toBeInstanceOf(MalformedResponse);
    expect(!notPage.ok && notPage.error.message).toBe('Salesforce answered the count of Contact with an unexpected body.');
    const notLog = deletedOf(page);
    expect(!notLog.ok && notLog.error).toBeInstanceOf(MalformedResponse);
  });
});
