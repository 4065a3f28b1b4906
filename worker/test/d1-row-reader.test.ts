/**
 * The D1 destination reads a page's rows with jsonb_each (SQLite 3.51). A D1 whose SQLite refuses it must still get
 * the page: the refused batch was rolled back whole, the page is written again with json_each, and json_each is used
 * from then on. Here a D1 stands in that refuses any statement naming jsonb_each, as an older SQLite would.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { insertConnectorStatements } from '../src/db/connectors';
import { cursorOf, saveCursorStatement } from '../src/db/cursors';
import { d1Destination } from '../src/destinations/d1';
import { freshCursor } from '../src/sync/cursor';
import { pageConverter } from '../src/sync/convert-page';
import { newTenant } from './helpers';

const TEAM = guidFromSalesforceId('00G000000000001');

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
  const connectionId = crypto.randomUUID();
  await env.DB.prepare(
    "INSERT INTO connections (id, tenant_id, org_id, instance_url, login_audience, status, operation, app_name, integration_username, permission_set_name) VALUES (?1, ?2, ?3, 'https://x', 'https://login', 'connected', 'turn_on', 'a', 'u', 'p')",
  )
    .bind(connectionId, tenant.id, `00D${connectionId.slice(0, 12)}`)
    .run();
  const connectorId = crypto.randomUUID();
  const mapping = { lastname: 'LastName' };
  await env.DB.batch(
    insertConnectorStatements(env.DB, { id: connectorId, tenant_id: tenant.id, connection_id: connectionId, name: 'n', team_name: 't', team_id: TEAM, interval_minutes: 15, delete_mode: 'hard', budget_threshold: 0.2 }, [{ table: 'contact', mapping }]),
  );
  const target = { tenantId: tenant.id, connectorId, table: 'contact' as const, deleteMode: 'hard' as const, rewriteSameVersion: false };
  const before = freshCursor(connectorId, 'contact', new Date());
  await saveCursorStatement(env.DB, before).run();
  const convert = pageConverter({ target, mapping, fields: new Map([['LastName', { name: 'LastName', type: 'string' }]]), teamId: TEAM });
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
