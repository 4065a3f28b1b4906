/**
 * What the numbers were measured on and with: CPU, cores, memory, load, versions of Node, wrangler, workerd and
 * jsforce, the engine's limits as this checkout has them, and the checkout itself (read-only git queries).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/wrangler';

const versionOf = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** A fingerprint of the code under test, to notice it changing during a run (wrangler dev reloads on edits). */
export function codeFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') || name.endsWith('.sql')) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of ['worker/src', 'worker/migrations', 'shared']) walk(join(ROOT, dir));
  hash.update(readFileSync(join(ROOT, 'wrangler.toml')));
  return hash.digest('hex').slice(0, 16);
}

/** DEFAULT_LIMITS as written in the engine (read from the source, which Node cannot import whole). */
export function engineLimits(): Record<string, number> {
  const source = readFileSync(join(ROOT, 'worker/src/sync/invocation.ts'), 'utf8');
  const body = /DEFAULT_LIMITS[^=]*=\s*\{([^}]*)\}/.exec(source)?.[1] ?? '';
  return Object.fromEntries([...body.matchAll(/(\w+):\s*([\d_]+)/g)].map((m) => [m[1]!, Number(m[2]!.replace(/_/g, ''))]));
}

export function machine() {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let workerdVersion = 'unknown';
  try {
    workerdVersion = execFileSync(join(ROOT, 'node_modules/wrangler/node_modules/workerd/bin/workerd'), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    workerdVersion = versionOf('wrangler/node_modules/workerd');
  }
  return {
    cpu: model,
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    wrangler: versionOf('wrangler'),
    miniflare: versionOf('wrangler/node_modules/miniflare'),
    workerd: workerdVersion,
    jsforce: versionOf('jsforce'),
    git: { head: git('rev-parse', '--short', 'HEAD'), uncommitted: git('status', '--porcelain', '--', 'worker', 'shared', 'wrangler.toml').split('\n').filter(Boolean) },
    engineLimits: engineLimits(),
  };
}
