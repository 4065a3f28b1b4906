/**
 * One `vitest run` covers every layer, as separate projects:
 * - unit: pure TypeScript (shared/, scripts/, the Salesforce emulator) in Node;
 * - worker: the Worker inside workerd with real D1 (the Cloudflare Vitest plugin), migrations applied per file;
 * - extension: extension code with WXT's fake browser;
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
          include: ['shared/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/salesforce-emulator/**/*.test.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { TEST_MIGRATIONS: await readD1Migrations('worker/migrations') },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['worker/**/*.test.ts'],
          setupFiles: ['worker/test/apply-migrations.ts'],
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
