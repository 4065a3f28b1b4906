/**
 * The SOQL subset against a seeded org, in process: filters (=, !=, <, >, IN, LIKE, AND/OR/NOT, date/time literals),
 * ordering, limits, COUNT, relationship fields, and Salesforce's error codes and messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../emulator';
import { SalesforceError } from '../errors';
import { firstPage } from '../rest/query';
import { EmulatorControl } from '../control/control';

let emulator: Emulator;
const NOW = Date.parse('2026-03-01T12:00:00Z');

function query(soql: string, options: { includeDeleted?: boolean } = {}) {
  return firstPage(emulator, emulator.org.adminUserId, soql, { includeDeleted: options.includeDeleted ?? false, version: '62.0', batchSize: 2000 });
}

function error(soql: string): SalesforceError {
  try {
    query(soql);
  } catch (caught) {
    if (caught instanceof SalesforceError) return caught;
    throw caught;
  }
  throw new Error(`expected ${soql} to fail`);
}

beforeAll(() => {
  emulator = new Emulator({ now: NOW, freezeClock: true, seed: { accounts: 20, contacts: 200, spacingMs: 60_000 } });
});

describe('SOQL', () => {
  it('selects fields in SELECT order, with attributes and nested parent records', () => {
    const page = query('SELECT Email, Id, Account.Name FROM Contact ORDER BY Email LIMIT 3');
    expect(page.totalSize).toBe(3);
    const [first] = page.records as Record<string, unknown>[];
    expect(Object.keys(first ?? {})).toEqual(['attributes', 'Email', 'Id', 'Account']);
    expect((first?.attributes as { url: string }).url).toBe(`/services/data/v62.0/sobjects/Contact/${String(first?.Id)}`);
    expect((first?.Account as Record<string, unknown>).Name).toMatch(/\w/);
    expect(((first?.Account as Record<string, unknown>).attributes as { type: string }).type).toBe('Account');
  });

  it('filters by datetime literals and orders by several keys', () => {
    // 200 contacts stamped a minute apart, the newest at NOW.
    const since = new Date(NOW - 10 * 60_000).toISOString();
    const page = query(`SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > ${since} ORDER BY SystemModstamp DESC, Id ASC`);
    expect(page.totalSize).toBe(10);
    const stamps = (page.records as { SystemModstamp: string }[]).map((r) => r.SystemModstamp);
    expect(stamps[0]).toBe('2026-03-01T12:00:00.000+0000');
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect(query(`SELECT Id FROM Contact WHERE SystemModstamp >= ${since.replace('.000Z', '+0000')}`).totalSize).toBe(11);
  });

  it('compares text case-insensitively and supports IN, LIKE, !=, OR and NOT', () => {
    const [row] = query('SELECT Id, LastName, Email FROM Contact ORDER BY Id LIMIT 1').records as { Id: string; LastName: string; Email: string }[];
    expect(query(`SELECT Id FROM Contact WHERE Email = '${row?.Email.toUpperCase()}'`).totalSize).toBe(1);
    expect(query(`SELECT Id FROM Contact WHERE Id IN ('${row?.Id.slice(0, 15)}', '003000000000000AAA')`).totalSize).toBe(1);
    const likeCount = query(`SELECT COUNT() FROM Contact WHERE LastName LIKE '${row?.LastName.slice(0, 2)}%'`).totalSize;
    const sameCount = query(`SELECT COUNT() FROM Contact WHERE LastName = '${row?.LastName}'`).totalSize;
    expect(likeCount).toBeGreaterThanOrEqual(sameCount);
    expect(query(`SELECT COUNT() FROM Contact WHERE LastName != '${row?.LastName}'`).totalSize).toBe(200 - sameCount);
    expect(query(`SELECT COUNT() FROM Contact WHERE NOT (LastName = '${row?.LastName}') OR LastName = '${row?.LastName}'`).totalSize).toBe(200);
  });

  it('counts with COUNT() and COUNT(field), and applies LIMIT and OFFSET', () => {
    expect(query('SELECT COUNT() FROM Account')).toEqual({ totalSize: 20, done: true, records: [] });
    expect(query('SELECT COUNT(Id) FROM Account').records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 20 }]);
    const all = (query('SELECT Id FROM Account ORDER BY Name, Id').records as { Id: string }[]).map((r) => r.Id);
    const window = (query('SELECT Id FROM Account ORDER BY Name, Id LIMIT 5 OFFSET 3').records as { Id: string }[]).map((r) => r.Id);
    expect(window).toEqual(all.slice(3, 8));
  });

  it('returns null fields as null and compound addresses as objects', () => {
    const [account] = query('SELECT Id, Jigsaw, BillingAddress, BillingCity FROM Account LIMIT 1').records as Record<string, unknown>[];
    expect(account?.Jigsaw).toBeNull();
    expect(Object.keys(account?.BillingAddress as object)).toEqual(['city', 'country', 'geocodeAccuracy', 'latitude', 'longitude', 'postalCode', 'state', 'street']);
    expect((account?.BillingAddress as { city: string }).city).toBe(account?.BillingCity);
  });

  it('answers Salesforce errors: INVALID_TYPE, INVALID_FIELD, MALFORMED_QUERY, literal types', () => {
    const type = error('SELECT Id FROM Xyzzy');
    expect(type.errorCode).toBe('INVALID_TYPE');
    expect(type.message).toBe(
      "\nSELECT Id FROM Xyzzy\n               ^\nERROR at Row:1:Column:16\nsObject type 'Xyzzy' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    const field = error('SELECT Id, Nope__c FROM Contact');
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("ERROR at Row:1:Column:12\nNo such column 'Nope__c' on entity 'Contact'.");
    expect(error('SELECT Id, Nope.Name FROM Contact').message).toContain("Didn't understand relationship 'Nope' in field path.");
    expect(error('SELECT Id FROM Contact WHERE').errorCode).toBe('MALFORMED_QUERY');
    expect(error('SELECT Id FROM Contact LIMIT x').message).toContain('unexpected token: x');
    const quoted = error("SELECT Id FROM Contact WHERE SystemModstamp > '2026-01-01T00:00:00Z'");
    expect(quoted.errorCode).toBe('INVALID_FIELD');
    expect(quoted.message).toContain("value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes");
    expect(error("SELECT Id FROM Contact WHERE Id = 'nope'").errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  });

  it('refuses AND and OR mixed without parentheses, as Salesforce does, and takes them parenthesised', () => {
    const mixed = error("SELECT Id FROM Contact WHERE Email != null AND LastName = 'A' OR LastName = 'B'");
    expect(mixed.errorCode).toBe('MALFORMED_QUERY');
    expect(mixed.message).toContain('unexpected token: OR');
    expect(error("SELECT Id FROM Contact WHERE LastName = 'A' OR LastName = 'B' AND Email = null").message).toContain('unexpected token: AND');
    const all = query('SELECT COUNT() FROM Contact').totalSize;
    expect(query("SELECT COUNT() FROM Contact WHERE (Email != null AND LastName LIKE '%') OR (NOT (Email != null))").totalSize).toBe(all);
  });

  it('computes formula fields when read: a parent edit moves the value but not the SystemModstamp', () => {
    const [contact] = query('SELECT Id, AccountId, Account_Name__c, SystemModstamp FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 1').records as {
      Id: string;
      AccountId: string;
      Account_Name__c: string;
      SystemModstamp: string;
    }[];
    const [account] = query(`SELECT Name FROM Account WHERE Id = '${contact!.AccountId}'`).records as { Name: string }[];
    expect(contact!.Account_Name__c).toBe(account!.Name);
    new EmulatorControl(emulator).updateRecord('Account', contact!.AccountId, { Name: 'Renamed Holdings' });
    const [after] = query(`SELECT Account_Name__c, SystemModstamp FROM Contact WHERE Id = '${contact!.Id}'`).records as { Account_Name__c: string; SystemModstamp: string }[];
    expect(after).toMatchObject({ Account_Name__c: 'Renamed Holdings', SystemModstamp: contact!.SystemModstamp });
    expect(query("SELECT COUNT() FROM Contact WHERE Account_Name__c = 'Renamed Holdings'").totalSize).toBeGreaterThan(0);
    const field = emulator.org.schemas.get('Contact')!.field('Account_Name__c')!;
    expect(field.describe).toMatchObject({ calculated: true, calculatedFormula: 'Account.Name', createable: false, updateable: false });
  });

  it('keeps deleted rows out of query and in queryAll, with IsDeleted', () => {
    const [row] = query('SELECT Id FROM Contact ORDER BY Id LIMIT 1').records as { Id: string }[];
    const table = emulator.org.table('Contact');
    const index = table?.indexOf(row?.Id ?? '');
    if (!table || index === undefined) throw new Error('no row');
    table.softDelete(index, NOW);
    expect(query('SELECT COUNT() FROM Contact').totalSize).toBe(199);
    const deleted = query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${row?.Id}'`, { includeDeleted: true });
    expect(deleted.records).toEqual([expect.objectContaining({ Id: row?.Id, IsDeleted: true })]);
    table.undelete(index, NOW);
  });
});
