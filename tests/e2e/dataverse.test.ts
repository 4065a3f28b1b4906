/**
 * Dataverse as a destination, from the admin's seat, in Chromium with the real extension, the Worker under
 * `wrangler dev` (queue consumer included), the emulated org and the Dataverse emulator (one environment and its
 * Entra ID tenant; only the Worker talks to it): add an environment with a certificate (shown to upload, refused
 * until it is uploaded, then connected) and remove it; add one with a client secret (a wrong one refused in words
 * that say what to do) and test it; create a connector that writes there, with a team picked from the environment's
 * list and its privileges checked; see the destination and status on the card and in the popup. Each new state is
 * audited with axe. The last test checks that the rows arrived in the Dataverse environment, owned by the team and
 * linked to their accounts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guidFromSalesforceId } from '../../shared/mapping/guid';
import { PANEL, seriousViolations } from '../support/axe';
import type { ExtensionBrowser } from '../support/chromium';
import { shootWidths } from '../support/screenshots';
import { openSetupWithAccessOn } from '../support/setup-page';
import { clickNext } from '../support/wizard';
import { resetWorld, updatePermissions } from '../support/worker-api';

const env = inject('e2e');
const dv = env.dataverse;
const HOST = new URL(dv.environmentUrl).hostname;


const admin = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> =>
  (await fetch(`${env.workerUrl}${path}`, { method, headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;

/** The Dataverse emulator's control API (no token; never counted or throttled). */
const dataverse = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${dv.emulatorUrl}/__emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`Dataverse emulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const salesforce = async <T>(soql: string) =>
  ((await (await fetch(`${env.emulatorUrl}/__emulator/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ soql }) })).json()) as { records: T[] }).records;

type StoredRow = { id: string; values: Record<string, unknown> };

async function addEnvironment(page: Page, secret?: string) {
  const form = page.getByTestId('dataverse-add-form');
  if (!(await form.isVisible())) await page.getByTestId('new-dataverse').click();
  await form.getByLabel('Environment URL').fill(dv.environmentUrl);
  await form.getByLabel('Directory (tenant) ID').fill(dv.tenantId);
  await form.getByLabel('Application (client) ID').fill(dv.clientId);
  if (secret !== undefined) {
    await form.getByLabel('Client secret', { exact: true }).check();
    await form.getByLabel('Client secret value').fill(secret);
  }
  await form.getByTestId('add-dataverse').click();
  const item = page.getByTestId('dataverse-connection');
  await item.waitFor({ timeout: 15_000 });
  return item;
}

async function removeEnvironment(page: Page) {
  const section = page.getByTestId('dataverse');
  await section.getByRole('button', { name: `Remove ${HOST}…` }).click();
  await page.getByTestId('confirm-remove-dataverse').getByRole('button', { name: 'Remove' }).click();
  await expect.poll(() => section.getByTestId('dataverse-connection').count(), { timeout: 15_000 }).toBe(0);
}

describe.skipIf(!env.browser)('Dataverse as a destination', () => {
  let browser: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    await resetWorld(env);
    for (const c of await admin<{ id: string }[]>('/api/dataverse-connections')) await admin(`/api/dataverse-connections/${c.id}`, 'DELETE');
    await dataverse('POST', '/reset');
    ({ browser, page } = await openSetupWithAccessOn(env));
    await updatePermissions(env);
  });
  // The browser test files share one Worker, tenant and org: leave no connector or Dataverse connection behind.
  afterAll(async () => {
    await browser?.close();
    for (const c of await admin<{ id: string }[]>('/api/connectors')) await admin(`/api/connectors/${c.id}`, 'DELETE');
    for (const c of await admin<{ id: string }[]>('/api/dataverse-connections')) await admin(`/api/dataverse-connections/${c.id}`, 'DELETE');
  });

  it('adds an environment with a certificate: shows it to upload, says to upload it until it is, then connects; and removes it', async () => {
    await page.reload();
    const section = page.getByTestId('dataverse');
    await section.waitFor({ timeout: 15_000 });
    // Nothing typed: each field says what to enter, before anything is sent.
    await section.getByTestId('add-dataverse').click();
    expect(await section.getByTestId('dv-error-environmentUrl').textContent()).toMatch(/^Enter the environment URL as the Power Platform admin center shows it/);
    expect(await section.getByTestId('dv-error-clientId').textContent()).toMatch(/Application \(client\) ID/);
    expect(await section.getByLabel('Environment URL').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    const item = await addEnvironment(page);
    expect(await item.getByTestId('dataverse-status').textContent()).toBe('Not tested');
    const certificate = item.getByTestId('dataverse-certificate');
    const thumbprint = (await certificate.getByTestId('certificate-thumbprint').textContent())!;
    expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
    const pem = await certificate.getByTestId('certificate-pem').inputValue();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/);
    expect(pem).not.toMatch(/PRIVATE KEY/);
    const steps = await certificate.getByTestId('certificate-steps').locator('li').allTextContents();
    expect(steps.join(' ')).toContain('Upload certificate');
    expect(steps.join(' ')).toContain(thumbprint);
    await certificate.scrollIntoViewIfNeeded();
    await shootWidths(page, 'dataverse-certificate');
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    // Not uploaded yet: Entra ID refuses the assertion, and the panel says what to do.
    await item.getByTestId('test-dataverse').click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(await item.getByTestId('dataverse-error').textContent()).toMatch(/Upload the certificate shown for this connection to the app registration/);
    expect(await section.getByTestId('dataverse-error-banner').textContent()).toMatch(/Upload the certificate/);
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    // The admin uploads it to the app registration (here: the emulated Entra ID's), and tests again.
    const uploaded = await dataverse<{ thumbprint: string }>('POST', '/apps/default/certificates', { certificatePem: pem });
    expect(uploaded.thumbprint.toUpperCase()).toBe(thumbprint);
    await item.getByTestId('test-dataverse').click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    expect(await item.getByTestId('dataverse-status').textContent()).toBe('Connected');

    await removeEnvironment(page);
    expect(await admin<unknown[]>('/api/dataverse-connections')).toEqual([]);
  });

  it('adds an environment with a client secret: a wrong one is refused saying what to copy; the right one names the application user', async () => {
    const section = page.getByTestId('dataverse');
    let item = await addEnvironment(page, 'not-the-secret');
    await item.getByTestId('test-dataverse').click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(await item.getByTestId('dataverse-error').textContent()).toMatch(/^Entra ID refused the client secret\.Copy the secret's Value \(not its Secret ID\)/);
    // Entra ID's own answer is there too, folded.
    expect(await item.getByTestId('dataverse-error').locator('details').textContent()).toContain('AADSTS7000215');
    await removeEnvironment(page);

    item = await addEnvironment(page, dv.clientSecret);
    expect(await item.getByTestId('dataverse-certificate').count()).toBe(0);
    await item.getByTestId('test-dataverse').click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    const { applicationUserId } = await dataverse<{ applicationUserId: string }>('GET', '/credentials');
    const user = await dataverse<StoredRow>('GET', `/rows/systemuser/${applicationUserId}`);
    expect(await item.getByTestId('application-user').textContent()).toContain(String(user.values.fullname));
    expect(await section.getByTestId('dataverse-notice').textContent()).toBe(`Connected to ${HOST} as the application user ${user.values.fullname}.`);
    await shootWidths(page, 'dataverse-connected');
    expect(await seriousViolations(page, PANEL)).toEqual([]);
  });

  it('creates a connector that writes to Dataverse, with a team picked from the environment and its privileges checked, and shows where it writes', async () => {
    const panel = page.getByTestId('connectors-panel');
    await panel.getByTestId('new-connector').click();
    const wizard = panel.getByTestId('connector-wizard');
    await clickNext(wizard, 'Tables', 'Column mapping');
    expect(await wizard.getByTestId('mapping-contact').isVisible()).toBe(true);
    expect(await wizard.getByTestId('mapping-account').isVisible()).toBe(true);
    await clickNext(wizard, 'Column mapping', 'Destination and schedule');
    await wizard.getByTestId('destination-choice').waitFor({ timeout: 15_000 });

    await wizard.getByLabel(`Dataverse: ${HOST}`).check();
    const picker = wizard.getByTestId('team-picker');
    await picker.waitFor({ timeout: 15_000 });
    await clickNext(wizard, 'Destination and schedule');
    expect(await wizard.getByTestId('wizard-problem').textContent()).toBe('Pick the Dataverse team that will own the rows Forcebridge writes.');
    // An access team is listed but cannot own rows; searching narrows the list.
    await picker.getByLabel('Owning team').fill('support');
    expect(await picker.getByTestId('team-option').count()).toBe(1);
    expect(await picker.getByRole('radio', { name: /Support \(access team\)/ }).isDisabled()).toBe(true);
    // The application user's role lacks Assign on Contact: the check names the privilege and the fix, and Next waits.
    await dataverse('POST', '/privileges/application/revoke', { privileges: ['prvAssignContact'] });
    await picker.getByLabel('Owning team').fill('sales');
    await picker.getByRole('radio', { name: /^Sales/ }).check();
    await expect.poll(() => picker.getByTestId('team-access').textContent(), { timeout: 15_000 }).toMatch(/^The application user lacks prvAssignContact\.Give it a security role with Create, Read, Write, Delete, Append, Append To and Assign on Contact and Account/);
    await clickNext(wizard, 'Destination and schedule');
    expect(await wizard.getByTestId('wizard-problem').textContent()).toMatch(/^The application user lacks prvAssignContact\./);
    expect(await seriousViolations(page, PANEL)).toEqual([]);
    // The admin gives the role back in the environment, and checks again.
    await dataverse('POST', '/privileges/application/grant', { privileges: ['prvAssignContact'] });
    await picker.getByTestId('recheck-access').click();
    await expect.poll(() => picker.getByTestId('team-access').textContent(), { timeout: 15_000 }).toBe('The application user can write contacts and accounts owned by "Sales".');
    await shootWidths(page, 'wizard-dataverse-team');
    expect(await seriousViolations(page, PANEL)).toEqual([]);
    await clickNext(wizard, 'Destination and schedule', 'Review');

    const review = wizard.getByTestId('wizard-review');
    expect(await review.getByTestId('review-destination').textContent()).toBe(`Writes to Dataverse ${HOST}, rows owned by team Sales`);
    await wizard.getByRole('button', { name: 'Create' }).click();
    await wizard.getByRole('button', { name: 'Activate' }).click();

    const card = panel.getByTestId('connector-card');
    expect(await card.getByTestId('connector-destination').textContent()).toBe(`Writes to Dataverse ${HOST}, rows owned by team Sales`);
    const [connector] = await admin<{ destination: { kind: string; teamId: string } }[]>('/api/connectors');
    const { teams } = await dataverse<{ teams: StoredRow[] }>('GET', '/teams');
    expect(connector!.destination).toMatchObject({ kind: 'dataverse', teamId: teams.find((t) => t.values.name === 'Sales')!.id });
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 90_000 }).toBe('Active');
    await expect.poll(() => card.getByTestId('last-run-status').allTextContents(), { timeout: 30_000 }).toEqual(['Succeeded', 'Succeeded']);
    await card.getByText('Diagnostics').click();
    await shootWidths(page, 'connector-dataverse');
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    const environment = popup.getByTestId('dataverse-row');
    await expect.poll(() => environment.getByTestId('dataverse-state').textContent(), { timeout: 15_000 }).toBe('Connected');
    expect(await environment.textContent()).toContain(HOST);
    const row = popup.getByTestId('connector-row');
    expect(await row.getByTestId('connector-destination').textContent()).toBe(`Writes to Dataverse ${HOST}, rows owned by team Sales`);
    expect(await seriousViolations(popup)).toEqual([]);
    await popup.close();
  });

  it('the first sync lands every contact and account in the Dataverse environment, owned by the team, contacts linked to their accounts', async () => {
    const contacts = await salesforce<{ Id: string; AccountId: string | null }>('SELECT Id, AccountId FROM Contact');
    const accounts = await salesforce<{ Id: string }>('SELECT Id FROM Account');
    await expect.poll(async () => (await dataverse<{ count: number }>('GET', '/rows/contact?top=0')).count, { timeout: 90_000 }).toBe(contacts.length);
    expect((await dataverse<{ count: number }>('GET', '/rows/account?top=0')).count).toBe(accounts.length);

    const { teams } = await dataverse<{ teams: StoredRow[] }>('GET', '/teams');
    const sales = teams.find((t) => t.values.name === 'Sales')!.id;
    const stored = {
      contact: (await dataverse<{ rows: StoredRow[] }>('GET', `/rows/contact?top=${contacts.length}`)).rows,
      account: (await dataverse<{ rows: StoredRow[] }>('GET', `/rows/account?top=${accounts.length}`)).rows,
    };
    expect(new Set(stored.account.map((r) => r.id))).toEqual(new Set(accounts.map((a) => guidFromSalesforceId(a.Id))));
    expect(new Set(stored.contact.map((r) => r.id))).toEqual(new Set(contacts.map((c) => guidFromSalesforceId(c.Id))));
    for (const row of [...stored.contact, ...stored.account]) expect(row.values.ownerid).toEqual({ table: 'team', id: sales });
    const byId = new Map(stored.contact.map((r) => [r.id, r]));
    for (const c of contacts) {
      const parent = byId.get(guidFromSalesforceId(c.Id))!.values.parentcustomerid ?? null;
      expect(parent).toEqual(c.AccountId ? { table: 'account', id: guidFromSalesforceId(c.AccountId) } : null);
    }
  });

  it('follows an update and a delete made in Salesforce on the next sync', async () => {
    const [changed, gone] = await salesforce<{ Id: string }>('SELECT Id FROM Contact LIMIT 2');
    await fetch(`${env.emulatorUrl}/__emulator/records/Contact/${changed!.Id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ LastName: 'Changed in Salesforce' }) });
    await fetch(`${env.emulatorUrl}/__emulator/records/Contact/${gone!.Id}`, { method: 'DELETE' });
    const [connector] = await admin<{ deleteMode: 'hard' | 'soft' }[]>('/api/connectors');
    const card = page.getByTestId('connectors-panel').getByTestId('connector-card');
    await card.getByRole('button', { name: 'Sync now' }).click();
    const row = (id: string) => dataverse<StoredRow>('GET', `/rows/contact/${guidFromSalesforceId(id)}`).catch(() => null);
    await expect.poll(async () => (await row(changed!.Id))?.values.lastname, { timeout: 60_000 }).toBe('Changed in Salesforce');
    // Hard delete mode removes the row; soft mode deactivates it (statecode 1) and keeps it.
    if (connector!.deleteMode === 'hard') await expect.poll(() => row(gone!.Id), { timeout: 30_000 }).toBeNull();
    else await expect.poll(async () => (await row(gone!.Id))?.values.statecode, { timeout: 30_000 }).toBe(1);
  });
});
