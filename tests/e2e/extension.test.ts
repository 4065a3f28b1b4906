/**
 * The walking skeleton in a real browser: the Connectors panel follows Lightning's client-side navigation on a
 * production Salesforce host name, the options page saves and tests settings, and the popup shows the local
 * Worker's health and tenant.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium';

const env = inject('e2e');
const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';

describe.skipIf(!env.browser)('extension in Chromium', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchWithExtension({ extensionPath: env.extensionPath, salesforceHttpsPort: env.salesforceHttpsPort });
  });
  afterAll(() => browser?.close());

  it('saves settings in the options page and tests them against the Worker', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));

    await page.getByLabel('Worker URL').fill('not a url');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText(/Worker URL must be a URL/).isVisible()).toBe(true);

    await page.getByLabel('Worker URL').fill(env.workerUrl);
    await page.getByLabel('Tenant API key').fill(`fbk_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not valid or has been revoked/);

    await page.getByLabel('Tenant API key').fill(env.apiKey);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('saved').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toBe(env.tenantName);
    expect(await page.getByTestId('extension-origin').textContent()).toBe(`chrome-extension://${browser.extensionId}`);

    await page.reload();
    await expect.poll(() => page.getByLabel('Worker URL').inputValue()).toBe(env.workerUrl);
    await page.close();
  });

  it('shows the Worker health and tenant in the popup', async () => {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('popup.html'));
    await expect.poll(() => page.getByTestId('worker-state').textContent(), { timeout: 15_000 }).toBe('Reachable');
    expect(await page.getByTestId('tenant-name').textContent()).toBe(env.tenantName);
    await page.screenshot({ path: 'test-results/screenshots/popup.png' });
    await page.close();
  });

  it('shows the panel on Setup pages only, following client-side navigation', async () => {
    const page = await browser.context.newPage();
    const panel = page.getByTestId('connectors-panel');
    await page.goto(SETUP_HOME);
    await expect.poll(() => panel.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => panel.getByTestId('tenant-name').textContent()).toBe(env.tenantName);
    expect(await panel.getByTestId('org-domain').textContent()).toBe('acme');
    await page.screenshot({ path: 'test-results/screenshots/panel-setup-home.png' });

    // Navigation is client-side: a marker on window survives it, proving the page never reloaded.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByRole('link', { name: 'Contacts' }).click();
    await expect.poll(() => page.url()).toMatch(/\/lightning\/o\/Contact\/list/);
    await expect.poll(() => panel.count(), { timeout: 5_000 }).toBe(0);

    await page.getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => panel.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    await page.close();
  });

  it('collapses to a tab and never covers Setup when hidden', async () => {
    const page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    await expect.poll(() => panel.isVisible(), { timeout: 10_000 }).toBe(true);
    await panel.getByTestId('panel-collapse').click();
    await expect.poll(() => page.getByTestId('panel-open').isVisible()).toBe(true);
    expect(await panel.count()).toBe(0);
    await page.getByTestId('panel-open').click();
    await expect.poll(() => panel.isVisible()).toBe(true);
    await page.close();
  });
});
