/**
 * What the benchmark reads off the machine: CPU time and memory of processes from /proc (Linux), the workerd
 * processes under a wrangler process tree, wall clocks, and medians.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux this runs on, but ask). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU, in ms */
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space separated.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid, ppid: Number(fields[1]), comm, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** Every live descendant of a process (not itself). */
function descendants(root: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const found: ProcStat[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The workerd processes `wrangler dev` started (Miniflare runs the Worker and local D1 in them). */
export const workerdPids = (wranglerPid: number) => descendants(wranglerPid).filter((s) => s.comm === 'workerd').map((s) => s.pid);

/** User + system CPU ms of processes, summed. */
export function cpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuMs ?? 0), 0);
}

export interface Memory {
  /** VmHWM: the peak resident set over the process's life */
  peakMb: number;
  /** VmRSS now, and its parts: anonymous (heaps) and file-backed (mapped files, e.g. a database) */
  rssMb: number;
  anonMb: number;
  fileMb: number;
}

/** Memory of processes from /proc/<pid>/status, in MB, summed. */
export function memoryMb(pids: number[]): Memory {
  const total = { peakMb: 0, rssMb: 0, anonMb: 0, fileMb: 0 };
  const field = (status: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total.peakMb += field(status, 'VmHWM');
      total.rssMb += field(status, 'VmRSS');
      total.anonMb += field(status, 'RssAnon');
      total.fileMb += field(status, 'RssFile') + field(status, 'RssShmem');
    } catch {
      // the process ended
    }
  }
  return total;
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers a value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, timeoutMs: number, intervalMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s.`);
    await sleep(intervalMs);
  }
}
