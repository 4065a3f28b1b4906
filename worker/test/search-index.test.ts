/**
 * The full-text index follows the rows: written in the same batch as each sync page, so a renamed contact is found
 * by its new name only, a deleted one not at all, and rows copied before the index existed are backfilled.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { searchRecords } from '../src/agent/search-records';
import { syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { connectedConnector, salesforceRecords } from './sync-fixtures';

beforeEach(freshOrgAndTenants);

const search = (tenantId: string, query: string, includeDeleted = false) =>
  searchRecords(env.DB, tenantId, { query, tables: ['contact', 'account'], limit: 50, offset: 0, includeDeleted });

describe('search index', () => {
  it('indexes every copied record and follows renames and deletes in the same batch as the page', async () => {
    const { tenant, connectorId } = await connectedConnector({ deleteMode: 'soft' });
    await syncConnector(env, connectorId);
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM contact WHERE tenant_id = ?1) + (SELECT count(*) FROM account WHERE tenant_id = ?1) AS rows,
              (SELECT count(*) FROM search_keys k JOIN record_search s ON s.rowid = k.id WHERE k.tenant_id = ?1) AS indexed`,
    )
      .bind(tenant.id)
      .first<{ rows: number; indexed: number }>();
    expect(counts!.indexed).toBe(counts!.rows);

    const [first, second] = await salesforceRecords('Contact', ['Id', 'LastName', 'Email']);
    expect((await search(tenant.id, String(first!.Email))).map((h) => h.salesforceId)).toContain(first!.Id);

    await control('PATCH', `/records/Contact/${first!.Id}`, { LastName: 'Quetzalcoatl' });
    await control('DELETE', `/records/Contact/${second!.Id}`);
    await env.DB.prepare('UPDATE connectors SET next_run_at = NULL').run();
    await syncConnector(env, connectorId);

    expect((await search(tenant.id, 'quetzal')).map((h) => h.id)).toEqual([guidFromSalesforceId(String(first!.Id))]);
    const indexed = await env.DB.prepare(
      `SELECT s.name FROM record_search s JOIN search_keys k ON k.id = s.rowid WHERE k.tenant_id = ?1 AND k.record_id = ?2`,
    )
      .bind(tenant.id, guidFromSalesforceId(String(first!.Id)))
      .all<{ name: string }>();
    expect(indexed.results).toHaveLength(1);
    expect(indexed.results[0]!.name).not.toContain(String(first!.LastName));
    // Soft-deleted rows stay indexed but are returned only when asked for.
    expect((await search(tenant.id, String(second!.Email))).map((h) => h.salesforceId)).not.toContain(second!.Id);
    expect((await search(tenant.id, String(second!.Email), true)).find((h) => h.salesforceId === second!.Id)).toMatchObject({ deleted: true });
  });

  it("backfills rows copied before the index existed, with the migration's own statements", async () => {
    const { tenant, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    const [first] = await salesforceRecords('Contact', ['Id', 'Email']);
    await env.DB.batch([env.DB.prepare('DELETE FROM record_search'), env.DB.prepare('DELETE FROM search_keys')]);
    expect(await search(tenant.id, String(first!.Email))).toEqual([]);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0009_'))!;
    const backfill = migration.queries.filter((q) => /^\s*(--[^\n]*\n\s*)*INSERT INTO (search_keys|record_search)/.test(q));
    expect(backfill).toHaveLength(4);
    for (const query of backfill) await env.DB.prepare(query).run();
    expect((await search(tenant.id, String(first!.Email))).map((h) => h.salesforceId)).toContain(first!.Id);
  });

  it("finds a contact by its account's name, and follows the account when it is renamed", async () => {
    const { tenant, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    const [contact] = (await salesforceRecords('Contact', ['Id', 'FirstName', 'LastName', 'AccountId'])).filter((c) => c.AccountId);
    const [account] = await salesforceRecords('Account', ['Id', 'Name']).then((all) => all.filter((a) => a.Id === contact!.AccountId));
    const byName = await search(tenant.id, `${String(contact!.LastName)} ${String(account!.Name)}`);
    expect(byName.map((h) => h.salesforceId)).toContain(contact!.Id);

    await control('PATCH', `/records/Account/${account!.Id}`, { Name: 'Zyxwvut Holdings' });
    await env.DB.prepare('UPDATE connectors SET next_run_at = NULL').run();
    await syncConnector(env, connectorId);
    const renamed = await search(tenant.id, 'zyxwvut');
    expect(renamed.find((h) => h.table === 'account')).toMatchObject({ salesforceId: account!.Id, name: 'Zyxwvut Holdings', deleted: false });
    expect(renamed.find((h) => h.salesforceId === contact!.Id)).toMatchObject({ table: 'contact', name: `${String(contact!.FirstName)} ${String(contact!.LastName)}` });
    // Every contact of the account, and no other record, is found under the new name.
    const contactsOfAccount = (await salesforceRecords('Contact', ['Id', 'AccountId'])).filter((c) => c.AccountId === account!.Id);
    expect(renamed.filter((h) => h.table === 'contact').map((h) => h.salesforceId).sort()).toEqual(contactsOfAccount.map((c) => String(c.Id)).sort());
  });

  it('leaves the index as it was when a page changes only fields search does not read', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    const [first] = await salesforceRecords('Contact', ['Id', 'Email']);
    // FTS5 keeps its index in the record_search_data shadow table (https://www.sqlite.org/fts5.html): any rewrite of
    // an index row, even with the same text, adds a segment there.
    const indexed = () => env.DB.prepare('SELECT id, hex(block) AS block FROM record_search_data ORDER BY id').all().then((r) => r.results);
    const before = await indexed();
    await control('PATCH', `/records/Contact/${first!.Id}`, { Description: 'Met at the conference' });
    await env.DB.prepare('UPDATE connectors SET next_run_at = NULL').run();
    await syncConnector(env, connectorId);
    expect(await indexed()).toEqual(before);
    expect((await search(tenant.id, String(first!.Email))).map((h) => h.salesforceId)).toContain(first!.Id);
  });

  it('takes the words as text, never as FTS5 syntax, and keeps tenants apart', async () => {
    const { tenant, connectorId } = await connectedConnector();
    await syncConnector(env, connectorId);
    for (const hostile of ['"', 'name:*', 'a OR b NOT c', "') ; DROP TABLE contact; --", 'NEAR(a b)', '^x']) {
      await expect(search(tenant.id, hostile)).resolves.toBeInstanceOf(Array);
    }
    const [first] = await salesforceRecords('Contact', ['Id', 'Email']);
    expect(await search(crypto.randomUUID(), String(first!.Email))).toEqual([]);
  });
});
