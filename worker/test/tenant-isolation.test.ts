/**
 * Tenant isolation on every connection and connector route: another tenant's valid key, holding the ids of this
 * tenant's connection and connector, learns nothing and changes nothing. A foreign id answers exactly as an id that
 * does not exist; lists never show another tenant's rows; and the owner finds everything as it was.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminSession, control, freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';
import { connectedConnector } from './sync-fixtures';

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `:connection` and `:connector` are replaced by the owner's ids, or by ids that exist nowhere */
  path: string;
  body?: 'session' | Record<string, unknown>;
}

/** Every route under /api/connections and /api/connectors that names one of them (see the routers' headers). */
const ROUTES_BY_ID: Route[] = [
  { method: 'GET', path: '/api/connections/:connection' },
  { method: 'POST', path: '/api/connections/:connection/advance', body: 'session' },
  { method: 'POST', path: '/api/connections/:connection/turn-off', body: 'session' },
  { method: 'POST', path: '/api/connections/:connection/reconnect', body: 'session' },
  { method: 'POST', path: '/api/connections/:connection/update-permissions', body: 'session' },
  { method: 'POST', path: '/api/connections/:connection/verify' },
  { method: 'GET', path: '/api/connections/:connection/fields/contact' },
  { method: 'POST', path: '/api/connections/:connection/fields/refresh', body: 'session' },
  { method: 'GET', path: '/api/connections/:connection/estimate' },
  { method: 'GET', path: '/api/connectors/:connector' },
  { method: 'PATCH', path: '/api/connectors/:connector', body: { name: 'Taken over' } },
  { method: 'PATCH', path: '/api/connectors/:connector?dryRun=true', body: { intervalMinutes: 60 } },
  { method: 'DELETE', path: '/api/connectors/:connector' },
  { method: 'POST', path: '/api/connectors/:connector/activate' },
  { method: 'POST', path: '/api/connectors/:connector/deactivate' },
  { method: 'POST', path: '/api/connectors/:connector/reset', body: { table: 'contact' } },
  { method: 'POST', path: '/api/connectors/:connector/sync' },
  { method: 'POST', path: '/api/connectors/:connector/reconcile' },
  { method: 'GET', path: '/api/connectors/:connector/runs' },
  { method: 'GET', path: '/api/connectors/:connector/rejects' },
  { method: 'GET', path: '/api/connectors/:connector/rejects?names=true' },
  { method: 'POST', path: '/api/connectors/:connector/rejects/retry', body: {} },
  { method: 'POST', path: '/api/connectors', body: { connectionId: ':connection', team: 'Intruders', tables: [{ table: 'contact' }] } },
  { method: 'POST', path: '/api/connectors?dryRun=true', body: { connectionId: ':connection', team: 'Intruders', tables: [{ table: 'contact' }] } },
];

let owner: Awaited<ReturnType<typeof connectedConnector>>;
let intruder: Awaited<ReturnType<typeof newTenant>>;
let session: Awaited<ReturnType<typeof adminSession>>;

beforeAll(async () => {
  await freshOrgAndTenants();
  owner = await connectedConnector();
  intruder = await newTenant('Intruder');
  session = await adminSession();
});

async function send(route: Route, key: string, ids: { connection: string; connector: string }) {
  const fill = (text: string) => text.replace(':connection', ids.connection).replace(':connector', ids.connector);
  const body = route.body === 'session' ? { session } : route.body && JSON.parse(fill(JSON.stringify(route.body)));
  const response = await call(fill(route.path), {
    method: route.method,
    key,
    ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

const snapshot = async () => ({
  connection: await env.DB.prepare('SELECT status, operation, drift, verified_at FROM connections WHERE id = ?1').bind(owner.connection.id).first(),
  connector: await env.DB.prepare('SELECT name, active, interval_minutes, next_run_at FROM connectors WHERE id = ?1').bind(owner.connectorId).first(),
  tables: (await env.DB.prepare('SELECT table_name, mapping, enabled FROM connector_tables WHERE connector_id = ?1 ORDER BY table_name').bind(owner.connectorId).all()).results,
  connectors: (await env.DB.prepare('SELECT COUNT(*) AS n FROM connectors').first<{ n: number }>())!.n,
});

describe('another tenant’s key', () => {
  it.each(ROUTES_BY_ID.map((r) => [`${r.method} ${r.path}`, r] as const))('%s answers as for an id that does not exist, and changes nothing', async (_, route) => {
    const before = await snapshot();
    const callsBefore = Object.values(await control<Record<string, number>>('GET', '/calls')).reduce((a, b) => a + b, 0);
    const foreign = await send(route, intruder.key, { connection: owner.connection.id, connector: owner.connectorId });
    const nowhere = await send(route, intruder.key, { connection: crypto.randomUUID(), connector: crypto.randomUUID() });
    expect(foreign.status).toBe(404);
    expect(foreign).toEqual(nowhere);
    expect(await snapshot()).toEqual(before);
    // Nothing was asked of the owner's org on the intruder's behalf.
    expect(Object.values(await control<Record<string, number>>('GET', '/calls')).reduce((a, b) => a + b, 0)).toBe(callsBefore);
  });

  it('lists none of the owner’s connections or connectors, with or without filters', async () => {
    for (const path of ['/api/connections', `/api/connections?instanceUrl=${encodeURIComponent(owner.connection.instanceUrl)}`, '/api/connectors', `/api/connectors?connectionId=${owner.connection.id}`]) {
      expect((await send({ method: 'GET', path }, intruder.key, { connection: '', connector: '' })).body, path).toEqual([]);
    }
  });

  it('cannot take over the owner’s org by turning access on with a session for it', async () => {
    const before = await snapshot();
    const response = await send({ method: 'POST', path: '/api/connections', body: 'session' }, intruder.key, { connection: '', connector: '' });
    expect(response.status).toBe(409);
    expect((response.body as { error: { code: string } }).error.code).toBe('org_connected_elsewhere');
    expect(await snapshot()).toEqual(before);
  });

  it('leaves the owner seeing everything as it was', async () => {
    const connector = await send({ method: 'GET', path: '/api/connectors/:connector' }, owner.tenant.key, { connection: owner.connection.id, connector: owner.connectorId });
    expect(connector.status).toBe(200);
    expect((connector.body as { name: string }).name).toBe('Contacts and accounts');
    const connection = await send({ method: 'GET', path: '/api/connections/:connection' }, owner.tenant.key, { connection: owner.connection.id, connector: owner.connectorId });
    expect((connection.body as { status: string }).status).toBe('connected');
  });
});
