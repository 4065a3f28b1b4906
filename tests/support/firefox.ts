/**
 * Debian's Firefox ESR with the extension's Firefox build, driven by puppeteer-core over WebDriver BiDi (stock
 * Firefox speaks it; Playwright's Firefox needs its own patched build). Firefox has no host-resolver rules, so
 * HTTPS goes through a small local CONNECT proxy that tunnels every host to the emulator's TLS port: the
 * production match patterns (`https://*.my.salesforce-setup.com/*`) are what is exercised, as in Chromium.
 *
 * Locally a machine without Firefox skips these tests, saying how to install it; in CI (`CI=true`) it is an error.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];
export const FIREFOX_PATH = CANDIDATES.find((path) => existsSync(path));
export const FIREFOX_HINT = 'Firefox tests need Debian\'s Firefox ESR: run `sudo apt-get install -y firefox-esr` (or set FIREFOX_PATH).';

export function assertFirefoxAvailable(): boolean {
  if (FIREFOX_PATH) return true;
  if (process.env.CI) throw new Error(`CI requires the Firefox tests, but Firefox is missing. ${FIREFOX_HINT}`);
  console.warn(`\n⚠ Skipping Firefox tests. ${FIREFOX_HINT}\n`);
  return false;
}

/** The gecko id in wxt.config.ts, and the internal UUID we pin for it so the extension's origin is known. */
export const GECKO_ID = 'forcebridge@forcebridge.dev';
export const FIREFOX_EXTENSION_UUID = '6f0b1b7e-2d0c-4c55-9a8e-4f3c1d7e9a10';
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

/** Tunnels every CONNECT to the emulator's HTTPS port, whatever host the browser asked for. */
function startTunnel(targetPort: number): Promise<Server> {
  const server = createServer((_, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export interface FirefoxWithExtension {
  browser: Browser;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(options: { extensionPath: string; salesforceHttpsPort: number }): Promise<FirefoxWithExtension> {
  if (!FIREFOX_PATH) throw new Error(FIREFOX_HINT);
  const tunnel = await startTunnel(options.salesforceHttpsPort);
  const port = (tunnel.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), 'forcebridge-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': port,
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': '',
      // Plain http (the local Worker) goes direct: only the Salesforce hosts are HTTPS here.
      'network.proxy.http': '',
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      'datareporting.policy.dataSubmissionEnabled': false,
      'app.update.enabled': false,
    },
  });
  await browser.installExtension(options.extensionPath);
  return {
    browser,
    extensionUrl: (path) => `${FIREFOX_EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`,
    async close() {
      // Closing over BiDi can hang after a failed test; never let it hold the suite.
      await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      browser.process()?.kill('SIGKILL');
      await new Promise((resolve) => tunnel.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
