import { describe, expect, it } from 'vitest';
import { destinationColumn } from '../../../shared/mapping/destination';
import { guidFromSalesforceId } from '../../../shared/mapping/guid';
import { convertValue } from './convert';

const contact = (name: string) => destinationColumn('contact', name)!;
const account = (name: string) => destinationColumn('account', name)!;

describe('convertValue', () => {
  it('turns empty values (REST null, CSV empty string) into null', () => {
    expect(convertValue(contact('firstname'), { name: 'FirstName', type: 'string' }, null)).toEqual({ ok: true, value: null });
    expect(convertValue(contact('firstname'), { name: 'FirstName', type: 'string' }, '')).toEqual({ ok: true, value: null });
  });

  it('stores booleans as 0/1 from JSON and CSV', () => {
    const column = contact('donotphone');
    expect(convertValue(column, { name: 'DoNotCall', type: 'boolean' }, true)).toEqual({ ok: true, value: 1 });
    expect(convertValue(column, { name: 'DoNotCall', type: 'boolean' }, 'false')).toEqual({ ok: true, value: 0 });
    expect(convertValue(column, { name: 'DoNotCall', type: 'boolean' }, 'maybe')).toMatchObject({ ok: false, reason: expect.stringContaining('true or false') });
  });

  it('keeps integers whole and decimals as numbers', () => {
    expect(convertValue(account('numberofemployees'), { name: 'NumberOfEmployees', type: 'int' }, '250')).toEqual({ ok: true, value: 250 });
    expect(convertValue(account('numberofemployees'), { name: 'NumberOfEmployees', type: 'int' }, '2.5')).toMatchObject({ ok: false });
    expect(convertValue(account('revenue'), { name: 'AnnualRevenue', type: 'currency' }, 1250000.5)).toEqual({ ok: true, value: 1250000.5 });
  });

  it('writes dates as YYYY-MM-DD and datetimes as ISO 8601 UTC', () => {
    expect(convertValue(contact('birthdate'), { name: 'Birthdate', type: 'date' }, '1980-02-29')).toEqual({ ok: true, value: '1980-02-29' });
    expect(convertValue(contact('lastusedincampaign'), { name: 'CreatedDate', type: 'datetime' }, '2026-01-01T10:00:00.000+0200')).toEqual({
      ok: true,
      value: '2026-01-01T08:00:00.000Z',
    });
    expect(convertValue(contact('description'), { name: 'CreatedDate', type: 'datetime' }, '2026-01-01T10:00:00.000+0000')).toEqual({
      ok: true,
      value: '2026-01-01T10:00:00.000Z',
    });
  });

  it('refuses strings longer than the column holds, naming both', () => {
    const result = convertValue(contact('emailaddress1'), { name: 'Email', type: 'email' }, `${'a'.repeat(95)}@x.com`);
    expect(result).toEqual({ ok: false, reason: 'Email is 101 characters long; emailaddress1 holds at most 100' });
  });

  it('turns ids and references into the deterministic GUIDs', () => {
    expect(convertValue(contact('parentcustomerid'), { name: 'AccountId', type: 'reference', referenceTo: ['Account'] }, '001A0000006Vm9rIAC')).toEqual({
      ok: true,
      value: guidFromSalesforceId('001A0000006Vm9rIAC'),
    });
    expect(convertValue(contact('contactid'), { name: 'Id', type: 'id' }, 'not-an-id')).toMatchObject({ ok: false });
  });
});
