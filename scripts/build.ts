/**
 * `npm run build`: what goes to production.
 *  - the Worker bundle, as `wrangler deploy` would upload it (dry run) → dist/worker/
 *  - the extension zips for the Chrome Web Store and Firefox Add-ons → .output/*.zip
 * Store builds leave out the development key, so the stores assign the extension's id.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/wrangler';

function run(title: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  console.log(`\n▸ ${title}`);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

run('Bundling the Worker (wrangler deploy --dry-run)', [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', 'dist/worker']);
const wxt = join(ROOT, 'node_modules/wxt/bin/wxt.mjs');
run('Packaging the extension for Chrome', [wxt, 'zip', '-b', 'chrome'], { FORCEBRIDGE_STORE_BUILD: '1' });
run('Packaging the extension for Firefox', [wxt, 'zip', '-b', 'firefox'], { FORCEBRIDGE_STORE_BUILD: '1' });

console.log('\nBuilt:');
console.log('  dist/worker/');
for (const file of readdirSync(join(ROOT, '.output')).filter((name) => name.endsWith('.zip'))) console.log(`  .output/${file}`);
