import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { chainLengths, pageChain, passFields, passSoql, passStart } from './plan';

describe('passSoql', () => {
  it('reads the bookkeeping fields and the mapped ones once each', () => {
    expect(passFields({ contactid: 'Id', lastname: 'LastName', emailaddress1: 'Email' })).toEqual(['Id', 'SystemModstamp', 'IsDeleted', 'LastName', 'Email']);
  });

  it('reads everything on a first load and changes since the watermark afterwards, oldest first', () => {
    expect(passSoql('account', DEFAULT_MAPPINGS.account, null)).toBe(
      'SELECT Id, SystemModstamp, IsDeleted, AccountNumber, Description, Fax, Name, NumberOfEmployees, Sic, Phone, TickerSymbol FROM Account ORDER BY SystemModstamp ASC, Id ASC',
    );
    // Whole seconds, rounded down: a stamp of 10:00:00.750 reads from 10:00:00, never past it.
    expect(passSoql('contact', { contactid: 'Id' }, '2026-11-21T10:00:00.750Z')).toBe(
      'SELECT Id, SystemModstamp, IsDeleted FROM Contact WHERE SystemModstamp >= 2026-11-21T10:00:00Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(passSoql('contact', { contactid: 'Id' }, null, { ordered: false })).toBe('SELECT Id, SystemModstamp, IsDeleted FROM Contact');
  });
});

describe('passStart', () => {
  it('re-reads the last minute before now, but never starts after the watermark', () => {
    const now = new Date('2026-11-21T10:00:00.000Z');
    expect(passStart(null, now)).toBeNull();
    expect(passStart('2026-11-21T09:59:30.000Z', now)).toBe('2026-11-21T09:59:00.000Z');
    expect(passStart('2026-11-21T08:00:00.000Z', now)).toBe('2026-11-21T08:00:00.000Z');
  });
});

describe('composite planning', () => {
  it('shares the five query subrequests between tables, one page for a table whose size is not known yet', () => {
    expect(chainLengths([false])).toEqual([5]);
    expect(chainLengths([false, false])).toEqual([3, 2]);
    expect(chainLengths([true, true])).toEqual([1, 1]);
    expect(chainLengths([true, false])).toEqual([1, 4]);
    expect(chainLengths([true])).toEqual([1]);
  });

  it('chains pages through nextRecordsUrl references', () => {
    expect(pageChain('contact', '/q', 3).map((s) => s.url)).toEqual(['/q', '@{contact_0.nextRecordsUrl}', '@{contact_1.nextRecordsUrl}']);
  });
});
