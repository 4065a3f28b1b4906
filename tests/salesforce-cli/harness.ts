/**
 * What the CLI test drives: the demo org started exactly as a user starts it (`npm run emulator`, as its own
 * process, read back through the control API) and the real Salesforce CLI from `.cache/sf-cli`, run offline — its
 * state (HOME, XDG dirs) in a temporary folder, telemetry, auto-update, version and release-notes checks off, no
 * proxy — with `--json`, so each command's answer can be compared with what the emulator holds.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ENTRY, ROOT } from './install';

export type DemoOrg = {
  url: string;
  adminToken: string;
  /** GET/POST/PUT on the emulator's control API (`/__emulator/…`). */
  control<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
};

/** `npm run emulator -- --port 0`: the demo org on a free port; resolves once it prints its URL and token. */
export function startDemoOrg(): Promise<DemoOrg> {
  const child = spawn('npm', ['run', 'emulator', '--', '--port', '0'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`npm run emulator printed no URL within 60 s:\n${output}`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      kill(child);
      reject(error);
    };
    child.on('exit', (code) => fail(new Error(`npm run emulator exited (${code}):\n${output}`)));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Base URL\s+(\S+)/.exec(output)?.[1];
      const adminToken = /Admin token\s+(\S+)/.exec(output)?.[1];
      if (!url || !adminToken) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url,
        adminToken,
        async control<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
          const response = await fetch(`${url}/__emulator${path}`, {
            method,
            headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          if (!response.ok) throw new Error(`${method} /__emulator${path}: ${response.status} ${await response.text()}`);
          return (await response.json()) as T;
        },
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            kill(child);
          }),
      });
    });
  });
}

/** npm, the shell and tsx each start a process: end the whole group this test started. */
function kill(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

export type SfResult<T> = { status: number; result: T; warnings?: string[] };

export type Sf = {
  /** Runs `sf <args> --json` and returns its parsed answer; a non-zero status throws with the CLI's message. */
  run<T>(args: string[], env?: Record<string, string>): Promise<SfResult<T>>;
  /** The temporary folder the CLI lives in (HOME); files the commands write can go here. */
  home: string;
  cleanUp(): void;
};

export function salesforceCli(): Sf {
  const home = mkdtempSync(join(tmpdir(), 'forcebridge-sf-'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?_proxy|all_proxy|SF_|SFDX_)/i.test(name)));
  const env: Record<string, string | undefined> = {
    ...inherited,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    // Offline and quiet: https://developer.salesforce.com/docs/atlas.en-us.sfdx_setup.meta/sfdx_setup/sfdx_dev_cli_env_variables.htm
    SF_DISABLE_TELEMETRY: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_LOG_LEVEL: 'warn',
    NO_PROXY: '127.0.0.1,localhost',
    NO_COLOR: '1',
  };
  return {
    home,
    run<T>(args: string[], extra: Record<string, string> = {}): Promise<SfResult<T>> {
      return new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          [CLI_ENTRY, ...args, '--json'],
          { cwd: home, env: { ...env, ...extra }, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const text = stdout.trim() || stderr.trim();
            let parsed: SfResult<T> & { message?: string; name?: string };
            try {
              parsed = JSON.parse(text) as typeof parsed;
            } catch {
              return reject(new Error(`sf ${args.join(' ')} did not answer JSON (${error?.message ?? 'exit 0'}):\n${stdout}\n${stderr}`));
            }
            if (parsed.status !== 0) return reject(new Error(`sf ${args.join(' ')} failed: ${parsed.name}: ${parsed.message}`));
            resolve(parsed);
          },
        );
      });
    },
    cleanUp: () => rmSync(home, { recursive: true, force: true }),
  };
}
