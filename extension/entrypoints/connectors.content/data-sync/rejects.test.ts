import { describe, expect, it } from 'vitest';
import { rejectsCsv, retrySummary } from './rejects';

describe('rejected records', () => {
  it('export with the record’s name and link beside its Id', () => {
    const csv = rejectsCsv([{ table: 'contact', salesforceId: '003000000000001AAA', name: 'Ana Díaz', reason: 'lastname holds at most 50', rejectedAt: '2026-12-02T01:00:00.000Z' }], 'https://acme.my.salesforce.com');
    expect(csv.split('\r\n')).toEqual([
      'table,salesforce_id,name,link,reason,rejected_at',
      'contact,003000000000001AAA,Ana Díaz,https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view,lastname holds at most 50,2026-12-02T01:00:00.000Z',
    ]);
  });

  it('say what a retry did in one sentence', () => {
    const table = { table: 'contact' as const, retried: 3, written: 1, stillRejected: 1, notFound: 1 };
    expect(retrySummary({ tables: [table] })).toBe('Retried 3 rejected records: 1 record written; 1 record still rejected: fix the values in Salesforce or the mapping, then retry; 1 record no longer in Salesforce.');
    expect(retrySummary({ tables: [{ ...table, retried: 1, written: 1, stillRejected: 0, notFound: 0 }] })).toBe('Retried 1 rejected record: 1 record written.');
    expect(retrySummary({ tables: [] })).toBe('No rejected record to retry.');
  });
});
