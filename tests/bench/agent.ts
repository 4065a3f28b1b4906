/**
 * `npm run bench -- --agent [--volumes 100000,1000000]`: the agent section. At each volume, contacts (and a tenth as
 * many accounts) are written into a local D1 with the Worker's own D1 destination statements (search index
 * included), then the real Worker (`wrangler dev`) answers the MCP tools to the SDK's client over HTTP:
 * - `search` (FTS5) and `queryRecords` (an equality and a prefix filter), median and p95 of many calls, beside the
 *   same question answered by a LIKE scan over the same file in the same run (SQLite directly: no HTTP or MCP on that
 *   side, so the comparison flatters the scan);
 * - the write path: rows per CPU second through the page statements (a first load's, and an incremental tick's) with and without the search index statements, on
 *   the same SQLite D1 runs, in transactions the size of a sync page (D1 runs a batch as one transaction).
 * Writes docs/benchmarks-agent.{md,json}.
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { TABLES, type DestinationTable } from '../../shared/mapping/destination';
import type { SourceField } from '../../shared/mapping/type-rules';
import { createTenantWithKey } from '../../scripts/lib/tenants';
import { ROOT, applyMigrations, freePort, startLocalWorker } from '../../scripts/lib/wrangler';
import { accountGenerator, contactGenerator } from '../salesforce-emulator/seed-values';
import { d1Destination } from '../../worker/src/destinations/d1';
import { pageConverter } from '../../worker/src/sync/convert-page';
import { indexForSearch } from './sqlite-destination';

const SEED = 7;
const PAGE = 2_000;
const CONNECTOR_ID = 'bench-connector';
const SAMPLES = 200;
/**
 * The LIKE scan reads the whole table each time (seconds at 1M on a shared machine): it stops after this much time,
 * with at least LIKE_MIN_SAMPLES calls, so the 1M run ends in minutes. The report says how many it took.
 */
const LIKE_BUDGET_MS = 60_000;
const LIKE_MIN_SAMPLES = 20;

interface Recorded {
  sql: string;
  args: unknown[];
}

/** A stand-in for D1 that records the batch the D1 destination sends, so node:sqlite can run exactly that. */
function recordingD1(into: Recorded[]): D1Database {
  return {
    prepare(sql: string) {
      return { bind: (...args: unknown[]): Recorded => ({ sql, args }) };
    },
    async batch(statements: Recorded[]) {
      into.push(...statements);
      return statements.map(() => ({ meta: { changes: 0 } }));
    },
  } as unknown as D1Database;
}

function describedFields(object: 'Contact' | 'Account'): Map<string, SourceField> {
  const describe = JSON.parse(readFileSync(join(ROOT, `tests/salesforce-emulator/recordings/${object}_describe.cumulusci.json`), 'utf8')) as { fields: SourceField[] };
  return new Map(describe.fields.map((f) => [f.name, { name: f.name, type: f.type }]));
}

const salesforceId = (prefix: string, row: number) => `${prefix}${String(row + 1).padStart(12, '0')}`;

/** The first `count` of `total` records (the total spreads contacts over the accounts), stamped on day `day`. */
function* records(table: DestinationTable, count: number, accounts: number, day = 1, total = count): Generator<Record<string, unknown>[]> {
  const fields = Object.values(DEFAULT_MAPPINGS[table]).filter((f) => f !== 'Id');
  const value = table === 'contact' ? contactGenerator(SEED, accounts, total, (row) => salesforceId('001', row)) : accountGenerator(SEED);
  const stamp = new Date(Date.UTC(2026, 10, day)).toISOString();
  for (let start = 0; start < count; start += PAGE) {
    const page: Record<string, unknown>[] = [];
    for (let row = start; row < Math.min(count, start + PAGE); row++) {
      const record: Record<string, unknown> = { Id: salesforceId(table === 'contact' ? '003' : '001', row), SystemModstamp: stamp, IsDeleted: false };
      for (const field of fields) record[field] = value(row, field) ?? null;
      page.push(record);
    }
    yield page;
  }
}

/**
 * Writes `count` records through the page statements; answers rows per CPU second of the SQL alone (making the
 * records and the statements is left out of the time). `withSearch: false` leaves the search index statements out.
 */
async function writeThroughPages(db: DatabaseSync, tenantId: string, table: DestinationTable, count: number, accounts: number, withSearch: boolean, day = 1, total = count): Promise<number> {
  const target = { tenantId, connectorId: CONNECTOR_ID, table, deleteMode: 'hard' as const, rewriteSameVersion: false };
  const convert = pageConverter({ target, mapping: DEFAULT_MAPPINGS[table], fields: describedFields(TABLES[table].source), teamId: '00000000-0000-0000-0000-0000000000aa' });
  let sqlMs = 0;
  let written = 0;
  for (const page of records(table, count, accounts, day, total)) {
    const recorded: Recorded[] = [];
    const at = new Date().toISOString();
    await d1Destination(recordingD1(recorded)).commitPage(convert(page, at), { cursor: null, runId: 'bench', passEndedAt: null, at });
    const statements = recorded.filter((s) => withSearch || !/search_keys|record_search/.test(s.sql));
    // CPU time, not wall time: node:sqlite runs the SQL on this thread, so the figure is the SQL's own work and other
    // processes on a shared machine do not move the with/without ratio.
    const started = process.cpuUsage();
    db.exec('BEGIN');
    for (const s of statements) db.prepare(s.sql).run(...(s.args as (string | number | null)[]));
    db.exec('COMMIT');
    const used = process.cpuUsage(started);
    sqlMs += (used.user + used.system) / 1000;
    written += page.length;
  }
  return written / (sqlMs / 1000);
}

/**
 * The least FTS5 can cost: the contacts just written without the index (in `rowSeconds` of SQL CPU), indexed
 * afterwards in one INSERT … SELECT in one transaction, FTS5's cheapest path (no per-page segments or merges). Answers
 * rows-only time ÷ (rows-only + that index time): the write ratio no design that keeps an FTS5 index could beat.
 */
function bulkIndexShare(db: DatabaseSync, rowSeconds: number): number {
  indexForSearch(db, 'account');
  const started = process.cpuUsage();
  db.exec('BEGIN');
  indexForSearch(db, 'contact');
  db.exec('COMMIT');
  const used = process.cpuUsage(started);
  const indexSeconds = (used.user + used.system) / 1e6;
  return round(rowSeconds / (rowSeconds + indexSeconds));
}

function settleOnDisk(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function d1File(persistTo: string): string {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  const file = walk(persistTo).find((f) => f.endsWith('.sqlite') && !f.includes('metadata'));
  if (!file) throw new Error(`no D1 file under ${persistTo}`);
  return file;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const stats = (ms: number[]) => ({ medianMs: round(percentile(ms, 50)), p95Ms: round(percentile(ms, 95)), samples: ms.length });
const round = (n: number) => Math.round(n * 100) / 100;

async function timed(fn: () => unknown | Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export interface AgentVolumeResult {
  contacts: number;
  accounts: number;
  /** bulkIndexRatio: the ratio had the index been written after the rows in one statement (bulkIndexShare) */
  writeRowsPerSecond: { withSearchIndex: number; withoutSearchIndex: number; ratio: number; bulkIndexRatio: number };
  /** pages of records already there at a newer version whose indexed text did not change (an incremental tick) */
  rewriteRowsPerSecond: { withSearchIndex: number; withoutSearchIndex: number; ratio: number };
  search: { medianMs: number; p95Ms: number; samples: number };
  likeScan: { medianMs: number; p95Ms: number; samples: number };
  queryEquals: { medianMs: number; p95Ms: number; samples: number };
  queryPrefix: { medianMs: number; p95Ms: number; samples: number };
  /** `GET /api/health` through the same wrangler dev: what any request costs before the Worker does anything */
  httpFloor: { medianMs: number; p95Ms: number; samples: number };
  speedupP95: number;
}

async function runVolume(contacts: number, log: (m: string) => void): Promise<AgentVolumeResult> {
  const accounts = Math.max(1, Math.round(contacts / 10));
  const persistTo = mkdtempSync(join(tmpdir(), 'forcebridge-bench-agent-'));
  try {
    await applyMigrations({ persistTo });
    const tenant = await createTenantWithKey({ persistTo }, 'Bench Team');
    const file = d1File(persistTo);

    // The write path, with and without the index, on scratch copies of the schema (the same migrations).
    const writeSample = Math.min(contacts, 100_000);
    const rates: number[] = [];
    const rewriteRates: number[] = [];
    let bulkIndexRatio = Number.NaN;
    for (const withSearch of [true, false]) {
      const scratch = join(persistTo, `write-${withSearch}.sqlite`);
      const db = new DatabaseSync(scratch);
      db.exec('PRAGMA journal_mode = WAL');
      for (const name of readdirSync(join(ROOT, 'worker/migrations')).filter((n) => n.endsWith('.sql')).sort()) db.exec(readFileSync(join(ROOT, 'worker/migrations', name), 'utf8'));
      db.prepare('INSERT INTO tenants (id, name) VALUES (?, ?)').run(tenant.id, 'Bench');
      // The accounts first, as a first load writes them: a contact's indexed text carries its account's name.
      await writeThroughPages(db, tenant.id, 'account', accounts, accounts, withSearch);
      rates.push(await writeThroughPages(db, tenant.id, 'contact', writeSample, accounts, withSearch));
      // An incremental tick's pages: the same records at a newer version, edited in fields search does not read.
      rewriteRates.push(await writeThroughPages(db, tenant.id, 'contact', Math.min(writeSample, 10_000), accounts, withSearch, 2, writeSample));
      if (!withSearch) bulkIndexRatio = bulkIndexShare(db, writeSample / rates[1]!);
      db.close();
    }
    const writeRowsPerSecond = { withSearchIndex: Math.round(rates[0]!), withoutSearchIndex: Math.round(rates[1]!), ratio: round(rates[0]! / rates[1]!), bulkIndexRatio };
    const rewriteRowsPerSecond = { withSearchIndex: Math.round(rewriteRates[0]!), withoutSearchIndex: Math.round(rewriteRates[1]!), ratio: round(rewriteRates[0]! / rewriteRates[1]!) };
    log(`  write path (${writeSample.toLocaleString('en-US')} contacts): ${writeRowsPerSecond.withSearchIndex} rows/s with the index, ${writeRowsPerSecond.withoutSearchIndex} without (${writeRowsPerSecond.ratio}); indexed in one statement afterwards instead: ${bulkIndexRatio}`);
    log(`  rewrite, indexed text unchanged: ${rewriteRowsPerSecond.withSearchIndex} rows/s with the index, ${rewriteRowsPerSecond.withoutSearchIndex} without (${rewriteRowsPerSecond.ratio})`);

    // The data the Worker will serve, written the way the sync writes it.
    const db = new DatabaseSync(file);
    db.exec(`INSERT INTO connections (id, tenant_id, org_id, instance_url, login_audience, status, operation, app_name, integration_username, permission_set_name)
             VALUES ('bench-connection', '${tenant.id}', '00D000000000001', 'https://acme.my.salesforce.com', 'https://login.salesforce.com', 'connected', 'turn_on', 'Forcebridge', 'bench@example.com', 'Forcebridge_permission_set')`);
    db.exec(`INSERT INTO connectors (id, tenant_id, connection_id, name, team_name, team_id, interval_minutes, active) VALUES ('${CONNECTOR_ID}', '${tenant.id}', 'bench-connection', 'Bench', 'Sales', '00000000-0000-0000-0000-0000000000aa', 15, 1)`);
    for (const table of ['contact', 'account'] as const) {
      db.prepare('INSERT INTO connector_tables (connector_id, table_name, mapping) VALUES (?, ?, ?)').run(CONNECTOR_ID, table, JSON.stringify(DEFAULT_MAPPINGS[table]));
    }
    await writeThroughPages(db, tenant.id, 'account', accounts, accounts, true);
    await writeThroughPages(db, tenant.id, 'contact', contacts, accounts, true);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    log(`  loaded ${contacts.toLocaleString('en-US')} contacts and ${accounts.toLocaleString('en-US')} accounts`);

    // What agents ask: names and emails of existing rows, spread over the table.
    const probes = db
      .prepare(`SELECT lastname, emailaddress1 FROM contact WHERE tenant_id = ? AND rowid % ? = 0 LIMIT ?`)
      .all(tenant.id, Math.max(1, Math.floor(contacts / SAMPLES)), SAMPLES) as { lastname: string; emailaddress1: string }[];
    const like = db.prepare(
      `SELECT contactid FROM contact WHERE tenant_id = ? AND forcebridge_deleted_at IS NULL AND (firstname LIKE ? OR lastname LIKE ? OR emailaddress1 LIKE ? OR telephone1 LIKE ?) LIMIT 20`,
    );
    const likeMs: number[] = [];
    const likeStarted = performance.now();
    for (const p of probes) {
      if (likeMs.length >= LIKE_MIN_SAMPLES && performance.now() - likeStarted > LIKE_BUDGET_MS) break;
      const pattern = `%${p.emailaddress1}%`;
      likeMs.push(await timed(() => like.all(tenant.id, pattern, pattern, pattern, pattern)));
    }
    db.close();
    // The load left the file's pages in the OS's cache, not yet on disk (a gigabyte at 1M). Written out now, so the
    // Worker's first commits (every call counts against its credential) do not wait for that writeback, which no
    // deployed D1 has pending, and the latencies measure the Worker, not the load's aftermath.
    settleOnDisk(file);

    const worker = await startLocalWorker({ port: await freePort(), persistTo, quiet: true, vars: { ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'), AGENT_CALLS_PER_MINUTE: '1000000' } });
    try {
      const created = (await (
        await fetch(`${worker.url}/api/agent-credentials`, { method: 'POST', headers: { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' }, body: '{"name":"bench"}' })
      ).json()) as { key: string };
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${worker.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${created.key}` } } }));
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
        return result;
      };
      await call('listTables', {}); // warm the isolate
      // The floor under every call: an HTTP request through wrangler dev's proxy to the Worker and back.
      const healthMs: number[] = [];
      for (let i = 0; i < SAMPLES; i++) healthMs.push(await timed(() => fetch(`${worker.url}/api/health`).then((r) => r.text())));
      const searchMs: number[] = [];
      const equalsMs: number[] = [];
      const prefixMs: number[] = [];
      let found = 0;
      for (const p of probes) {
        searchMs.push(await timed(async () => ((await call('search', { query: p.emailaddress1, limit: 20 })).structuredContent as { hits: unknown[] }).hits.length && found++));
        equalsMs.push(await timed(() => call('queryRecords', { table: 'contact', filters: [{ column: 'emailaddress1', op: 'equals', value: p.emailaddress1 }], limit: 20 })));
        prefixMs.push(await timed(() => call('queryRecords', { table: 'contact', filters: [{ column: 'lastname', op: 'prefix', value: p.lastname.slice(0, 3) }], sort: { column: 'lastname', direction: 'asc' }, limit: 20 })));
      }
      if (found < probes.length) throw new Error(`search found only ${found} of ${probes.length} existing contacts`);
      await client.close();
      const search = stats(searchMs);
      const likeScan = stats(likeMs);
      const result = { contacts, accounts, writeRowsPerSecond, rewriteRowsPerSecond, search, likeScan, queryEquals: stats(equalsMs), queryPrefix: stats(prefixMs), httpFloor: stats(healthMs), speedupP95: round(likeScan.p95Ms / search.p95Ms) };
      log(`  search p50 ${search.medianMs} ms, p95 ${search.p95Ms} ms; LIKE scan p50 ${likeScan.medianMs} ms, p95 ${likeScan.p95Ms} ms (${result.speedupP95}×)`);
      log(`  queryRecords equals p50 ${result.queryEquals.medianMs} / p95 ${result.queryEquals.p95Ms} ms; prefix p50 ${result.queryPrefix.medianMs} / p95 ${result.queryPrefix.p95Ms} ms`);
      return result;
    } finally {
      await worker.stop();
    }
  } finally {
    rmSync(persistTo, { recursive: true, force: true });
  }
}

export async function runAgentBench(volumes: number[], out: string, command: string, log: (m: string) => void) {
  const results: AgentVolumeResult[] = [];
  for (const contacts of volumes) {
    log(`agent section at ${contacts.toLocaleString('en-US')} contacts`);
    results.push(await runVolume(contacts, log));
  }
  const rows = results.map(
    (r) =>
      `| ${r.contacts.toLocaleString('en-US')} | ${r.search.medianMs} / ${r.search.p95Ms} | ${r.likeScan.medianMs} / ${r.likeScan.p95Ms} | ${r.speedupP95}× | ${r.queryEquals.medianMs} / ${r.queryEquals.p95Ms} | ${r.queryPrefix.medianMs} / ${r.queryPrefix.p95Ms} | ${r.httpFloor.medianMs} / ${r.httpFloor.p95Ms} | ${r.writeRowsPerSecond.withSearchIndex.toLocaleString('en-US')} / ${r.writeRowsPerSecond.withoutSearchIndex.toLocaleString('en-US')} (${r.writeRowsPerSecond.ratio}) | ${r.writeRowsPerSecond.bulkIndexRatio} | ${r.rewriteRowsPerSecond.withSearchIndex.toLocaleString('en-US')} / ${r.rewriteRowsPerSecond.withoutSearchIndex.toLocaleString('en-US')} (${r.rewriteRowsPerSecond.ratio}) |`,
  );
  const md = `# Agent access benchmark

\`${command}\`, ${new Date().toISOString()}. Latencies are milliseconds (median / p95) of ${SAMPLES} calls each (the LIKE scan: as many as fit in ${LIKE_BUDGET_MS / 1000} s, at least ${LIKE_MIN_SAMPLES}; the JSON says how many), measured
by the MCP SDK's client over HTTP against the Worker under \`wrangler dev\` (local D1), so they include HTTP, the
MCP protocol and the Worker; the LIKE scan is the same question asked of the same SQLite file directly. The write
path is rows per CPU second through the sync's page statements on SQLite, with / without the search index statements:
a first load's pages (accounts written first, as the sync does), and an incremental tick's (the same contacts again at
a newer version, their indexed text unchanged).
Targets (issue #15): search p95 ≤ 50 ms at 1M and ≥ 20× faster than the scan; write ratio ≥ 0.9.

| contacts | search | LIKE scan | scan p95 ÷ search p95 | queryRecords equals | queryRecords prefix | HTTP floor (GET /api/health) | first-load write rows/s with / without index (ratio) | ratio had the index been written afterwards in one statement | incremental write rows/s with / without (ratio) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Reading the figures:
- Every MCP call pays a fixed cost before any search: HTTP through \`wrangler dev\` (the HTTP floor column:
  \`GET /api/health\`, unauthenticated, one small D1 read), a new MCP server and transport (the endpoint is
  stateless; the tools' schemas are built once per isolate) and the credential read (which also brings the live-tools
  switch and the rate-limit window). The rate-limit count and the audit row are written after the answer
  (\`ctx.waitUntil\`), outside the measured time.
  \`queryRecords\` equals, served by an index, shows that floor; the search figures sit on it.
- The search probes are whole emails, matched as phrases: FTS5 walks only the rows holding all their tokens.
  A prefix on an email's last token ("com") would merge the postings of every contact.
- The write ratio is bounded by FTS5 itself: tokenising a record's text and writing its postings and size costs
  about as much as writing the contact row since the upserts read their rows with \`jsonb_each\` (about a quarter
  before). The "afterwards in one statement" column measures the least FTS5 can cost: the same contacts written
  without the index, then indexed in one \`INSERT … SELECT\` in one transaction (no per-page segments, no merges).
  Even that stays far from 0.9, so no design that keeps an FTS5 index (in the page's batch or after it) reaches 0.9;
  contentless and \`detail=column\` tables, \`columnsize=0\` and other \`automerge\` settings measured no different
  beyond the noise.
`;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'benchmarks-agent.md'), md);
  writeFileSync(join(out, 'benchmarks-agent.json'), JSON.stringify({ command, results }, null, 2));
  log(`wrote ${join(out, 'benchmarks-agent.md')}`);
}
