/** Steps through the extension's own pages that several browser tests share. */
import type { ExtensionBrowser } from './chromium';

/** Saves the Worker URL and API key through the options page, as an admin would. */
export async function configureExtension(browser: ExtensionBrowser, settings: { workerUrl: string; apiKey: string; oauthClientId?: string }) {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.getByLabel('Worker URL').fill(settings.workerUrl);
  await page.getByLabel('Tenant API key').fill(settings.apiKey);
  if (settings.oauthClientId) await page.getByLabel('Sign-in client id (optional)').fill(settings.oauthClientId);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('saved').waitFor();
  await page.close();
}
