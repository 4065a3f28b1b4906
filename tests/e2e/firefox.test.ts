/**
 * The main flows in Firefox ESR with the Firefox build (MV2, temporary add-on): options saved and tested, the panel
 * on the production match pattern, access turned on with the admin's session cookie, the same state in the popup,
 * and access turned off after its confirmation. puppeteer-core over WebDriver BiDi; `>>>` reaches into the panel's
 * shadow root.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from '../support/firefox';
import { resetWorld } from '../support/worker-api';

const env = inject('e2e');
const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';
const SHOTS = 'test-results/screenshots';
/** An element of the panel, found through its shadow root (test ids are unique on the page). */
const inPanel = (testId: string) => `>>> [data-testid="${testId}"]`;

async function text(page: Page, selector: string) {
  return page.$eval(selector, (el) => el.textContent ?? '').catch(() => null);
}

async function poll<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!env.firefox)('Firefox ESR: the main flows', () => {
  let firefox: FirefoxWithExtension;
  let popupPage: Page | undefined;

  beforeAll(async () => {
    await resetWorld(env);
    firefox = await launchFirefoxWithExtension({ extensionPath: env.firefoxExtensionPath, salesforceHttpsPort: env.salesforceHttpsPort });
  });
  afterAll(() => firefox?.close());

  it('sends an unconfigured admin from the panel to the options page, which saves and tests the settings', async () => {
    // WebDriver BiDi may not navigate to moz-extension:// pages itself (Chromium's CDP may): the panel's own
    // "Open the extension options" opens it, as an admin would.
    const setup = await firefox.browser.newPage();
    await setup.goto(SETUP_HOME);
    const open = await setup.waitForSelector(inPanel('open-options'), { timeout: 15_000 });
    const before = (await firefox.browser.pages()).length;
    await open!.click();
    // The options tab: BiDi reports moz-extension:// tabs by their first URL (about:blank), so take the new one.
    await poll(async () => (await firefox.browser.pages()).length, (n) => n > before, 15_000);
    const page = (await firefox.browser.pages()).at(-1)!;
    await page.waitForSelector('#worker-url');
    await page.$eval('#worker-url', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#worker-url', env.workerUrl);
    await page.type('#api-key', env.apiKey);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="saved"]');
    await page.click('xpath/.//button[normalize-space()="Test"]');
    expect(await poll(() => text(page, '[data-testid="tenant-name"]'), (t) => t === env.tenantName)).toBe(env.tenantName);
    await page.screenshot({ path: `${SHOTS}/firefox-options.png` });
    // The popup, opened from the extension's own page for the same reason.
    await page.evaluate(() => location.assign('popup.html'));
    expect(await poll(() => text(page, '[data-testid="tenant-name"]'), (t) => t === env.tenantName, 15_000)).toBe(env.tenantName);
    popupPage = page;
    await setup.close();
  });

  it('turns access on from the panel in Setup, shows it in the popup, and turns it off', async () => {
    const page = await firefox.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(SETUP_HOME);
    const toggle = await page.waitForSelector(inPanel('access-toggle'), { timeout: 15_000 });
    expect(await toggle!.evaluate((el) => el.getAttribute('aria-checked'))).toBe('false');
    await poll(() => toggle!.evaluate((el) => (el as HTMLInputElement).disabled), (disabled) => !disabled, 15_000);
    await toggle!.click();
    await page.waitForSelector(inPanel('connection-details'), { timeout: 60_000 });
    expect(await toggle!.evaluate((el) => el.getAttribute('aria-checked'))).toBe('true');
    expect(await text(page, inPanel('detail-consumer-key'))).toMatch(/^FB[0-9A-Za-z]{60}$/);
    expect(await text(page, inPanel('operation-summary'))).toMatch(/^Salesforce access is on\./);
    await page.screenshot({ path: `${SHOTS}/firefox-panel-connected.png` });

    const popup = popupPage!;
    await popup.click('[data-testid="popup-refresh"]');
    expect(await poll(() => text(popup, '[data-testid="connection-state"]'), (t) => t === 'Connected', 15_000)).toBe('Connected');
    await popup.screenshot({ path: `${SHOTS}/firefox-popup.png` });

    await toggle!.click();
    await page.waitForSelector(inPanel('confirm-off'));
    await page.click('>>> [data-testid="confirm-off"] .slds-button_destructive');
    expect(await poll(() => page.$eval(inPanel('agent-connection'), (el) => el.getAttribute('data-status')).catch(() => null), (s) => s === 'off', 60_000)).toBe('off');
    expect(await toggle!.evaluate((el) => el.getAttribute('aria-checked'))).toBe('false');
    await page.close();
  });
});
