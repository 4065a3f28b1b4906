/**
 * `npm start`: everything needed to try Forcebridge locally, then what to do next.
 *  1. migrates the local D1 (wrangler's .wrangler/state);
 *  2. makes sure a local tenant exists and knows its key (kept in .dev/local-tenant.json, git-ignored), and that
 *     .dev.vars holds an ENCRYPTION_KEY and points the demo org's My Domain at the emulator;
 *  3. builds the extension for loading unpacked (.output/chrome-mv3);
 *  4. starts the Salesforce emulator with a small demo org, for trying it without a real org, and beside it the
 *     Dataverse emulator with a demo environment; what to enter for that environment goes to
 *     .dev/dataverse-demo.json (its client secret is kept there, so it survives restarts);
 *  5. runs the Worker with `wrangler dev` on http://localhost:8787 until Ctrl+C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../tests/salesforce-emulator';
import { startDataverseDemo } from './lib/dataverse-demo';
import { type CreatedTenant, createTenantWithKey, listTenants } from './lib/tenants';
import { ROOT, applyMigrations, startLocalWorker } from './lib/wrangler';

const WORKER_PORT = Number(process.env.FORCEBRIDGE_WORKER_PORT ?? 8787);
const EMULATOR_PORT = Number(process.env.FORCEBRIDGE_EMULATOR_PORT ?? 4455);
const EMULATOR_HTTPS_PORT = Number(process.env.FORCEBRIDGE_EMULATOR_HTTPS_PORT ?? 4456);
const DATAVERSE_PORT = Number(process.env.FORCEBRIDGE_DATAVERSE_PORT ?? 4457);
const TENANT_FILE = join(ROOT, '.dev', 'local-tenant.json');
const DATAVERSE_DEMO_FILE = join(ROOT, '.dev', 'dataverse-demo.json');
/** The emulator's demo org answers as this My Domain; the local Worker is told where it really is. */
const DEMO_ORG_ORIGIN = 'https://acme.my.salesforce.com';

function step(message: string) {
  console.log(`\n▸ ${message}`);
}

async function localTenant(): Promise<CreatedTenant> {
  if (existsSync(TENANT_FILE)) {
    const saved = JSON.parse(readFileSync(TENANT_FILE, 'utf8')) as CreatedTenant;
    const tenants = await listTenants({});
    if (tenants.some((tenant) => tenant.id === saved.id)) return saved;
  }
  const created = await createTenantWithKey({}, 'Local team');
  mkdirSync(join(ROOT, '.dev'), { recursive: true });
  writeFileSync(TENANT_FILE, JSON.stringify(created, null, 2));
  return created;
}

/** Local secrets and development settings for `wrangler dev`; kept if already there (the key must not change). */
function ensureDevVars(emulatorUrl: string, dataverse: { environmentUrl: string; emulatorUrl: string }) {
  const file = join(ROOT, '.dev.vars');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const regenerated = ['SALESFORCE_DEV_ORIGINS=', 'DATAVERSE_DEV_ORIGINS=', 'ENTRA_DEV_ORIGIN='];
  const lines = existing.split('\n').filter((line) => line.trim() && !regenerated.some((name) => line.startsWith(name)));
  if (!lines.some((line) => line.startsWith('ENCRYPTION_KEY='))) {
    lines.push(`ENCRYPTION_KEY=${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`);
  }
  lines.push(`SALESFORCE_DEV_ORIGINS=${DEMO_ORG_ORIGIN}=${emulatorUrl}`);
  // The demo Dataverse environment and its Entra ID token endpoint, both served by the Dataverse emulator.
  lines.push(`DATAVERSE_DEV_ORIGINS=${dataverse.environmentUrl}=${dataverse.emulatorUrl}`, `ENTRA_DEV_ORIGIN=${dataverse.emulatorUrl}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const hostRules = (port: number) =>
  ['*.my.salesforce-setup.com', '*.my.salesforce.com', '*.lightning.force.com'].map((host) => `MAP ${host} 127.0.0.1:${port}`).join(', ');

async function main() {
  step('Applying D1 migrations to the local database');
  await applyMigrations({});

  step('Preparing the local tenant');
  const tenant = await localTenant();

  step('Building the extension');
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The extension build failed (see above).');

  step('Starting the Salesforce emulator');
  const emulator = await startEmulator({ port: EMULATOR_PORT, https: { port: EMULATOR_HTTPS_PORT }, seed: { accounts: 50, contacts: 500 } });

  step('Starting the Dataverse emulator (demo environment)');
  const dataverse = await startDataverseDemo({ port: DATAVERSE_PORT, file: DATAVERSE_DEMO_FILE });

  ensureDevVars(emulator.url, dataverse.demo);

  step('Starting the Worker (wrangler dev)');
  const worker = await startLocalWorker({ port: WORKER_PORT });

  console.log(`
────────────────────────────────────────────────────────────────────────────
 Forcebridge is running.

 Worker           ${worker.url}   (health: ${worker.url}/api/health)
 Tenant           ${tenant.name}
 API key          ${tenant.apiKey}
 Extension        ${join(ROOT, '.output', 'chrome-mv3')}
 Salesforce demo  ${emulator.url}   (admin ${emulator.adminUsername})
 Dataverse demo   ${dataverse.demo.emulatorUrl}   (written to ${DATAVERSE_DEMO_FILE})
   Environment URL  ${dataverse.demo.environmentUrl}
   Tenant id        ${dataverse.demo.tenantId}
   Client id        ${dataverse.demo.clientId}
   Client secret    ${dataverse.demo.clientSecret}
 MCP endpoint     ${worker.url}/mcp   (for AI agents; OAuth token URL ${worker.url}/oauth/token)

 Next:
  1. Chrome → chrome://extensions → Developer mode → Load unpacked → the Extension folder above.
  2. Open the extension's options, set Worker URL ${worker.url} and the API key above, press Test.
  3. Open Setup in your Salesforce org: the Connectors panel appears on the right.
  4. For an AI agent: panel → Agent access → Create credential (the key is shown once, with an MCP client
     configuration), or: curl -X POST ${worker.url}/api/agent-credentials -H "Authorization: Bearer <API key>" \
       -H "Content-Type: application/json" -d '{"name":"My agent"}'

 Check an org before turning access on (read-only; this one is the demo org):
  npm run doctor -- --instance-url ${emulator.url} --access-token ${emulator.adminAccessToken}

 No org at hand? Open the demo org's Setup in a browser that sends Salesforce's host names to the emulator:
  chromium --user-data-dir=/tmp/forcebridge-demo --ignore-certificate-errors \
    --host-resolver-rules="${hostRules(emulator.httpsPort!)}" \
    --load-extension=${join(ROOT, '.output', 'chrome-mv3')} https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home

 Ctrl+C stops everything.
────────────────────────────────────────────────────────────────────────────`);

  const shutdown = async () => {
    await Promise.allSettled([worker.stop(), emulator.close(), dataverse.emulator.close()]);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  worker.process.on('exit', (code) => {
    console.error(`wrangler dev exited (${code}).`);
    void Promise.allSettled([emulator.close(), dataverse.emulator.close()]).then(() => process.exit(code ?? 1));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
