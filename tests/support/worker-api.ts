/** The local Worker's API as browser tests need it behind the scenes: leaving the shared org as they found it. */
interface Env {
  workerUrl: string;
  apiKey: string;
  emulatorUrl: string;
}

async function api(env: Env, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${env.workerUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return (await response.json()) as { id: string; status: string; done: boolean }[] & { id: string; status: string; done: boolean };
}

/**
 * Deletes the tenant's connectors, turns access off for every connection of the tenant (with the emulated admin's session), then gives the
 * emulator a fresh org: browser test files share one Worker and one org, and an org belongs to one tenant.
 */
export async function resetWorld(env: Env) {
  // Connectors of an earlier file would show up beside this file's own (same tenant, same org).
  for (const connector of await api(env, '/api/connectors')) await api(env, `/api/connectors/${connector.id}`, { method: 'DELETE' });
  const { accessToken } = (await (await fetch(`${env.emulatorUrl}/__emulator/admin`)).json()) as { accessToken: string };
  const session = { instanceUrl: 'https://acme.my.salesforce.com', accessToken };
  for (const connection of await api(env, '/api/connections')) {
    if (connection.status === 'off') continue;
    let state = await api(env, `/api/connections/${connection.id}/turn-off`, { method: 'POST', body: { session } });
    for (let i = 0; i < 20 && !state.done; i++) state = await api(env, `/api/connections/${connection.id}/advance`, { method: 'POST', body: { session } });
  }
  await fetch(`${env.emulatorUrl}/__emulator/reset`, { method: 'POST' });
}
