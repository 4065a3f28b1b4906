/**
 * A copy that stays true (issue #17), in Chromium with the real extension, Worker and emulated org: a table's row
 * filter edited with its live match count and an invalid filter's message, a mapped formula field shown with its
 * refresh cadence, and "Reconcile now" from the card with its result in Diagnostics.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { PANEL, seriousViolations } from '../support/axe';
import type { ExtensionBrowser } from '../support/chromium';
import { openSetupWithAccessOn } from '../support/setup-page';
import { resetWorld, updatePermissions } from '../support/worker-api';

const env = inject('e2e');
const SHOTS = 'test-results/screenshots';

const admin = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> =>
  (await fetch(`${env.workerUrl}${path}`, { method, headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;
const salesforceCount = async (where: string) =>
  ((await (await fetch(`${env.emulatorUrl}/__emulator/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ soql: `SELECT Id FROM Contact WHERE ${where}` }) })).json()) as { records: unknown[] }).records.length;

describe.skipIf(!env.browser)('A copy that stays true (issue #17)', () => {
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    await resetWorld(env);
    ({ browser, page } = await openSetupWithAccessOn(env));

    // A contact connector mapping the formula Account_Name__c, with the permission set updated to read it.
    const [connection] = await admin<{ id: string }[]>('/api/connections');
    const connector = await admin<{ id: string }>('/api/connectors', 'POST', {
      connectionId: connection!.id,
      team: 'Sales',
      tables: [{ table: 'contact', mapping: { ...DEFAULT_MAPPINGS.contact, nickname: 'Account_Name__c' } }],
    });
    await updatePermissions(env);
    await admin(`/api/connectors/${connector.id}/activate`, 'POST');
  });
  // The browser test files share one Worker, tenant and org: leave no connector behind.
  afterAll(async () => {
    await browser?.close();
    for (const c of await admin<{ id: string }[]>('/api/connectors')) await admin(`/api/connectors/${c.id}`, 'DELETE');
  });

  it('shows a mapped formula field with its refresh cadence once the first sync is done', async () => {
    await page.reload();
    const card = page.getByTestId('connectors-panel').getByTestId('connector-card');
    await expect.poll(() => card.getByTestId('last-run-status').allTextContents(), { timeout: 60_000 }).toEqual(['Succeeded']);
    const formula = card.getByTestId('formula-fields');
    expect(await formula.textContent()).toMatch(/^Account_Name__c: formula — refreshed daily \(about [\d,]+ API calls? a day\)/);
    expect(await seriousViolations(page, PANEL)).toEqual([]);
  });

  it('counts the records a filter matches live, and says what is wrong with an invalid one', async () => {
    const card = page.getByTestId('connectors-panel').getByTestId('connector-card');
    const editor = card.getByTestId('filter-editor');
    const input = editor.getByTestId('filter-input');

    await input.fill('Email != null');
    await editor.getByRole('button', { name: 'Count matches' }).click();
    const expected = await salesforceCount('Email != null');
    await expect.poll(() => editor.getByTestId('filter-matches').textContent(), { timeout: 15_000 }).toBe(`${expected.toLocaleString('en-US')} records match now`);
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    await editor.getByRole('button', { name: 'Preview change' }).click();
    const effects = editor.getByTestId('filter-effects');
    await expect.poll(() => effects.textContent(), { timeout: 15_000 }).toContain(`Filters contact to Contact records where Email != null (${expected.toLocaleString('en-US')} match now).`);
    expect(await effects.textContent()).toMatch(/copied contact rows leave the copy .* on the next sync: a re-read of about [\d,]+ API calls?\./);
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    await input.fill('Email != null AND');
    await editor.getByRole('button', { name: 'Count matches' }).click();
    const problem = editor.getByTestId('filter-problem');
    await expect
      .poll(() => problem.locator('.fb-alert__message').textContent(), { timeout: 15_000 })
      .toBe('The contact filter is not a condition Forcebridge can apply: it does not parse (look for a dangling AND or OR, or an unclosed quote or parenthesis).');
    expect(await problem.locator('.fb-alert__more').textContent()).toBe("Write a SOQL condition on Contact fields, such as Email != null AND MailingCountry = 'France'.");
    expect(await editor.getByTestId('filter-matches').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/filter-invalid.png` });
    expect(await seriousViolations(page, PANEL)).toEqual([]);
    await input.fill('');
  });

  it('reconciles on demand from the card and shows the result in Diagnostics', async () => {
    const card = page.getByTestId('connectors-panel').getByTestId('connector-card');
    await card.getByRole('button', { name: 'Reconcile now' }).click();
    await card.getByText('Diagnostics').click();
    const line = card.getByTestId('reconciliation-line').filter({ hasText: /^contact:/ });
    const total = await salesforceCount('Id != null');
    await expect
      .poll(async () => (await line.textContent())?.split(' · ')[0], { timeout: 90_000, interval: 1_000 })
      .toBe(`contact: Last reconciled: ${total.toLocaleString('en-US')} Ids compared, 0 removed.`);
    expect(await line.getAttribute('data-tone')).toBe('success');
    expect(await line.textContent()).toMatch(/ · .+ · \d+ API calls?$/);
    await page.screenshot({ path: `${SHOTS}/reconciled.png`, fullPage: true });
    expect(await seriousViolations(page, PANEL)).toEqual([]);
  });
});
