/**
 * A vitest globalSetup that starts one emulator for a test project and hands its address to the tests:
 * `inject('salesforceEmulatorUrl')` (plus the admin username and token). Add it to a project's `globalSetup`.
 * The control API (`<url>/__emulator/...`) lets tests reset and shape the org between files.
 */
import type { TestProject } from 'vitest/node';
import { startEmulator } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    salesforceEmulatorUrl: string;
    salesforceEmulatorAdminUsername: string;
    salesforceEmulatorAdminToken: string;
  }
}

export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ port: 0, seed: { accounts: 50, contacts: 500 } });
  project.provide('salesforceEmulatorUrl', emulator.url);
  project.provide('salesforceEmulatorAdminUsername', emulator.adminUsername);
  project.provide('salesforceEmulatorAdminToken', emulator.adminAccessToken);
  return async function teardown() {
    await emulator.close();
  };
}
