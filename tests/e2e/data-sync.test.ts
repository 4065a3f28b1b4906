/**
 * The connector from the admin's seat, in Chromium with the real extension, Worker (queue consumer included) and
 * the emulated org: create a Contact+Account connector with the default mappings, activate it, watch the first
 * sync finish with the right counts, see a change arrive after the next sync, remove a mapping and see the data
 * stay, have an incompatible mapping refused, and find the same state in the popup.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executeSql } from '../../scripts/lib/wrangler';
import type { ExtensionBrowser } from '../support/chromium';
import { openPanel, openSetupWithAccessOn } from '../support/setup-page';
import { clickNext } from '../support/wizard';
import { resetWorld } from '../support/worker-api';

const env = inject('e2e');
const SHOTS = 'test-results/screenshots';

const emulator = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
  (await fetch(`${env.emulatorUrl}/__emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;

const d1 = <Row>(sql: string) => executeSql<Row>({ persistTo: env.d1PersistTo }, sql);

describe.skipIf(!env.browser)('Data synchronization in the panel', () => {
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    await resetWorld(env);
    ({ browser, page } = await openSetupWithAccessOn(env));
  });
  afterAll(() => browser?.close());

  it('creates a Contact+Account connector with the default mappings, activates it and shows the first sync finish', async () => {
    const panel = page.getByTestId('connectors-panel');
    await panel.getByTestId('new-connector').click();
    const wizard = panel.getByTestId('connector-wizard');
    expect(await wizard.getByRole('checkbox').count()).toBe(2);
    expect(await wizard.getByText(/Recommended: both/).isVisible()).toBe(true);
    await clickNext(wizard, 'Tables', 'Column mapping');

    expect(await wizard.getByTestId('mapping-contact').isVisible()).toBe(true);
    expect(await wizard.getByTestId('mapping-account').isVisible()).toBe(true);
    expect(await wizard.getByLabel('Email', { exact: true }).getAttribute('data-value')).toBe('Email');
    await page.screenshot({ path: `${SHOTS}/wizard-mapping.png` });
    await clickNext(wizard, 'Column mapping', 'Destination and schedule');

    await clickNext(wizard, 'Destination and schedule');
    expect(await wizard.getByRole('alert').textContent()).toMatch(/Name the team/);
    await wizard.getByLabel('Owning team').fill('Sales');
    await clickNext(wizard, 'Destination and schedule', 'Review');

    const review = wizard.getByTestId('wizard-review');
    await expect.poll(() => review.getByTestId('estimate').textContent(), { timeout: 15_000 }).toMatch(/500 contact, 50 account · about \d+ API calls?/);
    expect(await review.getByTestId('permission-coverage').textContent()).toBe('The connection can read every mapped field.');
    await page.screenshot({ path: `${SHOTS}/wizard-review.png` });
    await wizard.getByRole('button', { name: 'Create' }).click();
    await wizard.getByRole('button', { name: 'Activate' }).click();

    const card = panel.getByTestId('connector-card');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('Active');
    const rows = card.getByTestId('table-row');
    expect(await rows.filter({ has: page.locator('th', { hasText: 'contact' }) }).getByTestId('table-rows').textContent()).toBe('500');
    expect(await rows.filter({ has: page.locator('th', { hasText: 'account' }) }).getByTestId('table-rows').textContent()).toBe('50');
    expect(await card.getByTestId('last-run-status').allTextContents()).toEqual(['Succeeded', 'Succeeded']);
    await card.getByText('Diagnostics').click();
    await expect.poll(() => card.getByTestId('api-usage').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/connector-synced.png`, fullPage: true });
  });

  it('shows a change made in Salesforce after the next sync', async () => {
    const { records } = await emulator<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact LIMIT 1' });
    const id = records[0]!.Id;
    await emulator('PATCH', `/records/Contact/${id}`, { LastName: 'Changed in Salesforce' });
    const card = page.getByTestId('connectors-panel').getByTestId('connector-card');
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await d1<{ lastname: string }>(`SELECT lastname FROM contact WHERE forcebridge_salesforce_id = '${id}'`))[0]?.lastname, { timeout: 60_000 }).toBe('Changed in Salesforce');
    await expect.poll(() => card.getByText(/1 written/).count(), { timeout: 30_000 }).toBeGreaterThan(0);
  });

  it('removes a mapping, saying what it does, and the copied data stays', async () => {
    const before = await d1<{ n: number }>('SELECT COUNT(*) AS n FROM contact WHERE fax IS NOT NULL');
    expect(before[0]!.n).toBeGreaterThan(0);
    const panel = page.getByTestId('connectors-panel');
    await panel.getByTestId('connector-card').getByRole('button', { name: 'Edit' }).click();
    const wizard = panel.getByTestId('connector-wizard');
    await clickNext(wizard, 'Tables', 'Column mapping');
    await wizard.getByTestId('mapping-contact').getByLabel('Fax', { exact: true }).fill('not synced');
    await page.keyboard.press('Enter');
    await clickNext(wizard, 'Column mapping', 'Destination and schedule');
    await clickNext(wizard, 'Destination and schedule', 'Review');
    await expect.poll(() => wizard.getByTestId('change-effects').textContent(), { timeout: 15_000 }).toBe('Stops syncing fax on contact; the values already copied stay.');
    await wizard.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => wizard.count()).toBe(0);
    const after = await d1<{ n: number }>('SELECT COUNT(*) AS n FROM contact WHERE fax IS NOT NULL');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('marks an incompatible mapping on its row as it is typed, and Next waits until it is fixed', async () => {
    const panel = page.getByTestId('connectors-panel');
    await panel.getByTestId('connector-card').getByRole('button', { name: 'Edit' }).click();
    const wizard = panel.getByTestId('connector-wizard');
    await clickNext(wizard, 'Tables', 'Column mapping');
    await wizard.getByTestId('mapping-account').getByLabel('Number of Employees', { exact: true }).fill('Other field');
    await page.keyboard.press('Enter');
    await wizard.getByLabel('Salesforce API name for Number of Employees').fill('Name');
    // On the mapping step itself, on the row: not only when Create is pressed.
    const row = wizard.locator('tr[data-column="numberofemployees"]');
    await expect.poll(() => row.getByTestId('mapping-problem').textContent()).toMatch(/Name is a Salesforce string field and cannot fill numberofemployees \(Integer\)/);
    expect(await wizard.getByLabel('Salesforce API name for Number of Employees').getAttribute('aria-invalid')).toBe('true');
    await clickNext(wizard, 'Column mapping');
    expect(await wizard.getByTestId('wizard-problem').textContent()).toBe('Fix the row marked in red before going on.');
    expect(await wizard.getByTestId('mapping-account').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/wizard-refused.png` });

    // Reset to defaults puts the predefined field back in the list, not an empty "Other field" box.
    await wizard.getByTestId('reset-account').click();
    expect(await wizard.getByTestId('mapping-account').getByLabel('Number of Employees', { exact: true }).getAttribute('data-value')).toBe('NumberOfEmployees');
    expect(await wizard.getByLabel('Salesforce API name for Number of Employees').count()).toBe(0);
    expect(await row.getByTestId('mapping-problem').count()).toBe(0);
    await wizard.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => wizard.count()).toBe(0);
  });

  it('shows the same state in the popup', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const row = popup.getByTestId('connector-row');
    await expect.poll(() => row.getByTestId('connector-state').textContent(), { timeout: 15_000 }).toBe('Active');
    expect(await row.getByTestId('connector-summary').textContent()).toMatch(/^550 rows · last sync/);
    await popup.screenshot({ path: `${SHOTS}/popup-connectors.png` });
    await popup.close();
  });
});
