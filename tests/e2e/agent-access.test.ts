/**
 * Agent access from both seats: the admin creates an agent credential in the panel (key shown once, with the MCP
 * configuration), then an MCP client in Node (the official SDK over Streamable HTTP) uses that key against the local
 * Worker (`wrangler dev`) and gets what Salesforce holds; the panel lists the calls and the popup says access is on.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium';
import { configureExtension } from '../support/extension-pages';
import { resetWorld } from '../support/worker-api';

const env = inject('e2e');
const SETUP_HOME = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';

const admin = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> =>
  (await fetch(`${env.workerUrl}${path}`, { method, headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<T>;

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
    browser = await launchWithExtension({ extensionPath: env.extensionPath, salesforceHttpsPort: env.salesforceHttpsPort });
    await configureExtension(browser, env);
    page = await browser.context.newPage();
    await page.goto(SETUP_HOME);
    const panel = page.getByTestId('connectors-panel');
    const toggle = panel.getByRole('switch', { name: 'Salesforce access' });
    await toggle.waitFor({ timeout: 15_000 });
    if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
    await panel.getByTestId('connection-details').waitFor({ timeout: 30_000 });
    // The data the agent will read: a connector synced by the Worker's own queue consumer.
    const [connection] = await admin<{ id: string }[]>('/api/connections');
    const connector = await admin<{ id: string }>('/api/connectors', 'POST', { connectionId: connection!.id, team: 'Sales', tables: [{ table: 'contact' }, { table: 'account' }] });
    connectorId = connector.id;
    // Another test file may have left the tenant's permission set narrower than the default mappings need; fix it as
    // the admin would (Update permissions), before the first sync.
    const { accessToken } = (await (await fetch(`${env.emulatorUrl}/__emulator/admin`)).json()) as { accessToken: string };
    const session = { instanceUrl: 'https://acme.my.salesforce.com', accessToken };
    let state = await admin<{ done: boolean }>(`/api/connections/${connection!.id}/update-permissions`, 'POST', { session });
    for (let i = 0; i < 20 && !state.done; i++) state = await admin<{ done: boolean }>(`/api/connections/${connection!.id}/advance`, 'POST', { session });
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
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await expect.poll(() => popup.getByTestId('popup-agent-access').textContent(), { timeout: 15_000 }).toMatch(/Agent access: on · last used/);
    await popup.close();
  });
});
