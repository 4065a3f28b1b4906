/**
 * Agent access from both seats: the admin creates an agent credential in the panel (key shown once, with the MCP
 * configuration and Agentforce's registration fields, which are tried on the token endpoint), then an MCP client in
 * Node (the official SDK over Streamable HTTP) uses that key against the local Worker (`wrangler dev`) and gets what
 * Salesforce holds; the panel lists the calls and the popup says access is on.
 * The section is audited with axe in each state and screenshotted, and a credential is revoked by keyboard.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PANEL, seriousViolations } from '../support/axe';
import type { ExtensionBrowser } from '../support/chromium';
import { shootWidths } from '../support/screenshots';
import { openSetupWithAccessOn } from '../support/setup-page';
import { resetWorld, updatePermissions } from '../support/worker-api';

const env = inject('e2e');

const admin = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> =>
  (await fetch(`${env.workerUrl}${path}`, { method, headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;

/** The element that has focus, looking through the panel's shadow root. */
const focusedTestId = (page: Page) =>
  page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-testid');
  });

/** A registration's fields as the panel shows them: label → value (its note and copy button left out). */
const registrationFields = async (list: Locator): Promise<Record<string, string>> => {
  const labels = await list.locator('dt').allTextContents();
  const values = await list.locator('dd .fb-mono').allTextContents();
  return Object.fromEntries(labels.map((label, i) => [label, values[i]!]));
};

const salesforceContacts = async () =>
  ((await (await fetch(`${env.emulatorUrl}/__emulator/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ soql: 'SELECT Id, Email, LastName FROM Contact' }) })).json()) as {
    records: { Id: string; Email: string | null; LastName: string }[];
  }).records;

describe.skipIf(!env.browser)('Agent access', () => {
  let browser: ExtensionBrowser;
  let page: Page;
  let connectorId: string | undefined;

  beforeAll(async () => {
    await resetWorld(env);
    ({ browser, page } = await openSetupWithAccessOn(env));
    // The data the agent will read: a connector synced by the Worker's own queue consumer.
    const [connection] = await admin<{ id: string }[]>('/api/connections');
    const connector = await admin<{ id: string }>('/api/connectors', 'POST', { connectionId: connection!.id, team: 'Sales', tables: [{ table: 'contact' }, { table: 'account' }] });
    connectorId = connector.id;
    // Before the first sync, as the admin would.
    await updatePermissions(env);
    await admin(`/api/connectors/${connector.id}/activate`, 'POST');
    for (let waited = 0; ; waited += 1000) {
      const { tables } = await admin<{ tables: { lastRun: { status: string } | null }[] }>(`/api/connectors/${connector.id}`);
      if (tables.every((t) => t.lastRun?.status === 'succeeded')) break;
      if (waited > 90_000) throw new Error(`the first sync did not finish: ${JSON.stringify(tables.map((t) => t.lastRun))}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
  // The browser test files share one Worker, tenant and org: leave no connector or credential behind for the next.
  afterAll(async () => {
    await browser?.close();
    if (connectorId) await admin(`/api/connectors/${connectorId}`, 'DELETE');
    for (const credential of await admin<{ id: string; revokedAt: string | null }[]>('/api/agent-credentials')) {
      if (!credential.revokedAt) await admin(`/api/agent-credentials/${credential.id}`, 'DELETE');
    }
  });

  it('creates a credential in the panel, and an MCP client in Node reads what Salesforce holds with it', async () => {
    await page.reload();
    const section = page.getByTestId('agent-access');
    await section.waitFor({ timeout: 15_000 });
    expect(await section.getByTestId('mcp-url').textContent()).toBe(`${env.workerUrl}/mcp`);
    await section.getByTestId('agent-name').fill('Sales agent');
    await section.getByTestId('create-credential').click();
    const key = (await section.getByTestId('created-key').textContent({ timeout: 15_000 }))!;
    expect(key).toMatch(/^fba_/);
    expect(await section.getByTestId('mcp-config').textContent()).toContain(`"Authorization": "Bearer ${key}"`);
    // Agentforce's registration fields, under the names its Registry form uses, with values that work: the token
    // endpoint answers them the way Agentforce's named credential calls it (client id and secret in Basic).
    const agentforce = await registrationFields(section.getByTestId('agentforce-fields'));
    expect(agentforce).toMatchObject({ URL: `${env.workerUrl}/mcp`, 'Identity Provider URL': `${env.workerUrl}/oauth/token`, Scope: 'mcp', 'Client Secret': key });
    const token = await fetch(agentforce['Identity Provider URL']!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${btoa(`${agentforce['Client ID']}:${agentforce['Client Secret']}`)}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: agentforce.Scope! }),
    });
    expect(token.status).toBe(200);
    expect(await section.getByTestId('agentforce-tools').textContent()).toContain('listTables, describeTable, search, getRecord, queryRecords, syncStatus');
    // Create's button is disabled once the name is cleared: focus goes to the key shown once, not to the page.
    expect(await focusedTestId(page)).toBe('created-credential');
    // The org is connected, so its live-tools switch is there, off until the admin turns it on.
    const liveTools = section.getByRole('switch', { name: 'Live tools for acme.my.salesforce.com' });
    expect(await liveTools.getAttribute('aria-checked')).toBe('false');
    // Switched on and off again (the next test file expects it off): the Worker's answer is what the switch shows.
    await liveTools.click();
    await expect.poll(() => liveTools.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');
    expect((await admin<{ liveTools: { enabled: boolean }[] }>('/api/agent-access')).liveTools[0]?.enabled).toBe(true);
    await liveTools.click();
    await expect.poll(() => liveTools.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('false');
    await section.getByTestId('created-credential').scrollIntoViewIfNeeded();
    await shootWidths(page, 'agent-access-created');
    expect(await seriousViolations(page, PANEL)).toEqual([]);

    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${env.workerUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      return result.structuredContent as Record<string, unknown>;
    };
    const contacts = await salesforceContacts();
    const { tables } = (await call('listTables')) as { tables: { table: string; rows: number }[] };
    expect(tables.find((t) => t.table === 'contact')?.rows).toBe(contacts.length);
    // The last contact: another browser test edits the first ones, and the copy keeps the newest version it saw.
    const sample = contacts.filter((c) => c.Email).at(-1)!;
    const { hits } = (await call('search', { query: sample.Email })) as { hits: { salesforceId: string }[] };
    expect(hits[0]?.salesforceId).toBe(sample.Id);
    const found = (await call('getRecord', { id: sample.Id })) as { record: Record<string, unknown> };
    expect(found.record).toMatchObject({ emailaddress1: sample.Email, lastname: sample.LastName });
    await client.close();

    await page.reload();
    await expect.poll(() => page.getByTestId('agent-calls').textContent(), { timeout: 15_000 }).toContain('getRecord');
    expect(await section.getByTestId('agent-access-state').textContent()).toMatch(/^On last used (just now|\d+ minutes? ago)$/);
    await page.getByTestId('agent-calls').scrollIntoViewIfNeeded();
    await shootWidths(page, 'agent-access-calls');
    expect(await seriousViolations(page, PANEL)).toEqual([]);
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await expect.poll(() => popup.getByTestId('popup-agent-access').textContent(), { timeout: 15_000 }).toMatch(/Agent access: on · last used/);
    expect(await seriousViolations(popup)).toEqual([]);
    await popup.close();
  });

  it('revokes a credential by keyboard, after a confirmation that says agents using it stop', async () => {
    await page.reload();
    const section = page.getByTestId('agent-access');
    const revoke = section.getByRole('button', { name: 'Revoke Sales agent' });
    await revoke.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('confirm-revoke');
    await dialog.waitFor();
    // Focus moves into the confirmation, on Cancel (the safe choice), before the keys below can reach it.
    await expect.poll(() => page.evaluate(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.textContent?.trim();
    })).toBe('Cancel');
    // Like the panel's other confirmations: Escape closes it and focus goes back to what opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await revoke.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await revoke.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await focusedTestId(page)).toBe('agent-name');
    const [credential] = await admin<{ name: string; revokedAt: string | null }[]>('/api/agent-credentials').then((all) => all.filter((c) => c.name === 'Sales agent'));
    expect(credential?.revokedAt).toBeTruthy();
  });
});
