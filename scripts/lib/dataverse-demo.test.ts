/**
 * The demo Dataverse environment `npm start` runs: the file says what to enter, the credentials in it work, and the
 * secret survives a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDataverseDemo } from './dataverse-demo';

const dir = mkdtempSync(join(tmpdir(), 'dataverse-demo-'));
const file = join(dir, '.dev', 'dataverse-demo.json');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the demo Dataverse environment of npm start', () => {
  it('writes what to enter for it, and keeps the client secret across restarts', async () => {
    const first = await startDataverseDemo({ port: 0, file });
    closers.push(first.emulator.close);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual({ environmentUrl: 'https://acme.crm.dynamics.com', tenantId: first.emulator.tenantId, clientId: first.emulator.clientId, clientSecret: first.emulator.clientSecret, emulatorUrl: first.emulator.url });

    const token = await fetch(`${written.emulatorUrl}/${written.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: written.clientId, client_secret: written.clientSecret, scope: `${written.environmentUrl}/.default` }),
    });
    expect(token.status).toBe(200);

    await first.emulator.close();
    const second = await startDataverseDemo({ port: 0, file });
    closers.push(second.emulator.close);
    expect(second.demo.clientSecret).toBe(written.clientSecret);
    rmSync(dir, { recursive: true, force: true });
  });
});
