/** Test helpers for Worker integration tests: a tenant with a real key, and requests through the real app. */
import { env, exports } from 'cloudflare:workers';
import { generateApiKey, hashApiKey } from '../src/api-keys';
import { createTenant } from '../src/db/tenants';

export const EXTENSION_ORIGIN = 'chrome-extension://enjhnpgdobcaicgmhhamcmagjeaeebhh';

export async function newTenant(name = 'Acme') {
  const key = generateApiKey();
  const id = crypto.randomUUID();
  await createTenant(env.DB, { id, name }, { id: crypto.randomUUID(), hash: await hashApiKey(key), label: 'test' });
  return { id, name, key };
}

export function call(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('Authorization', `Bearer ${init.key}`);
  return exports.default.fetch(new Request(`https://forcebridge.test${path}`, { ...init, headers }));
}
