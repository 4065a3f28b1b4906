/**
 * The D1 destination reads a page's rows with jsonb_each (SQLite 3.51). A D1 whose SQLite refuses it must still get
 * the page: the refused batch was rolled back whole, the page is written again with json_each, and json_each is used
 * from then on. Here a D1 stands in that refuses any statement naming jsonb_each, as an older SQLite would.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { cursorOf } from '../src/db/cursors';
import { d1Destination } from '../src/destinations/d1';
import { newTenant } from './helpers';
import { lastNameConnector } from './sync-fixtures';

/** env.DB, but a statement that reads rows with jsonb_each fails as "no such table" does on an older SQLite. */
function withoutJsonbEach(refused: string[]): D1Database {
  return new Proxy(env.DB, {
    get(db, name) {
      if (name === 'prepare') {
        return (sql: string) => {
          if (!sql.includes('jsonb_each(')) return db.prepare(sql);
          refused.push(sql);
          return db.prepare('SELECT * FROM jsonb_each_missing_in_this_sqlite');
        };
      }
      const value = Reflect.get(db, name) as unknown;
      return typeof value === 'function' ? value.bind(db) : value;
    },
  });
}

it('writes the page and its cursor with json_each where jsonb_each is refused, and keeps to json_each', async () => {
  const tenant = await newTenant();
  const { connectorId, cursor: before, convert } = await lastNameConnector(tenant.id);
  const page = (id: string, lastname: string) => convert([{ Id: id, LastName: lastname, SystemModstamp: '2026-11-21T10:00:00.000+0000' }], new Date().toISOString());
  const refused: string[] = [];
  const destination = d1Destination(withoutJsonbEach(refused));
  const at = new Date().toISOString();

  const written = await destination.commitPage(page('003000000000001AAA', 'Ada'), { cursor: { ...before, next_page: '/page2' }, runId: crypto.randomUUID(), passEndedAt: null, at });
  expect(written.upserted).toBe(1);
  expect(refused).toHaveLength(1);
  expect((await cursorOf(env.DB, connectorId, 'contact'))?.next_page).toBe('/page2');

  await destination.commitPage(page('003000000000002AAA', 'Grace'), { cursor: { ...before, next_page: '/page3' }, runId: crypto.randomUUID(), passEndedAt: null, at });
  expect(refused).toHaveLength(1);
  const { results } = await env.DB.prepare('SELECT lastname FROM contact WHERE tenant_id = ?1 ORDER BY lastname').bind(tenant.id).all<{ lastname: string }>();
  expect(results.map((r) => r.lastname)).toEqual(['Ada', 'Grace']);
});
