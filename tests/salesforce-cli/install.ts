/**
 * Installs the Salesforce CLI the CLI test runs, on demand, into `.cache/sf-cli` (git-ignored): exactly the tree
 * pinned in `pinned/` (`@salesforce/cli` 2.150.6 and its package-lock.json), so it never enters Forcebridge's own
 * dependencies (it is ~300 MB). Does nothing when that tree is already installed. `npx tsx
 * tests/salesforce-cli/install.ts` (run by `npm run test:cli`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PINNED = join(ROOT, 'tests', 'salesforce-cli', 'pinned');
export const CLI_DIR = join(ROOT, '.cache', 'sf-cli');
/** The CLI's entry point; run it with Node ≥ 22 (the project's own, `process.execPath` under `npm run`). */
export const CLI_ENTRY = join(CLI_DIR, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const MARKER = join(CLI_DIR, 'installed-from.sha256');

export const CLI_VERSION: string = JSON.parse(readFileSync(join(PINNED, 'package.json'), 'utf8')).dependencies['@salesforce/cli'];

function pinnedHash(): string {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(PINNED, file)));
  return hash.digest('hex');
}

function installedVersion(): string | undefined {
  const manifest = join(CLI_DIR, 'node_modules', '@salesforce', 'cli', 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

/** True when `.cache/sf-cli` holds exactly the pinned tree. */
export function isInstalled(): boolean {
  return installedVersion() === CLI_VERSION && existsSync(MARKER) && readFileSync(MARKER, 'utf8') === pinnedHash();
}

export function installCli(): void {
  if (isInstalled()) {
    console.log(`Salesforce CLI ${CLI_VERSION} is installed in ${CLI_DIR}.`);
    return;
  }
  console.log(`Installing the Salesforce CLI ${CLI_VERSION} into ${CLI_DIR} (about 300 MB, once)…`);
  const started = Date.now();
  mkdirSync(CLI_DIR, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(PINNED, file), join(CLI_DIR, file));
  // `npm install` keeps the locked versions (`npm ci` cannot be used here: see .ci/run). No install scripts: the CLI
  // needs none to run, and npm 11 would block them anyway.
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: CLI_DIR, stdio: 'inherit' });
  if (npm.status !== 0) {
    throw new Error(`npm install of @salesforce/cli ${CLI_VERSION} failed (exit ${npm.status}). Check the registry is reachable, then run it again.`);
  }
  if (installedVersion() !== CLI_VERSION) throw new Error(`npm installed @salesforce/cli ${installedVersion()}, not the pinned ${CLI_VERSION}.`);
  writeFileSync(MARKER, pinnedHash());
  console.log(`Installed the Salesforce CLI ${CLI_VERSION} in ${Math.round((Date.now() - started) / 1000)} s.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installCli();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
