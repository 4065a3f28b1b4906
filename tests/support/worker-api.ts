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

/** The emulated admin's Salesforce session, as the extension would hand it over. */
async function adminSession(env: Env) {
  const { accessToken } = (await (await fetch(`${env.emulatorUrl}/__emulator/admin`)).json()) as { accessToken: string };
  return { instanceUrl: 'https://acme.my.salesforce.com', accessToken };
}

/** Runs a connection operation to its end, as the panel does (`advance` until done). */
async function runToEnd(env: Env, connectionId: string, operation: string, session: Awaited<ReturnType<typeof adminSession>>) {
  let state = await api(env, `/api/connections/${connectionId}/${operation}`, { method: 'POST', body: { session } });
  for (let i = 0; i < 20 && !state.done; i++) state = await api(env, `/api/connections/${connectionId}/advance`, { method: 'POST', body: { session } });
}

/**
 * Update permissions on the tenant's connection, as the admin would: another test file may have left the permission
 * set narrower than the default mappings need.
 */
export async function updatePermissions(env: Env) {
  const [connection] = await api(env, '/api/connections');
  await runToEnd(env, connection!.id, 'update-permissions', await adminSession(env));
}

/**
 * Deletes the tenant's connectors, turns access off for every connection of the tenant (with the emulated admin's session), then gives the
 * emulator a fresh org: browser test files share one Worker and one org, and an org belongs to one tenant.
 */
export async function resetWorld(env: Env) {
  // Connectors of an earlier file would show up beside this file's own (same tenant, same org).
  for (const connector of await api(env, '/api/connectors')) await api(env, `/api/connectors/${connector.id}`, { method: 'DELETE' });
  const session = await adminSession(env);
  for (const connection of await api(env, '/api/connections')) {
    if (connection.status !== 'off') await runToEnd(env, connection.id, 'turn-off', session);
  }
  await fetch(`${env.emulatorUrl}/__emulator/reset`, { method: 'POST' });
}
