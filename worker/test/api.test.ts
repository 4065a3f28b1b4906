import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { HealthSchema, TenantSchema } from '../../shared/api';
import { EXTENSION_ORIGIN, call, newTenant } from './helpers';

describe('GET /api/health', () => {
  it('reports the version and a migrated, reachable database without a key', async () => {
    const response = await call('/api/health');
    expect(response.status).toBe(200);
    const body = HealthSchema.parse(await response.json());
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.database).toMatchObject({ reachable: true, upToDate: true });
    expect(body.database.migrationsApplied).toBeGreaterThan(0);
  });

  it('says degraded with 503 when migrations are behind', async () => {
    await env.DB.prepare('DELETE FROM d1_migrations WHERE name = (SELECT MAX(name) FROM d1_migrations)').run();
    const response = await call('/api/health');
    expect(response.status).toBe(503);
    expect(HealthSchema.parse(await response.json())).toMatchObject({ status: 'degraded', database: { upToDate: false } });
  });
});

describe('authentication', () => {
  it('refuses a request without a key, saying what to send', async () => {
    const response = await call('/api/tenant');
    expect(response.status).toBe(401);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toMatch(/API key/);
  });

  it.each([
    ['a malformed header', 'Basic abc'],
    ['an unknown key', `Bearer fbk_${'A'.repeat(43)}`],
    ['garbage', 'Bearer nonsense'],
  ])('refuses %s', async (_, authorization) => {
    const response = await call('/api/tenant', { headers: { Authorization: authorization } });
    expect(response.status).toBe(401);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe('unauthorized');
  });

  it('refuses a revoked key', async () => {
    const acme = await newTenant();
    await env.DB.prepare("UPDATE api_keys SET revoked_at = 'now'").run();
    expect((await call('/api/tenant', { key: acme.key })).status).toBe(401);
  });

  it('scopes each key to its own tenant', async () => {
    const acme = await newTenant('Acme');
    const globex = await newTenant('Globex');
    const seenByAcme = TenantSchema.parse(await (await call('/api/tenant', { key: acme.key })).json());
    const seenByGlobex = TenantSchema.parse(await (await call('/api/tenant', { key: globex.key })).json());
    expect(seenByAcme).toMatchObject({ id: acme.id, name: 'Acme' });
    expect(seenByGlobex).toMatchObject({ id: globex.id, name: 'Globex' });
  });

  it('never stores the key itself', async () => {
    const acme = await newTenant();
    const { results } = await env.DB.prepare('SELECT * FROM api_keys').all();
    expect(JSON.stringify(results)).not.toContain(acme.key);
  });
});

describe('bad input', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const acme = await newTenant();
    const response = await call('/api/nope', { key: acme.key });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/api/nope') } });
    expect((await call('/nope')).status).toBe(404);
  });

  it('does not reveal which /api routes exist to a caller without a key', async () => {
    expect((await call('/api/nope')).status).toBe(401);
  });

  it('names the problem in malformed JSON', async () => {
    const acme = await newTenant();
    const response = await call('/api/tenant', {
      method: 'PATCH',
      key: acme.key,
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('invalid_json');
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('names the field that fails validation', async () => {
    const acme = await newTenant();
    const response = await call('/api/tenant', {
      method: 'PATCH',
      key: acme.key,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: '' }),
    });
    expect(response.status).toBe(400);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('name') });
  });

  it('renames the tenant with a valid body', async () => {
    const acme = await newTenant();
    const response = await call('/api/tenant', {
      method: 'PATCH',
      key: acme.key,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme Corp' }),
    });
    expect(response.status).toBe(200);
    expect(TenantSchema.parse(await response.json()).name).toBe('Acme Corp');
  });
});

describe('CORS', () => {
  it('answers the extension origin with CORS headers', async () => {
    const response = await call('/api/health', { headers: { Origin: EXTENSION_ORIGIN } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(EXTENSION_ORIGIN);
  });

  it('answers a preflight from the extension', async () => {
    const response = await call('/api/tenant', {
      method: 'OPTIONS',
      headers: { Origin: EXTENSION_ORIGIN, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(EXTENSION_ORIGIN);
  });

  it('refuses any other browser origin', async () => {
    const response = await call('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe('origin_not_allowed');
  });
});
