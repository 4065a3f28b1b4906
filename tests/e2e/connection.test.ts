/**
 * The server-to-server connection from the admin's seat: on the emulated Setup page, turn access on, watch the
 * steps, see the connection details, and turn it off again. The extension hands over the admin's session cookie;
 * the Worker provisions through the emulator.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium';
import { configureExtension } from '../support/extension-pages';
import { resetWorld } from '../support/worker-api';

const env = inject('e2e');
const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';

async function emulatorOrg() {
  return (await fetch(`${env.emulatorUrl}/__emulator/org`)).json() as Promise<{
    users: { Username: string; IsActive: boolean; Profile: string | null }[];
    permissionSets: { Name: string }[];
    apps: { name: string; consumerKey?: string }[];
  }>;
}

describe.skipIf(!env.browser)('Salesforce access in the panel', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    await resetWorld(env);
    browser = await launchWithExtension({ extensionPath: env.extensionPath, salesforceHttpsPort: env.salesforceHttpsPort });
    await configureExtension(browser, env);
  });
  afterAll(() => browser?.close());

  it('turns access on, shows the details, and turns it off', async () => {
    const page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    const toggle = panel.getByRole('switch', { name: 'Salesforce access' });
    await expect.poll(() => toggle.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await toggle.getAttribute('aria-checked')).toBe('false');

    await toggle.click();
    const details = panel.getByTestId('connection-details');
    await expect.poll(() => details.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(await details.getByTestId('detail-app').textContent()).toBe('Forcebridge (External Client App)');
    // The consumer key Forcebridge chose and deployed (Salesforce never reveals one through the Metadata API).
    expect(await details.getByTestId('detail-consumer-key').textContent()).toMatch(/^FB[0-9A-Za-z]{60}$/);
    expect(await details.getByTestId('detail-permission-set').textContent()).toBe('Forcebridge_permission_set');
    expect(await details.getByTestId('detail-instance-url').textContent()).toBe('https://acme.my.salesforce.com');
    const username = (await details.getByTestId('detail-user').textContent())!;
    await page.screenshot({ path: 'test-results/screenshots/panel-connected.png' });

    const org = await emulatorOrg();
    expect(org.users.find((u) => u.Username === username)?.IsActive).toBe(true);
    expect(org.apps.map((a) => a.name)).toContain('Forcebridge');

    // The popup shows the same state.
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const row = popup.getByTestId('connection-row');
    await expect.poll(() => row.getAttribute('data-org')).toBe('acme');
    expect(await row.getByTestId('connection-state').textContent()).toBe('Connected');
    await popup.screenshot({ path: 'test-results/screenshots/popup-connected.png' });
    await popup.close();

    await toggle.click();
    await expect.poll(() => panel.getByTestId('confirm-off').isVisible()).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/panel-confirm-off.png' });
    await panel.getByRole('button', { name: 'Turn off', exact: true }).click();
    await expect.poll(() => panel.getByTestId('agent-connection').getAttribute('data-status'), { timeout: 30_000 }).toBe('off');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect(await details.count()).toBe(0);

    const after = await emulatorOrg();
    expect(after.apps.map((a) => a.name)).not.toContain('Forcebridge');
    expect(after.permissionSets.map((s) => s.Name)).not.toContain('Forcebridge_permission_set');
    expect(after.users.find((u) => u.Username === username)?.IsActive).toBe(false);
    await page.close();
  });

  it('shows a clear error with its fix when the org has no free integration licence', async () => {
    await fetch(`${env.emulatorUrl}/__emulator/licenses`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ 'Salesforce Integration': 0 }) });
    const page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    await expect.poll(() => panel.getByRole('switch', { name: 'Salesforce access' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await panel.getByRole('switch', { name: 'Salesforce access' }).click();
    const error = panel.getByTestId('connection-error');
    await expect.poll(() => error.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await error.textContent()).toMatch(/Integration user licence/i);
    expect(await error.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/panel-error.png' });
    await fetch(`${env.emulatorUrl}/__emulator/licenses`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ 'Salesforce Integration': 5 }) });
    await error.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => panel.getByTestId('connection-details').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.close();
  });

  it('connects an org whose admin reads Salesforce in French and whose integration profile has its older name', async () => {
    await resetWorld(env);
    const switches = { language: 'fr', legacyIntegrationProfileName: true };
    await fetch(`${env.emulatorUrl}/__emulator/switches`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(switches) });
    const page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    const toggle = panel.getByRole('switch', { name: 'Salesforce access' });
    await expect.poll(() => toggle.isVisible(), { timeout: 10_000 }).toBe(true);
    await toggle.click();
    const details = panel.getByTestId('connection-details');
    await expect.poll(() => details.isVisible(), { timeout: 30_000 }).toBe(true);

    const consumerKey = await details.getByTestId('detail-consumer-key').textContent();
    const username = (await details.getByTestId('detail-user').textContent())!;
    const org = await emulatorOrg();
    expect(org.apps.find((a) => a.name === 'Forcebridge')?.consumerKey).toBe(consumerKey);
    expect(org.users.find((u) => u.Username === username)).toMatchObject({ IsActive: true, Profile: 'Salesforce API Only System Integrations' });
    await page.screenshot({ path: 'test-results/screenshots/panel-connected-fr.png' });
    await page.close();
    await resetWorld(env);
  });
});
