import { describe, expect, it } from 'vitest';
import type { TableColumns } from '../../dataverse/columns';
import type { ConvertedPage } from '../destination';
import { planPage } from './operations';

const TEAM = '11111111-1111-4111-8111-111111111111';
const ACCOUNT = '22222222-2222-4222-8222-222222222222';
const G1 = '33333333-3333-4333-8333-333333333333';
const G2 = '44444444-4444-4444-8444-444444444444';
const T1 = '2026-11-21T10:00:00.000Z';
const T2 = '2026-11-21T11:00:00.000Z';

const columns = ['lastname', 'parentcustomerid', 'ownerid', 'forcebridge_connector_id', 'forcebridge_salesforce_id', 'forcebridge_modstamp', 'forcebridge_deleted_at', 'forcebridge_synced_at'];
const row = (guid: string, lastname: string, id: string, stamp = T1) => [guid, lastname, ACCOUNT, 'team', 'c', id, stamp, null, T2];
const page = (rows: ReturnType<typeof row>[], deletes: ConvertedPage['deletes'] = [], deleteMode: 'hard' | 'soft' = 'hard'): ConvertedPage => ({
  target: { tenantId: 't', connectorId: 'c', table: 'contact', deleteMode, rewriteSameVersion: false },
  key: 'contactid',
  columns,
  rows,
  deletes,
  rejects: [],
  accepted: [],
  records: rows.length + deletes.length,
  maxModstamp: T2,
});
// The environment's lastname holds 5 characters here (its metadata, not the shared table's 50).
const described: TableColumns = { table: 'contact', columns: new Map([['lastname', { logicalName: 'lastname', type: 'String', maxLength: 5, validForCreate: true, validForUpdate: true }]]) };

describe('planPage', () => {
  it('upserts by GUID with the owner team and the account bound, and refuses a text longer than the column’s MaxLength', () => {
    const planned = planPage(page([row(G1, 'Ada', '003A'), row(G2, 'Lovelace', '003B')]), new Map(), described, TEAM);
    expect(planned.operations.map((o) => o.request)).toEqual([
      { method: 'PATCH', path: `contacts(${G1})`, body: { lastname: 'Ada', 'parentcustomerid_account@odata.bind': `/accounts(${ACCOUNT})`, 'ownerid@odata.bind': `/teams(${TEAM})` } },
    ]);
    expect(planned.rejects).toEqual([{ salesforceId: '003B', reason: 'lastname is 8 characters long; the contact column lastname in Dataverse holds at most 5 (its MaxLength)' }]);
  });

  it('skips versions already written (or newer), and deletes hard or by deactivating', () => {
    const written = new Map([[G1, { modstamp: T2, deleted: false }]]);
    expect(planPage(page([row(G1, 'Ada', '003A', T1)]), written, described, TEAM).operations).toEqual([]);
    expect(planPage(page([row(G1, 'Ada', '003A', T2)]), written, described, TEAM).operations).toEqual([]);
    expect(planPage(page([], [{ guid: G2, modstamp: T2 }]), new Map(), described, TEAM).operations.map((o) => o.request)).toEqual([{ method: 'DELETE', path: `contacts(${G2})` }]);
    expect(planPage(page([], [{ guid: G2, modstamp: T2 }], 'soft'), new Map(), described, TEAM).operations.map((o) => o.request)).toEqual([
      { method: 'PATCH', path: `contacts(${G2})`, headers: { 'If-Match': '*' }, body: { statecode: 1, statuscode: 2 } },
    ]);
  });
});
