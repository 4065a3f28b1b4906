/**
 * Where most browser tests begin: a Salesforce Setup page with the extension's panel on it, and Salesforce access
 * turned on from that panel as an admin would. Each step waits on what the admin would see (the switch, the
 * connection's details), never on time.
 */
import type { Locator, Page } from 'playwright-core';
import { type ExtensionBrowser, launchWithExtension } from './chromium';
import { configureExtension } from './extension-pages';

export const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';

/** Opens `url` (Setup's home by default) and waits until the panel shows its Salesforce access switch. */
export async function openPanel(page: Page, url = SETUP_HOME): Promise<Locator> {
  await page.goto(url);
  const panel = page.getByTestId('connectors-panel');
  await panel.getByRole('switch', { name: 'Salesforce access' }).waitFor({ timeout: 15_000 });
  return panel;
}

/** Turns Salesforce access on with the panel's switch when it is off, and waits for the connection's details. */
export async function turnAccessOn(panel: Locator): Promise<void> {
  const toggle = panel.getByRole('switch', { name: 'Salesforce access' });
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await panel.getByTestId('connection-details').waitFor({ timeout: 30_000 });
}

interface Settings {
  extensionPath: string;
  salesforceHttpsPort: number;
  workerUrl: string;
  apiKey: string;
}

/** Chromium with the extension pointed at the test Worker, on Setup's home with Salesforce access on. */
export async function openSetupWithAccessOn(settings: Settings): Promise<{ browser: ExtensionBrowser; page: Page; panel: Locator }> {
  const browser = await launchWithExtension(settings);
  await configureExtension(browser, settings);
  const page = await browser.context.newPage();
  const panel = await openPanel(page);
  await turnAccessOn(panel);
  return { browser, page, panel };
}
