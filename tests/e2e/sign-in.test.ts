/**
 * When the org refuses API use of the browser session, the panel says so and offers Sign in with Salesforce: the
 * OAuth web-server flow with PKCE in the browser's own auth window, whose token then turns access on.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium';
import { configureExtension } from '../support/extension-pages';
import { resetWorld } from '../support/worker-api';

const env = inject('e2e');
const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';
const CLIENT_ID = 'ForcebridgeAdminSignIn0000000000000000001';

const emulator = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await fetch(`${env.emulatorUrl}/__emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;

describe.skipIf(!env.browser)('Sign in with Salesforce', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    await resetWorld(env);
    browser = await launchWithExtension({ extensionPath: env.extensionPath, salesforceHttpsPort: env.salesforceHttpsPort });
    // The org's admin made a client app for admin sign-in, with the extension's redirect URL as its callback.
    await emulator('PATCH', '/switches', { connectedAppCreationAllowed: true });
    const { accessToken } = await emulator<{ accessToken: string }>('GET', '/admin');
    const admin = new jsforce.Connection({ instanceUrl: env.emulatorUrl, accessToken, version: '62.0' });
    const saved = (await admin.metadata.create('ConnectedApp', {
      fullName: 'Forcebridge_admin_sign_in',
      label: 'Forcebridge admin sign-in',
      contactEmail: 'admin@acme.example.com',
      oauthConfig: { callbackUrl: `https://${browser.extensionId}.chromiumapp.org/salesforce`, consumerKey: CLIENT_ID, scopes: ['Api'], isConsumerSecretOptional: true },
    } as never)) as unknown as { success: boolean };
    expect(saved.success).toBe(true);
    await configureExtension(browser, { ...env, oauthClientId: CLIENT_ID });
  });
  afterAll(() => browser?.close());

  it('offers the sign-in when the browser session is refused, and turns access on with it', async () => {
    const page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    const toggle = panel.getByRole('switch', { name: 'Salesforce access' });
    await toggle.waitFor({ timeout: 15_000 });

    // The session in the browser's cookie stops being accepted by the API.
    const [sid] = await browser.context.cookies('https://acme.my.salesforce.com');
    await emulator('POST', '/sessions/expire', { token: sid!.value });

    await toggle.click();
    const problem = panel.getByTestId('connection-problem');
    await expect.poll(() => problem.textContent(), { timeout: 15_000 }).toMatch(/did not accept your browser session/);
    await page.screenshot({ path: 'test-results/screenshots/panel-session-refused.png' });

    await problem.getByRole('button', { name: 'Sign in with Salesforce' }).click();
    await expect.poll(() => panel.getByTestId('connection-details').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await page.close();
  });
});
