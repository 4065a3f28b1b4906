/**
 * The benchmark's Salesforce org: the emulator started in a child process (emulator-process.ts), driven over its
 * HTTP control API — seed, record edits and deletes, API call counts — exactly as a test would from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../scripts/lib/wrangler';

/** The org's API host as the Worker knows it; SALESFORCE_DEV_ORIGINS maps it to the emulator. */
export const ORG_URL = 'https://acme.my.salesforce.com';
export { API_VERSION } from '../../worker/src/salesforce/api';

export interface BenchEmulator {
  url: string;
  pid: number;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(): Promise<BenchEmulator> {
  const entry = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`The emulator exited with ${code} before listening.`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid!, control, stop };
}

export const adminToken = async (emulator: BenchEmulator) => (await emulator.control<{ accessToken: string }>('GET', '/admin')).accessToken;

/** The org's clock, which stamps every write's SystemModstamp (epoch ms). */
export async function orgNow(emulator: BenchEmulator): Promise<number> {
  return Date.parse((await emulator.control<{ now: string }>('GET', '/clock')).now);
}

/** Moves the org's clock (it keeps running from there). */
export async function setOrgClock(emulator: BenchEmulator, time: number): Promise<void> {
  await emulator.control('PUT', '/clock', { time: new Date(time).toISOString() });
}

/** Requests Salesforce counts against the daily allowance (REST, SOAP, Bulk), and OAuth token calls apart. */
export interface CallCount {
  api: number;
  oauth: number;
  byRoute: Record<string, number>;
}

export async function callCounts(emulator: BenchEmulator): Promise<CallCount> {
  const byRoute = await emulator.control<Record<string, number>>('GET', '/calls');
  let api = 0;
  let oauth = 0;
  for (const [route, n] of Object.entries(byRoute)) {
    const path = route.split(' ')[1] ?? '';
    if (path.startsWith('/services/oauth2') || path.startsWith('/id/')) oauth += n;
    else if (path.startsWith('/services/')) api += n;
  }
  return { api, oauth, byRoute };
}

export function callDelta(before: CallCount, after: CallCount): CallCount {
  const byRoute: Record<string, number> = {};
  for (const [route, n] of Object.entries(after.byRoute)) {
    const d = n - (before.byRoute[route] ?? 0);
    if (d > 0) byRoute[route] = d;
  }
  return { api: after.api - before.api, oauth: after.oauth - before.oauth, byRoute };
}
