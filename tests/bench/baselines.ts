/**
 * Runs the baselines (baseline-process.ts) against the same seeded org the Worker just read, one process
 * each, and turns what they report into the figures the Worker's are compared with.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../scripts/lib/wrangler';
import type { BaselineInput, BaselineOutput } from './baseline-process';
import { type BenchEmulator, adminToken, callCounts, callDelta } from './emulator';

export interface BaselineSample extends BaselineOutput {
  kind: BaselineInput['kind'];
  wallMs: number;
  apiCalls: number;
  recordsPerSecond: number;
  cpuMsPer1000: number;
  apiCallsPer10000: number;
  recordsPerApiCall: number;
  rowsWrittenPerSecond: number;
  /** rows per second of the write alone */
  insertRowsPerSecond: number;
  /** records per second of the read alone */
  fetchRecordsPerSecond: number;
  /** peak resident set less the resident set at start */
  growthMb: number;
}

function runChild(input: BaselineInput): Promise<BaselineOutput> {
  const entry = fileURLToPath(new URL('./baseline-process.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--disable-warning=ExperimentalWarning', entry, JSON.stringify(input)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as BaselineOutput);
      else reject(new Error(`The ${input.kind} baseline exited with ${code}:\n${err.slice(-2000)}`));
    });
  });
}

export async function runBaseline(kind: BaselineInput['kind'], emulator: BenchEmulator, dir: string, expected: number): Promise<BaselineSample> {
  const before = await callCounts(emulator);
  const output = await runChild({ kind, emulatorUrl: emulator.url, token: await adminToken(emulator), file: join(dir, `${kind}.sqlite`) });
  const calls = callDelta(before, await callCounts(emulator));
  if (output.records !== expected) throw new Error(`The ${kind} baseline wrote ${output.records} rows; expected ${expected}.`);
  const wallMs = output.fetchMs + output.insertMs;
  const records = output.records;
  return {
    kind,
    ...output,
    wallMs,
    apiCalls: calls.api,
    recordsPerSecond: records / (wallMs / 1000),
    cpuMsPer1000: ((output.fetchCpuMs + output.insertCpuMs) / records) * 1000,
    apiCallsPer10000: (calls.api / records) * 10_000,
    recordsPerApiCall: records / calls.api,
    rowsWrittenPerSecond: records / (wallMs / 1000),
    insertRowsPerSecond: records / (output.insertMs / 1000),
    fetchRecordsPerSecond: records / (output.fetchMs / 1000),
    growthMb: output.peakMb - output.startMb,
  };
}
