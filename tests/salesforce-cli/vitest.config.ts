/**
 * `npm run test:cli`: the real Salesforce CLI against the demo org, kept out of `npm test` because it needs the
 * CLI installed first (tests/salesforce-cli/install.ts, ~300 MB into .cache/sf-cli).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'salesforce-cli',
    environment: 'node',
    include: ['tests/salesforce-cli/**/*.test.ts'],
    fileParallelism: false,
    // Each sf command starts a Node process of its own (a few seconds); the Bulk export polls its job.
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
