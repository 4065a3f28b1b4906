/**
 * One `vitest run` covers every layer, as separate projects:
 * - unit: pure TypeScript (shared/, scripts/, the Worker's pure policy beside its code, the Salesforce and Dataverse
 *   emulators) in Node;
 * - worker: the Worker inside workerd with real D1 (the Cloudflare Vitest plugin), migrations applied per file,
 *   talking real HTTP to one Salesforce emulator and one Dataverse emulator;
 * - extension: extension code with WXT's fake browser;
 * - soak: the chaos soak's short version — the Worker under `wrangler dev` and the emulator on a moving clock
 *   (tests/soak/soak.ts; `npm run soak` runs a whole simulated day);
 * - e2e: the built extension in Debian's Chromium against a local Worker (see tests/e2e/README.md).
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'scripts/**/*.test.ts', 'worker/src/**/*.test.ts', 'tests/salesforce-emulator/**/*.test.ts', 'tests/dataverse-emulator/**/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // Tests drive the queue consumer themselves (exports.default.queue), so no background sync races them.
              queueConsumers: {},
              bindings: {
                // The emulated org answers as https://acme.my.salesforce.com; tell the Worker where it really is.
                SALESFORCE_DEV_ORIGINS: `https://acme.my.salesforce.com=${inject('salesforceEmulatorUrl')}`,
                // Likewise the emulated Dataverse environment and its Entra ID token endpoint.
                // (A second name for it stands for an environment URL that is not the tenant's.)
                DATAVERSE_DEV_ORIGINS: `${inject('dataverseEnvironmentUrl')}=${inject('dataverseEmulatorUrl')},https://elsewhere.crm4.dynamics.com=${inject('dataverseEmulatorUrl')}`,
                ENTRA_DEV_ORIGIN: inject('dataverseEmulatorUrl'),
                TEST_MIGRATIONS: await readD1Migrations('worker/migrations'),
                // A fixed test key; production keys come from `wrangler secret put ENCRYPTION_KEY`.
                ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
                // Requests per route of the fuzz test (worker/test/fuzz.test.ts); raise it to dig deeper.
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? '30',
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['worker/test/**/*.test.ts'],
          setupFiles: ['worker/test/apply-migrations.ts'],
          // One emulated org and one emulated Dataverse environment serve every file, so files take turns with them.
          globalSetup: ['tests/salesforce-emulator/global-setup.ts', 'tests/dataverse-emulator/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          environment: 'node',
          include: ['extension/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'soak',
          environment: 'node',
          include: ['tests/soak/**/*.test.ts'],
          testTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
