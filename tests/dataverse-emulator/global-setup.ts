/**
 * A vitest globalSetup that starts one Dataverse emulator for a test project and hands its address and
 * credentials to the tests: `inject('dataverseEmulatorUrl')`, `inject('dataverseEnvironmentUrl')`,
 * `inject('dataverseTenantId')`, `inject('dataverseClientId')`, `inject('dataverseClientSecret')`. Add it to a
 * project's `globalSetup`; the control API (`<url>/__emulator/...`) resets and shapes it between files.
 */
import type { TestProject } from 'vitest/node';
import { startDataverseEmulator } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    dataverseEmulatorUrl: string;
    dataverseEnvironmentUrl: string;
    dataverseTenantId: string;
    dataverseClientId: string;
    dataverseClientSecret: string;
  }
}

export default async function setup(project: TestProject) {
  const emulator = await startDataverseEmulator({ port: 0 });
  project.provide('dataverseEmulatorUrl', emulator.url);
  project.provide('dataverseEnvironmentUrl', emulator.environmentUrl);
  project.provide('dataverseTenantId', emulator.tenantId);
  project.provide('dataverseClientId', emulator.clientId);
  project.provide('dataverseClientSecret', emulator.clientSecret);
  return async function teardown() {
    await emulator.close();
  };
}
