/**
 * Brings up what the browser tests drive: the extension built as for release, the Worker on workerd with a fresh
 * local D1 (migrated, with one tenant made by the same code as `npm run tenant`), the Salesforce emulator serving
 * its Setup lookalike over HTTPS, and the Dataverse emulator (one environment and its Entra ID tenant) that the
 * Worker reaches for `https://acme.crm.dynamics.com`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTenantWithKey } from '../../scripts/lib/tenants';
import { ROOT, applyMigrations, freePort, startLocalWorker } from '../../scripts/lib/wrangler';
import { startDataverseEmulator } from '../dataverse-emulator';
import { startEmulator } from '../salesforce-emulator';
import { CHROMIUM_PATH, assertBrowserAvailable } from '../support/chromium';
import { FIREFOX_EXTENSION_ORIGIN, assertFirefoxAvailable } from '../support/firefox';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: {
      browser: boolean;
      extensionPath: string;
      /** Firefox ESR is there and the Firefox build (`wxt build -b firefox`) is made */
      firefox: boolean;
      firefoxExtensionPath: string;
      workerUrl: string;
      apiKey: string;
      tenantName: string;
      salesforceHttpsPort: number;
      emulatorUrl: string;
      /** the Worker's local D1, for reading what the sync wrote */
      d1PersistTo: string;
      /** the Dataverse emulator: what an admin enters for its environment, and its control API's base URL */
      dataverse: { emulatorUrl: string; environmentUrl: string; tenantId: string; clientId: string; clientSecret: string };
    };
  }
}

export default async function setup(project: TestProject) {
  const browser = assertBrowserAvailable();
  const firefox = assertFirefoxAvailable();
  const extensionPath = join(ROOT, '.output', 'chrome-mv3');
  const firefoxExtensionPath = join(ROOT, '.output', 'firefox-mv2');
  const wxtBuild = (...args: string[]) => {
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', ...args], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`Building the extension failed:\n${build.stdout}\n${build.stderr}`);
  };
  if (browser) wxtBuild();
  if (firefox) wxtBuild('-b', 'firefox');

  const persistTo = mkdtempSync(join(tmpdir(), 'forcebridge-e2e-d1-'));
  await applyMigrations({ persistTo });
  const tenant = await createTenantWithKey({ persistTo }, 'E2E Team');
  const emulator = await startEmulator({ port: 0, https: true, seed: { accounts: 50, contacts: 500 } });
  const dataverse = await startDataverseEmulator({ port: 0 });
  const worker = await startLocalWorker({
    port: await freePort(),
    persistTo,
    quiet: true,
    vars: {
      ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
      // The browser reaches the org's hosts through Chromium's host-resolver rules; the Worker through this.
      SALESFORCE_DEV_ORIGINS: `https://acme.my.salesforce.com=${emulator.url}`,
      // Only the Worker talks to Dataverse and Entra ID: send it to the Dataverse emulator.
      DATAVERSE_DEV_ORIGINS: `${dataverse.environmentUrl}=${dataverse.url}`,
      ENTRA_DEV_ORIGIN: dataverse.url,
      // The development Chrome build's fixed id (wrangler.toml) and the Firefox build's pinned internal UUID.
      ALLOWED_ORIGINS: `chrome-extension://enjhnpgdobcaicgmhhamcmagjeaeebhh,${FIREFOX_EXTENSION_ORIGIN}`,
    },
  });

  project.provide('e2e', {
    browser: browser && !!CHROMIUM_PATH,
    extensionPath,
    firefox,
    firefoxExtensionPath,
    workerUrl: worker.url,
    apiKey: tenant.apiKey,
    tenantName: tenant.name,
    salesforceHttpsPort: emulator.httpsPort!,
    emulatorUrl: emulator.url,
    d1PersistTo: persistTo,
    dataverse: {
      emulatorUrl: dataverse.url,
      environmentUrl: dataverse.environmentUrl,
      tenantId: dataverse.tenantId,
      clientId: dataverse.clientId,
      clientSecret: dataverse.clientSecret,
    },
  });

  return async () => {
    await Promise.allSettled([worker.stop(), emulator.close(), dataverse.close()]);
    rmSync(persistTo, { recursive: true, force: true });
  };
}
