/**
 * The chaos soak: a simulated day of cron ticks against the real Worker (`wrangler dev`, workerd, local D1) and the
 * Salesforce emulator, on one moving clock — the org's clock is set to each tick's time, and the cron tick carries
 * that time to the queue consumer, so the Worker's sync runs at it too. Each tick the org changes (edits, creates,
 * deletes, undeletes, purges), faults are injected (5xx, latency, drops, truncated bodies, expired sessions, a failing
 * token endpoint, stalls past the deadline, API-limit exhaustion and recovery, overlapping invocations), and at random
 * moments the Worker's process is killed (SIGKILL) and started again. After every tick the invariants are checked
 * against D1 (read straight from its SQLite file) and the org; at the end the faults stop and the copy must converge.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createTenantWithKey } from '../../scripts/lib/tenants';
import { type LocalWorker, applyMigrations, freePort, startLocalWorker } from '../../scripts/lib/wrangler';
import { startEmulator } from '../salesforce-emulator/server';

export interface SoakOptions {
  ticks: number;
  minutesPerTick: number;
  seed: number;
  /** ticks at which the Worker's process is killed (chosen at random when not given) */
  kills: number;
  /** stall a Salesforce call past the invocation's 25 s deadline now and then (slow: each costs 25 s) */
  stalls: boolean;
  log: (line: string) => void;
}

export interface SoakReport {
  ticks: number;
  simulatedHours: number;
  faults: Record<string, number>;
  chaos: Record<string, number>;
  kills: number;
  invariantChecks: number;
  violations: string[];
  apiCallsPerTick: { mean: number; max: number; total: number };
  runs: Record<string, number>;
  converged: boolean;
  wallSeconds: number;
}

const ORG_URL = 'https://acme.my.salesforce.com';
const TABLES = [
  { table: 'contact', object: 'Contact', key: 'contactid' },
  { table: 'account', object: 'Account', key: 'accountid' },
] as const;

/** mulberry32: a small seeded generator, so a soak can be replayed with its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, chance: (p: number) => next() < p, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(items: T[]) => items[Math.floor(next() * items.length)]! };
}

interface SfRecord {
  Id: string;
  IsDeleted: boolean;
  SystemModstamp: string;
}

const iso = (salesforce: string) => new Date(Date.parse(salesforce.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const rng = random(options.seed);
  const log = options.log;
  let now = Date.now() + 60_000;
  const emulator = await startEmulator({ port: 0, seed: { accounts: 30, contacts: 300 }, now: new Date(now), freezeClock: true });
  const control = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${emulator.url}/__emulator${path}`, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const persistTo = mkdtempSync(join(tmpdir(), 'forcebridge-soak-'));
  const port = await freePort();
  const vars = { ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'), SALESFORCE_DEV_ORIGINS: `${ORG_URL}=${emulator.url}` };
  let worker: LocalWorker | undefined;
  let db: DatabaseSync | undefined;
  const report: SoakReport = { ticks: 0, simulatedHours: 0, faults: {}, chaos: {}, kills: 0, invariantChecks: 0, violations: [], apiCallsPerTick: { mean: 0, max: 0, total: 0 }, runs: {}, converged: false, wallSeconds: 0 };
  const count = (bucket: Record<string, number>, kind: string) => (bucket[kind] = (bucket[kind] ?? 0) + 1);

  try {
    await applyMigrations({ persistTo });
    const tenant = await createTenantWithKey({ persistTo }, 'Soak');
    const start = () => startLocalWorker({ port, persistTo, quiet: true, vars });
    worker = await start();
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${worker!.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${tenant.apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Worker ${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    };

    // Turn access on and create a connector through the API, as the panel does; it syncs every 5 minutes.
    const { accessToken } = await control<{ accessToken: string }>('GET', '/admin');
    const session = { instanceUrl: ORG_URL, accessToken };
    let connection = await api<{ id: string; done: boolean; status: string }>('POST', '/api/connections', { session });
    for (let i = 0; i < 20 && !connection.done; i++) connection = await api('POST', `/api/connections/${connection.id}/advance`, { session });
    if (connection.status !== 'connected') throw new Error(`turning access on ended ${connection.status}`);
    const connector = await api<{ id: string }>('POST', '/api/connectors', { connectionId: connection.id, team: 'Sales', tables: [{ table: 'contact' }, { table: 'account' }], intervalMinutes: 5 });
    await api('POST', `/api/connectors/${connector.id}/activate`);

    const dbFile = readdirSync(join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')!;
    db = new DatabaseSync(join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject', dbFile), { readOnly: true });
    const all = <T>(sql: string, ...params: (string | number)[]) => db!.prepare(sql).all(...params) as T[];

    const killTicks = new Set<number>();
    while (killTicks.size < Math.min(options.kills, options.ticks)) killTicks.add(rng.int(2, Math.max(2, options.ticks - 2)));
    let lastKillAt = 0;
    let budgetEpisode: { until: number; kind: 'reserve' | 'exhausted' } | undefined;
    const { max } = await control<{ max: number }>('GET', '/api-usage');
    const apiCalls = async () => Object.entries(await control<Record<string, number>>('GET', '/calls')).filter(([route]) => route.includes('/services/data')).reduce((sum, [, n]) => sum + n, 0);

    // What the previous check saw, for "never loses" and "never goes back".
    let previousCopy = new Map<string, string>();
    /** Salesforce ids purged, with the time they had been deleted */
    const purgedAt = new Map<string, string>();
    let runsSeen = 0;
    /** invocations asked for since runs were last seen: one cron claim per tick, plus each "Sync now" */
    let owed = 0;
    const callsPerTick: number[] = [];

    const sfState = async () => {
      const records = new Map<string, SfRecord & { table: string }>();
      for (const { object, table } of TABLES) {
        const { records: rows } = await control<{ records: SfRecord[] }>('POST', '/query', { soql: `SELECT Id, IsDeleted, SystemModstamp FROM ${object}`, includeDeleted: true });
        for (const r of rows) records.set(r.Id, { ...r, table });
      }
      return records;
    };
    const copyOf = () => {
      const copy = new Map<string, string>();
      for (const { table } of TABLES) {
        for (const row of all<{ id: string; modstamp: string }>(`SELECT forcebridge_salesforce_id AS id, forcebridge_modstamp AS modstamp FROM ${table} WHERE tenant_id = ?`, tenant.id)) copy.set(row.id, row.modstamp);
      }
      return copy;
    };
    const lastSucceededStart = (table: string) => all<{ s: string | null }>("SELECT MAX(started_at) AS s FROM sync_runs WHERE connector_id = ? AND table_name = ? AND status = 'succeeded'", connector.id, table)[0]?.s ?? null;

    /** Waits until the queue is quiet: no run starting or finishing for a while, none running (unless just killed). */
    const settle = async (allowRunning: boolean) => {
      let last = '';
      let stableSince = Date.now();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const [state] = all<{ n: number; running: number; finished: string | null }>("SELECT COUNT(*) AS n, SUM(status = 'running') AS running, MAX(finished_at) AS finished FROM sync_runs");
        const key = JSON.stringify(state);
        if (key !== last) {
          last = key;
          stableSince = Date.now();
        } else if (Date.now() - stableSince >= 1_500 && (allowRunning || !state!.running)) return;
        await sleep(200);
      }
    };

    const check = async (tick: number, wasKilledRecently: boolean, calls: number, finalCheck = false) => {
      const violations: string[] = [];
      const sf = await sfState();
      const copy = copyOf();
      report.invariantChecks++;
      // 1. no duplicates: one row per Salesforce record
      for (const { table } of TABLES) {
        const [dup] = all<{ n: number; d: number }>(`SELECT COUNT(*) AS n, COUNT(DISTINCT forcebridge_salesforce_id) AS d FROM ${table} WHERE tenant_id = ?`, tenant.id);
        if (dup!.n !== dup!.d) violations.push(`${table}: ${dup!.n - dup!.d} duplicate rows`);
      }
      // 2. the copy holds no record Salesforce does not, beyond the re-read window: a record deleted (or purged) before
      //    a pass that succeeded after it must be gone
      for (const [id, modstamp] of copy) {
        const record = sf.get(id);
        if (record && !record.IsDeleted) continue;
        const deletedAt = record ? iso(record.SystemModstamp) : purgedAt.get(id);
        const table = record?.table ?? (id.startsWith('001') ? 'account' : 'contact');
        const since = lastSucceededStart(table);
        if (!deletedAt || (since && since >= deletedAt)) violations.push(`${table} ${id}: in the copy (version ${modstamp}) though Salesforce deleted it at ${deletedAt ?? 'an unknown time'}, before a pass that succeeded at ${since}`);
      }
      // 3. never loses a record it had that Salesforce still has; 4. never goes back to an older version
      for (const [id, before] of previousCopy) {
        const record = sf.get(id);
        const now = copy.get(id);
        if (record && !record.IsDeleted && now === undefined) violations.push(`${id}: live in Salesforce, was in the copy, now missing`);
        if (now !== undefined && now < before) violations.push(`${id}: went back from version ${before} to ${now}`);
      }
      // 5. run rows bounded (no hot loop), 6. every run's status truthful
      const runs = all<{ table_name: string; status: string; error_code: string | null; error_message: string | null; records_read: number; records_upserted: number; records_deleted: number; started_at: string }>(
        'SELECT table_name, status, error_code, error_message, records_read, records_upserted, records_deleted, started_at FROM sync_runs WHERE connector_id = ? ORDER BY rowid',
        connector.id,
      );
      const fresh = runs.slice(runsSeen);
      runsSeen = runs.length;
      // Each run answers a claim or a request (a queue held up by a stall or a restart drains its backlog at once);
      // a hot loop makes runs nobody asked for. Two tables per invocation, plus a few continuing invocations.
      if (fresh.length > 2 * (owed + 4)) violations.push(`tick ${tick}: ${fresh.length} runs for ${owed} claims and requests (a hot loop?)`);
      if (fresh.length > 0) owed = 0;
      for (const run of fresh) count(report.runs, run.status);
      for (const run of runs) {
        if (run.status === 'succeeded' && run.error_code) violations.push(`a succeeded run carries error ${run.error_code}`);
        if (run.status === 'failed' && (!run.error_code || !run.error_message)) violations.push(`a failed run says nothing of why (${run.error_code})`);
        if (run.status === 'rate_limited' && !['api_budget_reserved', 'REQUEST_LIMIT_EXCEEDED'].includes(run.error_code ?? '')) violations.push(`a rate-limited run says ${run.error_code}`);
        if (run.records_upserted + run.records_deleted > run.records_read) violations.push(`a run wrote ${run.records_upserted + run.records_deleted} of ${run.records_read} records read`);
        if (run.status === 'running' && !wasKilledRecently) violations.push(`a run started at ${run.started_at} is still 'running' with no invocation alive`);
      }
      // 7. API calls within the budget: no more than the invocation caps allow, and while the org is in its reserve or
      //    exhausted, at most one request per invocation (a re-check, or the call that is refused), plus the retry of
      //    one that found its session expired
      if (calls > 50 * Math.max(2, fresh.length)) violations.push(`tick ${tick}: ${calls} API calls`);
      if (budgetEpisode && calls > 2 * (fresh.length + 1)) violations.push(`tick ${tick}: ${calls} API requests in ${fresh.length} runs while the org's allowance was ${budgetEpisode.kind}`);
      // 8. at the end, with the faults gone: the copy equals Salesforce
      if (finalCheck) {
        const live = [...sf.values()].filter((r) => !r.IsDeleted);
        const problems = live.filter((r) => copy.get(r.Id) !== iso(r.SystemModstamp)).length + [...copy.keys()].filter((id) => !sf.get(id) || sf.get(id)!.IsDeleted).length;
        if (problems > 0) violations.push(`after the faults stopped, ${problems} records differ between the copy and Salesforce`);
        report.converged = problems === 0;
      }
      previousCopy = copy;
      for (const v of violations) report.violations.push(`tick ${tick}: ${v}`);
      return violations;
    };

    // ── the day ──────────────────────────────────────────────────────────────────────────────────────────────
    for (let tick = 1; tick <= options.ticks; tick++) {
      now += options.minutesPerTick * 60_000;
      await control('PUT', '/clock', { time: new Date(now).toISOString(), frozen: true });

      // The org changes.
      const sf = await sfState();
      const live = (table: string) => [...sf.values()].filter((r) => !r.IsDeleted && r.table === table).map((r) => r.Id);
      const deleted = [...sf.values()].filter((r) => r.IsDeleted);
      for (let i = rng.int(0, 4); i > 0; i--) {
        const table = rng.chance(0.7) ? 'contact' : 'account';
        const ids = live(table);
        if (ids.length === 0) continue;
        await control('PATCH', `/records/${table === 'contact' ? 'Contact' : 'Account'}/${rng.pick(ids)}`, table === 'contact' ? { LastName: `Edited ${tick}-${i}` } : { Name: `Renamed ${tick}-${i}` });
        count(report.chaos, 'edits');
      }
      for (let i = rng.int(0, 2); i > 0; i--) {
        const accounts = live('account');
        await control('POST', '/records/Contact', { LastName: `Created ${tick}-${i}`, ...(accounts.length && rng.chance(0.7) ? { AccountId: rng.pick(accounts) } : {}) });
        count(report.chaos, 'creates');
      }
      if (rng.chance(0.03)) {
        await control('POST', '/records/Account', { Name: `Account ${tick}` });
        count(report.chaos, 'creates');
      }
      if (rng.chance(0.4) && live('contact').length > 0) {
        await control('DELETE', `/records/Contact/${rng.pick(live('contact'))}`);
        count(report.chaos, 'deletes');
      }
      if (rng.chance(0.04) && live('account').length > 1) {
        await control('DELETE', `/records/Account/${rng.pick(live('account'))}`); // its contacts go to the recycle bin too
        count(report.chaos, 'deletes');
      }
      const inCopy = copyOf();
      if (rng.chance(0.2) && deleted.length > 0) {
        const record = rng.pick(deleted);
        // An undelete of a contact whose account is still deleted is refused by Salesforce; that is fine here.
        const done = await control('POST', `/records/${record.table === 'contact' ? 'Contact' : 'Account'}/${record.Id}/undelete`).then(() => true, () => false);
        if (done) count(report.chaos, 'undeletes');
      }
      // An admin empties the recycle bin of records whose deletion the copy already reflects (queryAll cannot show a
      // record purged before any pass saw its delete: see README, Reliability).
      const purgeable = deleted.filter((r) => !inCopy.has(r.Id) && !purgedAt.has(r.Id));
      if (rng.chance(0.15) && purgeable.length > 0) {
        const record = rng.pick(purgeable);
        await control('POST', `/records/${record.table === 'contact' ? 'Contact' : 'Account'}/${record.Id}/purge`);
        purgedAt.set(record.Id, iso(record.SystemModstamp));
        count(report.chaos, 'purges');
      }

      // The API allowance: an episode of exhaustion or of usage inside the reserve, then recovery.
      if (budgetEpisode && tick >= budgetEpisode.until) {
        await control('PUT', '/api-usage', { used: 100 });
        budgetEpisode = undefined;
        count(report.faults, 'api_limit_recovered');
      } else if (!budgetEpisode && rng.chance(0.04)) {
        budgetEpisode = { until: tick + rng.int(2, 6), kind: rng.chance(0.5) ? 'exhausted' : 'reserve' };
        await control('PUT', '/api-usage', { used: budgetEpisode.kind === 'exhausted' ? max : Math.floor(max * 0.9) });
        count(report.faults, `api_limit_${budgetEpisode.kind}`);
      }

      // Faults on the Salesforce surface for this tick.
      if (rng.chance(0.4)) {
        const kind = rng.pick(['server_error', 'latency', 'drop', 'malformed', 'expired_session', 'token_endpoint_500', ...(options.stalls ? ['stall'] : [])]);
        count(report.faults, kind);
        if (kind === 'server_error') await control('POST', '/faults', { kind: 'error', path: '/services/data', status: rng.pick([500, 502, 503]), times: rng.int(1, 4) });
        if (kind === 'latency') await control('POST', '/faults', { kind: 'latency', path: '/services/data', latencyMs: rng.int(200, 3_000), times: rng.int(1, 3) });
        if (kind === 'drop') await control('POST', '/faults', { kind: 'drop', path: '/composite', times: rng.int(1, 2) });
        if (kind === 'malformed') await control('POST', '/faults', { kind: 'malformed', path: '/composite', times: 1 });
        if (kind === 'expired_session') await control('POST', '/sessions/expire', {});
        if (kind === 'token_endpoint_500') {
          await control('POST', '/sessions/expire', {});
          await control('POST', '/faults', { kind: 'error', path: '/services/oauth2/token', status: 500, times: rng.int(1, 6) });
        }
        if (kind === 'stall') await control('POST', '/faults', { kind: 'latency', path: '/composite', latencyMs: 40_000, times: 1 });
      }

      // The cron tick, at this tick's time; sometimes a "Sync now" lands at once too (overlapping invocations).
      const callsBefore = await apiCalls();
      owed += 1;
      const cron = fetch(`${worker.url}/cdn-cgi/local/scheduled?time=${now}`);
      if (rng.chance(0.1)) {
        count(report.faults, 'lease_contention');
        owed += 2;
        await Promise.all([api('POST', `/api/connectors/${connector.id}/sync`).catch(() => undefined), api('POST', `/api/connectors/${connector.id}/sync`).catch(() => undefined)]);
      }
      await cron.then((r) => r.text()).catch(() => undefined);

      // A real process kill at a random moment of the tick, then a fresh start on the same D1.
      if (killTicks.has(tick)) {
        await sleep(rng.int(0, 1_500));
        try {
          process.kill(-worker.process.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        await new Promise((resolve) => (worker!.process.exitCode !== null || worker!.process.signalCode !== null ? resolve(undefined) : worker!.process.once('exit', resolve)));
        report.kills++;
        lastKillAt = Date.now();
        worker = await start();
      }

      const killedRecently = Date.now() - lastKillAt < 150_000;
      await settle(killedRecently);
      await control('DELETE', '/faults');
      const calls = (await apiCalls()) - callsBefore;
      callsPerTick.push(calls);
      const violations = await check(tick, killedRecently, calls);
      report.ticks = tick;
      log(`tick ${String(tick).padStart(3)} ${new Date(now).toISOString().slice(11, 16)}  calls ${String(calls).padStart(3)}  violations ${violations.length}${violations.length ? `: ${violations[0]}` : ''}`);
    }

    // ── the faults stop: the copy must converge ──────────────────────────────────────────────────────────────────
    await control('DELETE', '/faults');
    await control('PUT', '/api-usage', { used: 100 });
    budgetEpisode = undefined;
    const leaseFree = Date.now() + 150_000;
    for (let round = 0; round < 12; round++) {
      now += options.minutesPerTick * 60_000;
      await control('PUT', '/clock', { time: new Date(now).toISOString(), frozen: true });
      await fetch(`${worker.url}/cdn-cgi/local/scheduled?time=${now}`).then((r) => r.text());
      await settle(Date.now() < leaseFree);
      const before = report.violations.length;
      const copy = copyOf();
      const sf = await sfState();
      const same = [...sf.values()].filter((r) => !r.IsDeleted).every((r) => copy.get(r.Id) === iso(r.SystemModstamp)) && [...copy.keys()].every((id) => sf.get(id) && !sf.get(id)!.IsDeleted);
      if (same || round === 11) {
        await check(options.ticks + round + 1, Date.now() < leaseFree, 0, true);
        log(`converged after ${round + 1} quiet tick(s): ${report.converged} (${report.violations.length - before} violations)`);
        break;
      }
      // A lease left by a kill expires (about 85 s after the kill) before the connector can run again.
      if (Date.now() < leaseFree) await sleep(5_000);
    }

    report.simulatedHours = (options.ticks * options.minutesPerTick) / 60;
    const total = callsPerTick.reduce((a, b) => a + b, 0);
    report.apiCallsPerTick = { total, mean: Math.round((total / Math.max(1, callsPerTick.length)) * 10) / 10, max: Math.max(0, ...callsPerTick) };
    report.wallSeconds = Math.round((Date.now() - started) / 1000);
    return report;
  } finally {
    db?.close();
    await worker?.stop();
    await emulator.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

export function formatReport(r: SoakReport): string {
  const kinds = (bucket: Record<string, number>) => Object.entries(bucket).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    `soak: ${r.ticks} ticks (${Math.round(r.simulatedHours * 10) / 10} simulated hours) in ${r.wallSeconds} s`,
    `  faults injected: ${kinds(r.faults)}`,
    `  org changes: ${kinds(r.chaos)}`,
    `  process kills: ${r.kills}`,
    `  runs: ${kinds(r.runs)}`,
    `  invariant checks: ${r.invariantChecks}`,
    `  API calls per tick: mean ${r.apiCallsPerTick.mean}, max ${r.apiCallsPerTick.max}, total ${r.apiCallsPerTick.total}`,
    `  converged after the faults stopped: ${r.converged ? 'yes' : 'no'}`,
    `  violations: ${r.violations.length}`,
    ...r.violations.slice(0, 20).map((v) => `    ${v}`),
  ].join('\n');
}
