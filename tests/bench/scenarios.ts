/**
 * The scenarios run against the real Worker: a first load (activate, then the queue carries the connector through
 * as many bounded invocations as it needs), an incremental tick after 1 % of records changed and 0.1 % deleted,
 * and a tick with nothing changed. Each answers one sample of the figures the report quotes.
 */
import type { SyncRun } from '../../shared/api';
import { type BenchEmulator, callCounts, callDelta, orgNow, setOrgClock } from './emulator';
import { cpuMs, memoryMb, waitFor } from './measure';
import { type WorkerStack, connectorOf, runsOf } from './stack';
import { DATA_SEED, type Volume, mutationPlan } from './volumes';

export interface WorkerSample {
  records: number;
  /** from the API request to the last run's finish */
  wallMs: number;
  /** what the runs themselves took (sum of invocation durations): the wall time without queue delivery */
  runMs: number;
  invocations: number;
  /** how long the API request that started it (activate, sync) took to answer */
  triggerMs: number;
  workerCpuMs: number;
  apiCalls: number;
  oauthCalls: number;
  callsByRoute: Record<string, number>;
  /** rows upserted + deleted in D1, as the runs counted them */
  rowsWritten: number;
  read: number;
  peakMb: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** derived: peak less the resident set before (what this sync added, on a Worker started for it) */
  growthMb: number;
  /** the largest anonymous and file-backed resident sets seen while polling (every POLL_MS) */
  peakAnonMb: number;
  peakFileMb: number;
  recordsPerSecond: number;
  cpuMsPer1000: number;
  apiCallsPer10000: number;
  recordsPerApiCall: number;
  rowsWrittenPerSecond: number;
  /** every table run the sync recorded, oldest first (raw, for the JSON) */
  runs: Pick<SyncRun, 'table' | 'mode' | 'status' | 'startedAt' | 'read' | 'upserted' | 'deleted' | 'apiCalls' | 'durationMs'>[];
  /** what was off without making the figures wrong (e.g. a progress counter), in words */
  problems: string[];
}

const TIMEOUT_MS = 60 * 60_000;

/**
 * Ticks come every few minutes (the cron runs every five), so the edits a tick reads were made minutes before it,
 * and a tick after a quiet interval finds nothing newer than its watermark. The benchmark runs its ticks back to
 * back, so the org's clock stands in for the interval: the data is seeded half an hour in the past and the edits
 * are stamped five minutes ago — outside the engine's one-minute re-read window, as with a real schedule.
 */
export const SEEDED_AGO_MS = 30 * 60_000;

const EDITED_AGO_MS = 5 * 60_000;

/** A freshly seeded org with the bench's rows, the org's clock where the scenarios expect it. */
export async function seedOrg(emulator: BenchEmulator, v: Volume): Promise<void> {
  await emulator.control('POST', '/reset');
  await setOrgClock(emulator, Date.now() - SEEDED_AGO_MS);
  await emulator.control('POST', '/seed', { accounts: v.accounts, contacts: v.contacts, seed: DATA_SEED });
  // Plenty of daily API requests, so the connector's budget reserve never pauses a benchmark.
  await emulator.control('PUT', '/api-usage', { max: 10_000_000, used: 0 });
}

/**
 * How the benchmark watches a sync: the last few runs, twice a second, so its own polling costs the Worker it measures
 * little. Asking for the last 500 runs every 200 ms spent a sixth of a 100k first load's isolate time on answering
 * the poll (measured with tests/bench/profile.ts). The figures do not depend on it: wall time runs to the last run's
 * own `finishedAt`, and the whole history is read once, at the end.
 */
const POLLED_RUNS = 8;
const POLL_MS = 500;

/** Waits until a sync that started at `since` has finished for every table; answers its runs. `poll` runs each time. */
async function finishedRuns(stack: WorkerStack, connectorId: string, since: string, poll: () => void): Promise<SyncRun[]> {
  const settled = (runs: SyncRun[]) => {
    if (runs.length === 0) return false;
    const failed = runs.find((r) => r.status === 'failed');
    if (failed) throw new Error(`The ${failed.table} run failed: ${failed.errorCode} ${failed.errorMessage}`);
    // Runs are newest first; the newest run of each table says where it stands.
    const latest = new Map<string, SyncRun>();
    for (const run of runs) if (!latest.has(run.table)) latest.set(run.table, run);
    return [...latest.values()].every((r) => r.status === 'succeeded') && latest.size === 2;
  };
  const sinceStart = async (limit: number) => (await runsOf(stack, connectorId, limit)).filter((r) => r.startedAt >= since);
  await waitFor('the sync to finish', TIMEOUT_MS, POLL_MS, async () => {
    poll();
    const recent = await sinceStart(POLLED_RUNS);
    if (settled(recent)) return true;
    // A table that finished early records no more runs, so at 1M its last run falls out of the newest few: once the
    // newest run has succeeded, the whole history decides.
    return (recent[0]?.status === 'succeeded' && settled(await sinceStart(500))) || undefined;
  });
  const runs = await sinceStart(500);
  if (!settled(runs)) throw new Error('The sync looked finished from its latest runs but not from its whole history.');
  return runs;
}

/** Runs `trigger` and measures the sync it starts, to the end. */
async function measureSync(stack: WorkerStack, emulator: BenchEmulator, connectorId: string, records: number, trigger: () => Promise<unknown>): Promise<WorkerSample> {
  const pids = stack.pids();
  const callsBefore = await callCounts(emulator);
  const cpuBefore = cpuMs(pids);
  const rssBeforeMb = memoryMb(pids).rssMb;
  const started = Date.now();
  const since = new Date(started - 1).toISOString();
  const peak = { anonMb: 0, fileMb: 0 };
  const sampleMemory = () => {
    const now = memoryMb(pids);
    peak.anonMb = Math.max(peak.anonMb, now.anonMb);
    peak.fileMb = Math.max(peak.fileMb, now.fileMb);
  };
  await trigger();
  const triggerMs = Date.now() - started;
  const runs = await finishedRuns(stack, connectorId, since, sampleMemory);
  sampleMemory();
  const cpu = cpuMs(pids) - cpuBefore;
  const memory = memoryMb(pids);
  const calls = callDelta(callsBefore, await callCounts(emulator));
  const finished = Math.max(...runs.map((r) => Date.parse(r.finishedAt ?? '') || Date.now()));
  const wallMs = finished - started;
  const invocations = new Set(runs.map((r) => r.startedAt)).size;
  const runMs = [...new Map(runs.map((r) => [r.startedAt, r.durationMs ?? 0])).values()].reduce((a, b) => a + b, 0);
  const rowsWritten = runs.reduce((sum, r) => sum + r.upserted + r.deleted, 0);
  return {
    records,
    wallMs,
    runMs,
    invocations,
    triggerMs,
    workerCpuMs: cpu,
    apiCalls: calls.api,
    oauthCalls: calls.oauth,
    callsByRoute: calls.byRoute,
    rowsWritten,
    read: runs.reduce((sum, r) => sum + r.read, 0),
    peakMb: memory.peakMb,
    rssBeforeMb,
    rssAfterMb: memory.rssMb,
    growthMb: memory.peakMb - rssBeforeMb,
    peakAnonMb: peak.anonMb,
    peakFileMb: peak.fileMb,
    recordsPerSecond: records / (wallMs / 1000),
    cpuMsPer1000: records > 0 ? (cpu / records) * 1000 : Number.NaN,
    apiCallsPer10000: records > 0 ? (calls.api / records) * 10_000 : Number.NaN,
    recordsPerApiCall: calls.api > 0 ? records / calls.api : Number.NaN,
    rowsWrittenPerSecond: rowsWritten / (wallMs / 1000),
    runs: runs
      .map(({ table, mode, status, startedAt, read, upserted, deleted, apiCalls, durationMs }) => ({ table, mode, status, startedAt, read, upserted, deleted, apiCalls, durationMs }))
      .reverse(),
    problems: [],
  };
}

export async function firstLoad(stack: WorkerStack, emulator: BenchEmulator, connectorId: string, v: Volume): Promise<WorkerSample> {
  const sample = await measureSync(stack, emulator, connectorId, v.total, () => stack.api('POST', `/api/connectors/${connectorId}/activate`));
  const connector = await connectorOf(stack, connectorId);
  for (const t of connector.tables) {
    const expected = t.table === 'contact' ? v.contacts : v.accounts;
    if (t.phase !== 'incremental' || t.rows !== expected) {
      throw new Error(`The first load of ${t.table} ended at phase ${t.phase} with ${t.rows} rows; expected ${expected} rows.`);
    }
    // The data is right; a progress counter that is off is reported, not fatal.
    if (t.loaded !== t.total || t.total !== expected) sample.problems.push(`${t.table}: progress says ${t.loaded} of ${t.total} loaded; ${expected} records, ${t.rows} rows`);
  }
  return sample;
}

/** Changes 1 % of the records and deletes 0.1 % through the emulator's control API (not measured). */
export async function mutate(emulator: BenchEmulator, v: Volume, run: number): Promise<{ changed: number; deleted: number }> {
  // The clock only ever moves forward (past the seeded stamps); see SEEDED_AGO_MS.
  await setOrgClock(emulator, Math.max((await orgNow(emulator)) + 1_000, Date.now() - EDITED_AGO_MS));
  const ids = async (type: string) =>
    (await emulator.control<{ records: { Id: string }[] }>('POST', '/query', { soql: `SELECT Id FROM ${type} ORDER BY Id` })).records.map((r) => r.Id);
  const [contacts, accounts] = [await ids('Contact'), await ids('Account')];
  const plan = mutationPlan(v);
  const edits: (() => Promise<unknown>)[] = [
    ...plan.changedContacts.map((i) => () => emulator.control('PATCH', `/records/Contact/${contacts[i]}`, { Description: `Changed by benchmark run ${run}` })),
    ...plan.changedAccounts.map((i) => () => emulator.control('PATCH', `/records/Account/${accounts[i]}`, { Description: `Changed by benchmark run ${run}` })),
    ...plan.deletedContacts.map((i) => () => emulator.control('DELETE', `/records/Contact/${contacts[i]}`)),
  ];
  // A few at a time over keep-alive connections: quick, and the order does not matter.
  for (let i = 0; i < edits.length; i += 16) await Promise.all(edits.slice(i, i + 16).map((edit) => edit()));
  return { changed: plan.changedContacts.length + plan.changedAccounts.length, deleted: plan.deletedContacts.length };
}

/** A tick: "sync now" (the route the cron's fan-out also ends in: the connector handed to the queue). */
export function tick(stack: WorkerStack, emulator: BenchEmulator, connectorId: string, records: number): Promise<WorkerSample> {
  return measureSync(stack, emulator, connectorId, records, () => stack.api('POST', `/api/connectors/${connectorId}/sync`));
}

/**
 * "Reconcile now" after purging as many live Contacts as the incremental tick deleted (emptied from the recycle bin:
 * gone from queryAll): measured from the request to the end of the reconciliation runs, which compare every Id of
 * both tables with Salesforce (Bulk API 2.0) in bounded chunks. The invocation's passes run first and may already
 * remove the purged records through the delete log; the reconciliation's figures are its cost either way.
 */
export async function reconcileNow(stack: WorkerStack, emulator: BenchEmulator, connectorId: string, v: Volume): Promise<{ sample: WorkerSample; purged: number }> {
  // Past the reconciliation's one-minute margin: rows edited within a minute of its job are left for the delete log.
  await setOrgClock(emulator, (await orgNow(emulator)) + 2 * 60_000);
  const { records } = await emulator.control<{ records: { Id: string }[] }>('POST', '/query', { soql: 'SELECT Id FROM Contact ORDER BY Id' });
  const plan = mutationPlan(v);
  const purge = plan.changedContacts.slice(0, Math.max(1, plan.deletedContacts.length)).map((i) => records[i]!.Id);
  for (let i = 0; i < purge.length; i += 16) await Promise.all(purge.slice(i, i + 16).map((id) => emulator.control('POST', `/records/Contact/${id}/purge`)));
  const sample = await measureSync(stack, emulator, connectorId, v.total, () => stack.api('POST', `/api/connectors/${connectorId}/reconcile`));
  const connector = await connectorOf(stack, connectorId);
  const contacts = connector.tables.find((t) => t.table === 'contact')!;
  if (contacts.rows !== v.contacts - plan.deletedContacts.length - purge.length) {
    sample.problems.push(`after the reconciliation the copy holds ${contacts.rows} contacts; Salesforce has ${v.contacts - plan.deletedContacts.length - purge.length}`);
  }
  if (sample.runs.filter((r) => r.mode === 'reconcile' && r.status === 'succeeded').length < 2) sample.problems.push('a table did not finish its reconciliation');
  return { sample, purged: purge.length };
}
