import type { D1Migration } from '@cloudflare/vitest-plugin';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

// Provided by tests/salesforce-emulator/global-setup.ts and tests/dataverse-emulator/global-setup.ts (outside this
// tsconfig).
declare module 'vitest' {
  export interface ProvidedContext {
    salesforceEmulatorUrl: string;
    dataverseEmulatorUrl: string;
    dataverseEnvironmentUrl: string;
    dataverseTenantId: string;
    dataverseClientId: string;
    dataverseClientSecret: string;
  }
}
