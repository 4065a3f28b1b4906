/**
 * Runs the project's own wrangler (never a global one) for the local commands: D1 migrations, SQL, `wrangler dev`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));

/** Where D1 keeps its data: wrangler's default `.wrangler/state`, or a folder of the caller's (tests). */
export type D1Target = { remote: true } | { remote?: false; persistTo?: string };

export function d1TargetArgs(target: D1Target): string[] {
  if (target.remote) return ['--remote'];
  return ['--local', ...(target.persistTo ? ['--persist-to', target.persistTo] : [])];
}

/** Runs wrangler to completion and returns its stdout; fails with its output when it exits non-zero. */
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${stdout}\n${stderr}`)),
    );
  });
}

export async function applyMigrations(target: D1Target): Promise<void> {
  await runWrangler(['d1', 'migrations', 'apply', 'DB', ...d1TargetArgs(target)]);
}

/** Executes SQL against D1 and returns the rows of the last statement. */
export async function executeSql<Row>(target: D1Target, sql: string): Promise<Row[]> {
  const out = await runWrangler(['d1', 'execute', 'DB', ...d1TargetArgs(target), '--json', '--command', sql]);
  const results = JSON.parse(out.slice(out.indexOf('['))) as { results: Row[] }[];
  return results.at(-1)?.results ?? [];
}

export interface LocalWorker {
  url: string;
  /** where the V8 inspector's DevTools endpoints answer (`/json`), when an inspector port was asked for */
  inspectorUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` (workerd, local D1) and resolves once `/api/health` answers. With `inspectorPort`, wrangler's
 * DevTools proxy to the Worker's isolate listens there (the benchmark reads the isolate's heap through it);
 * without, wrangler picks a port of its own.
 */
export async function startLocalWorker(options: {
  port: number;
  inspectorPort?: number;
  persistTo?: string;
  vars?: Record<string, string>;
  /** environment variables for wrangler (and the Miniflare it runs) */
  env?: Record<string, string>;
  quiet?: boolean;
}): Promise<LocalWorker> {
  const args = ['dev', '--port', String(options.port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
  if (options.inspectorPort !== undefined) args.push('--inspector-port', String(options.inspectorPort));
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push('--var', `${name}:${value}`);
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', options.quiet ? 'pipe' : 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  const url = `http://127.0.0.1:${options.port}`;
  const inspectorUrl = options.inspectorPort === undefined ? undefined : `http://127.0.0.1:${options.inspectorPort}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (ready) return { url, inspectorUrl, process: child, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
