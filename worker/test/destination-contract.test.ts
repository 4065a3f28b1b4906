/**
 * The crash-safety contract of destinations/destination.ts, checked for every destination by this one suite. A new
 * destination adds itself to DESTINATIONS (how to make it, how to read its rows back) and must pass unchanged.
 * Dataverse runs against the Dataverse emulator over real HTTP; its rows are read back through the emulator's control
 * API, with the version each row was written at from the writer's ledger (`dataverse_rows`).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { salesforceDateTime } from '../../shared/salesforce-datetime';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { type CursorRow, cursorOf } from '../src/db/cursors';
import { openDataverseConnection } from '../src/dataverse/connection';
import { findDataverseConnection } from '../src/db/dataverse-connections';
import { d1Destination } from '../src/destinations/d1';
import { dataverseDestination } from '../src/destinations/dataverse';
import type { Destination, DestinationFaults, TableTarget } from '../src/destinations/destination';
import type { pageConverter } from '../src/sync/convert-page';
import { DATAVERSE_EMULATOR_URL, defaultConnectionInput, resetDataverse } from './dataverse';
import { call, newTenant } from './helpers';
import { lastNameConnector } from './sync-fixtures';

interface Row {
  salesforceId: string;
  lastname: string | null;
  modstamp: string;
  deleted: boolean;
}

interface DestinationUnderTest {
  name: string;
  /**
   * Rows first, cursor last (rule 1's at-least-once way): a commit that fails part-way may leave the page's rows,
   * never its cursor. False: nothing of the page stays.
   */
  rowsFirst: boolean;
  /** once per test, for the tenant the test made */
  prepare?(tenant: { id: string; key: string }): Promise<void>;
  make(faults: DestinationFaults): Promise<Destination>;
  /** the rows the destination holds for the connector, deleted marks included */
  rows(target: TableTarget): Promise<Row[]>;
}

const DESTINATIONS: DestinationUnderTest[] = [
  {
    name: 'D1',
    rowsFirst: false,
    make: async (faults) => d1Destination(env.DB, faults),
    async rows(target) {
      const { results } = await env.DB.prepare(
        'SELECT forcebridge_salesforce_id AS id, lastname, forcebridge_modstamp AS modstamp, forcebridge_deleted_at AS deleted_at FROM contact WHERE tenant_id = ?1 AND forcebridge_connector_id = ?2 ORDER BY id',
      )
        .bind(target.tenantId, target.connectorId)
        .all<{ id: string; lastname: string | null; modstamp: string; deleted_at: string | null }>();
      return results.map((r) => ({ salesforceId: r.id, lastname: r.lastname, modstamp: r.modstamp, deleted: r.deleted_at !== null }));
    },
  },
  (() => {
    let dataverseConnectionId = '';
    let tenantId = '';
    let teamId = '';
    return {
      name: 'Dataverse',
      rowsFirst: true,
      async prepare(tenant) {
        await resetDataverse();
        tenantId = tenant.id;
        const post = (path: string, body?: unknown) => call(path, { key: tenant.key, method: 'POST', headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        dataverseConnectionId = ((await (await post('/api/dataverse-connections', defaultConnectionInput())).json()) as { id: string }).id;
        expect((await post(`/api/dataverse-connections/${dataverseConnectionId}/test`)).status).toBe(200);
        const teams = (await (await call(`/api/dataverse-connections/${dataverseConnectionId}/teams`, { key: tenant.key })).json()) as { id: string; name: string }[];
        teamId = teams.find((t) => t.name === 'Sales')!.id;
      },
      async make(faults) {
        const client = await openDataverseConnection(env, (await findDataverseConnection(env.DB, tenantId, dataverseConnectionId))!);
        return dataverseDestination(env.DB, client, { dataverseConnectionId, teamId }, { deadline: Date.now() + 60_000, faults });
      },
      async rows() {
        const rows: Row[] = [];
        for (const id of ID) {
          const guid = guidFromSalesforceId(id);
          const response = await fetch(`${DATAVERSE_EMULATOR_URL}/__emulator/rows/contact/${guid}`);
          if (response.status === 404) continue;
          const { values: row } = (await response.json()) as { values: { lastname?: string; statecode?: number; ownerid?: { table: string; id: string } } };
          expect(row.ownerid).toEqual({ table: 'team', id: teamId });
          const version = await env.DB.prepare('SELECT modstamp FROM dataverse_rows WHERE dataverse_connection_id = ?1 AND guid = ?2').bind(dataverseConnectionId, guid).first<{ modstamp: string }>();
          rows.push({ salesforceId: id, lastname: row.lastname ?? null, modstamp: version?.modstamp ?? '(not recorded)', deleted: row.statecode === 1 });
        }
        return rows;
      },
    } satisfies DestinationUnderTest;
  })(),
];

const ID = ['003000000000001AAA', '003000000000002AAA', '003000000000003AAA'];
const T1 = '2026-11-21T10:00:00.000+0000';
const T2 = '2026-11-21T11:00:00.000+0000';
const record = (id: string, lastname: string, stamp: string, deleted = false) => ({ Id: id, LastName: lastname, SystemModstamp: stamp, IsDeleted: deleted });

describe.each(DESTINATIONS)('the $name destination', (under) => {
  let target: TableTarget;
  let before: CursorRow;

  async function setUp(deleteMode: 'hard' | 'soft' = 'hard', rewriteSameVersion = false) {
    const tenant = await newTenant();
    await under.prepare?.(tenant);
    let convert: ReturnType<typeof pageConverter>;
    ({ target, cursor: before, convert } = await lastNameConnector(tenant.id, deleteMode, rewriteSameVersion));
    return convert;
  }

  const commit = (destination: Destination, convert: Awaited<ReturnType<typeof setUp>>, records: Record<string, unknown>[], next: Partial<CursorRow> | null) =>
    destination.commitPage(convert(records, new Date().toISOString()), { cursor: next ? { ...before, ...next } : null, runId: crypto.randomUUID(), passEndedAt: null, at: new Date().toISOString() });

  it('1. commits a page and the cursor after it together', async () => {
    const convert = await setUp();
    const written = await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], { next_page: '/page2', loaded: 2 });
    expect(written).toEqual({ upserted: 2, deleted: 0 });
    expect((await under.rows(target)).map((r) => r.lastname)).toEqual(['Ada', 'Grace']);
    expect((await cursorOf(env.DB, target.connectorId, 'contact'))?.next_page).toBe('/page2');
  });

  it('1. a commit that fails part-way leaves not the cursor (nor, unless rows go first, the page); sent again, nothing is doubled', async () => {
    const convert = await setUp();
    const page = [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)];
    await expect(commit(await under.make({ failMidCommit: () => true }), convert, page, { next_page: '/page2' })).rejects.toThrow();
    expect((await under.rows(target)).map((r) => r.lastname)).toEqual(under.rowsFirst ? ['Ada', 'Grace'] : []);
    expect((await cursorOf(env.DB, target.connectorId, 'contact'))?.next_page).toBeNull();
    // The page is read again after the crash: the same rows, once each, and now the cursor.
    await commit(await under.make({}), convert, page, { next_page: '/page2' });
    expect((await under.rows(target)).map((r) => [r.lastname, r.modstamp])).toEqual([['Ada', salesforceDateTime(T1)], ['Grace', salesforceDateTime(T1)]]);
    expect((await cursorOf(env.DB, target.connectorId, 'contact'))?.next_page).toBe('/page2');
  });

  it('2. committing the same page again leaves the same rows', async () => {
    const convert = await setUp();
    const page = [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)];
    await commit(await under.make({}), convert, page, null);
    const first = await under.rows(target);
    const again = await commit(await under.make({}), convert, page, { next_page: '/page2' });
    expect(await under.rows(target)).toEqual(first);
    expect(again.upserted).toBe(0);
  });

  it('3. never replaces or deletes a row with an older version of it', async () => {
    const convert = await setUp();
    await commit(await under.make({}), convert, [record(ID[0]!, 'New', T2)], null);
    await commit(await under.make({}), convert, [record(ID[0]!, 'Old', T1), record(ID[0]!, 'Old', T1, true)], null);
    expect(await under.rows(target)).toMatchObject([{ lastname: 'New', deleted: false }]);
  });

  it('3. rewrites the same version only when asked to (a backfill)', async () => {
    const convert = await setUp('hard', true);
    await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1)], null);
    const rewritten = await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1)], null);
    expect(rewritten.upserted).toBe(1);
  });

  it('4. deletes (hard) and counts what it really removed', async () => {
    const convert = await setUp('hard');
    await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], null);
    const written = await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T2, true), record(ID[2]!, 'Never here', T2, true)], null);
    expect(written).toEqual({ upserted: 0, deleted: 1 });
    expect((await under.rows(target)).map((r) => r.salesforceId)).toEqual([ID[1]]);
  });

  it('4. marks deletes (soft), keeping the row', async () => {
    const convert = await setUp('soft');
    await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1)], null);
    const written = await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T2, true)], null);
    expect(written.deleted).toBe(1);
    expect(await under.rows(target)).toMatchObject([{ salesforceId: ID[0], deleted: true }]);
  });

  const scope = () => ({ tenantId: target.tenantId, connectorId: target.connectorId, table: target.table });

  it('5. lists the copy in Salesforce Id order, a bounded chunk at a time, deleted marks included', async () => {
    const convert = await setUp('soft');
    const destination = await under.make({});
    await commit(destination, convert, [record(ID[2]!, 'Katherine', T1), record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], null);
    await commit(destination, convert, [record(ID[1]!, 'Grace', T2, true)], null);
    const first = await destination.copyChunk(scope(), '', 2);
    expect(first).toEqual([
      { salesforceId: ID[0], guid: guidFromSalesforceId(ID[0]!), modstamp: salesforceDateTime(T1), deleted: false },
      { salesforceId: ID[1], guid: guidFromSalesforceId(ID[1]!), modstamp: salesforceDateTime(T2), deleted: true },
    ]);
    expect((await destination.copyChunk(scope(), ID[1]!, 2)).map((r) => r.salesforceId)).toEqual([ID[2]]);
    expect(await destination.copyChunk(scope(), ID[2]!, 2)).toEqual([]);
    // Another connector's copy is not this one's.
    expect(await destination.copyChunk({ ...scope(), connectorId: crypto.randomUUID() }, '', 10)).toEqual([]);
  });

  it('5. a reconciliation’s deletes that fail part-way, sent again, remove those rows once and nothing else', async () => {
    const convert = await setUp('hard');
    await commit(await under.make({}), convert, [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], null);
    const gone = (faults: DestinationFaults) =>
      under.make(faults).then((d) =>
        d.commitPage(
          { target, key: 'contactid', columns: [], rows: [], deletes: [{ guid: guidFromSalesforceId(ID[0]!), modstamp: salesforceDateTime(T2)! }], rejects: [], accepted: [], records: 0, maxModstamp: null },
          { cursor: null, runId: crypto.randomUUID(), passEndedAt: null, at: new Date().toISOString() },
        ),
      );
    await expect(gone({ failMidCommit: () => true })).rejects.toThrow();
    await gone({});
    expect((await under.rows(target)).map((r) => r.salesforceId)).toEqual([ID[1]]);
    expect((await (await under.make({})).copyChunk(scope(), '', 10)).filter((r) => !r.deleted).map((r) => r.salesforceId)).toEqual([ID[1]]);
  });

  it('6. refreshes only values that differ, never creates a row, and changes nothing when sent again', async () => {
    const convert = await setUp();
    const destination = await under.make({});
    await commit(destination, convert, [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], null);
    const values = [
      { guid: guidFromSalesforceId(ID[0]!), values: ['Ada'] },
      { guid: guidFromSalesforceId(ID[1]!), values: ['Hopper'] },
      { guid: guidFromSalesforceId(ID[2]!), values: ['Not in the copy'] },
    ];
    expect(await destination.refreshColumns(scope(), ['lastname'], values)).toBe(1);
    expect((await under.rows(target)).map((r) => [r.salesforceId, r.lastname])).toEqual([[ID[0], 'Ada'], [ID[1], 'Hopper']]);
    expect(await destination.refreshColumns(scope(), ['lastname'], values)).toBe(0);
    expect(await destination.refreshColumns({ ...scope(), connectorId: crypto.randomUUID() }, ['lastname'], [{ guid: values[0]!.guid, values: ['Other'] }])).toBe(0);
    expect((await under.rows(target))[0]!.lastname).toBe('Ada');
  });

  it('7. counts the connector’s rows', async () => {
    const convert = await setUp();
    const destination = await under.make({});
    expect(await destination.rowCount(scope())).toBe(0);
    await commit(destination, convert, [record(ID[0]!, 'Ada', T1), record(ID[1]!, 'Grace', T1)], null);
    expect(await destination.rowCount(scope())).toBe(2);
  });
});
