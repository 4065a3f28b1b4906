/**
 * `npm run doctor` against the emulator: all ✓ on the demo org (in any language, with the integration profile's
 * older name), and the matching ✗ with a non-zero exit when the org is set up the way real orgs fail.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../tests/salesforce-emulator';
import { runDoctor } from './lib/doctor';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { accounts: 5, contacts: 20 } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.org.reset());

const doctor = (accessToken = emulator.adminAccessToken) => runDoctor({ instanceUrl: emulator.url, accessToken });
const failed = async (accessToken?: string) => (await doctor(accessToken)).checks.filter((c) => !c.ok).map((c) => c.id);

describe('npm run doctor', () => {
  it('prints all ✓ on the demo org, in French with the older integration profile name too', async () => {
    const report = await doctor();
    expect(report.checks.map((c) => [c.id, c.ok])).toEqual([
      ['api_access', true], ['admin_permissions', true], ['external_client_apps', true], ['integration_licence', true],
      ['api_integration_licence', true], ['names_free', true], ['objects_readable', true], ['bulk_api', true], ['api_budget', true],
    ]);
    expect(report.text).not.toContain('✗');

    emulator.org.setSwitches({ language: 'fr', legacyIntegrationProfileName: true });
    const translated = await doctor();
    expect(translated.ok).toBe(true);
    expect(translated.text).toContain('Salesforce API Only System Integrations');
  });

  it('names each failing assumption with what to do', async () => {
    emulator.org.setSwitches({ externalClientAppsEnabled: false });
    expect(await failed()).toEqual(['external_client_apps']);
    expect((await doctor()).text).toMatch(/✗ External Client Apps: External Client Apps are not available in this org \(INVALID_TYPE[^\n]*\n {4}→ Turn them on in Setup/);

    emulator.org.reset();
    emulator.org.setLicenses({ 'Salesforce Integration': 0 });
    expect(await failed()).toEqual(['integration_licence']);

    emulator.org.reset();
    emulator.org.setLicenses({ SalesforceAPIIntegrationPsl: 0 });
    expect(await failed()).toEqual(['api_integration_licence']);

    emulator.org.reset();
    emulator.org.createRecord('PermissionSet', { Name: 'Forcebridge_permission_set', Label: 'Someone else’s' });
    expect(await failed()).toEqual(['names_free']);

    emulator.org.reset();
    emulator.org.setApiUsage({ max: 15_000, used: 14_000 });
    expect(await failed()).toEqual(['api_budget']);

    emulator.org.reset();
    const rep = emulator.org.createUser({ username: 'rep@acme.example.com' });
    const report = await doctor(rep.accessToken);
    expect(report.checks.find((c) => c.id === 'admin_permissions')).toMatchObject({ ok: false, detail: expect.stringMatching(/Modify Metadata.*Manage Profiles and Permission Sets.*Manage Users.*Customize Application/) });

    emulator.org.reset();
    emulator.org.setSwitches({ apiEnabled: false });
    expect(await failed()).toEqual(['api_access']);
  });

  it('exits non-zero from the command line when a check fails', async () => {
    emulator.org.setSwitches({ externalClientAppsEnabled: false });
    const run = promisify(execFile)('npx', ['tsx', 'scripts/doctor.ts', '--instance-url', emulator.url, '--access-token', emulator.adminAccessToken]);
    const outcome = await run.then(() => ({ code: 0, stdout: '' }), (error: { code: number; stdout: string }) => error);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('✗ External Client Apps');
    expect(outcome.stdout).toContain('✓ Your permissions');
  }, 60_000);
});
