/**
 * `GET /services/data` (the API versions, no session needed; shape of rest/versions_services_data.postman.json;
 * the REST resources themselves accept 50.0–66.0),
 * `GET /services/data/vXX.X` (the resources of a version) and the `/limits` resources (limits/limits.camel.json,
 * limits/limits_recordCount_*.cumulusci.json).
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { sfJson, type AppEnv } from '../http';
import { objectAccess } from '../org/access';
import { MAX_VERSION } from './auth';

const SEASONS = ['Spring', 'Summer', 'Winter'] as const;

/** v21.0 was Spring '11; three releases a year since. */
export function versionList(): { label: string; url: string; version: string }[] {
  const list = [];
  for (let major = 21; major <= MAX_VERSION; major++) {
    const k = major - 21;
    const year = 11 + Math.floor((k + 1) / 3);
    // Salesforce's own list writes v42.0 with a typographic apostrophe (rest/versions_services_data.postman.json).
    const apostrophe = major === 42 ? '’' : "'";
    list.push({ label: `${SEASONS[k % 3]} ${apostrophe}${String(year).padStart(2, '0')}`, url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return list;
}

export function versionsRoute(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  routes.get('/', (c) => sfJson(c, versionList()));
  return routes;
}

export function versionResources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = ['composite', 'jobs', 'limits', 'metadata', 'query', 'queryAll', 'sobjects'];
  return Object.fromEntries(names.map((name) => [name, `${base}/${name}`]));
}

export function limitsRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  routes.get('/', (c) => sfJson(c, emulator.org.limits.limitsBody()));
  routes.get('/recordCount', function recordCount(c) {
    const org = emulator.org;
    const userId = c.get('session').userId;
    const wanted = (c.req.query('sObjects') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    const schemas = (wanted.length > 0 ? wanted.map((name) => org.schemas.get(name)) : org.schemas.all()).filter(
      (schema) => schema !== undefined && objectAccess(org, userId, schema.name).read,
    );
    const sObjects = schemas
      .map((schema) => ({ count: org.table(schema?.name ?? '')?.countLive() ?? 0, name: schema?.name ?? '' }))
      .filter((entry) => wanted.length > 0 || entry.count > 0);
    return sfJson(c, { sObjects });
  });
  return routes;
}
