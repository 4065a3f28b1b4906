/**
 * Finds Debian's Chromium for the browser tests and launches it with the built extension loaded.
 *
 * Locally, a machine without Chromium skips only the browser tests, saying how to install it. In CI (`CI=true`)
 * a missing Chromium is an error: browser tests are required there.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const CHROMIUM_PATH = CANDIDATES.find((path) => existsSync(path));

export const INSTALL_HINT = 'Browser tests need Debian\'s Chromium: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH).';

export function assertBrowserAvailable(): boolean {
  if (CHROMIUM_PATH) return true;
  if (process.env.CI) throw new Error(`CI requires the browser tests, but Chromium is missing. ${INSTALL_HINT}`);
  console.warn(`\n⚠ Skipping browser tests. ${INSTALL_HINT}\n`);
  return false;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

/**
 * Headless Chromium with the unpacked extension. Salesforce host names resolve to the local HTTPS server (so the
 * production match patterns are what is exercised); its self-signed certificate is accepted.
 */
export async function launchWithExtension(options: { extensionPath: string; salesforceHttpsPort: number }): Promise<ExtensionBrowser> {
  if (!CHROMIUM_PATH) throw new Error(INSTALL_HINT);
  const profile = mkdtempSync(join(tmpdir(), 'forcebridge-chromium-'));
  const target = `127.0.0.1:${options.salesforceHttpsPort}`;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${options.extensionPath}`,
      `--load-extension=${options.extensionPath}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--ignore-certificate-errors',
      `--host-resolver-rules=MAP *.my.salesforce-setup.com ${target}, MAP *.lightning.force.com ${target}, MAP *.my.salesforce.com ${target}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
