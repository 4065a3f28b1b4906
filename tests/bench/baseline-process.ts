/**
 * The baselines, each run in a process of its own so its CPU time and peak memory are its alone. Prints one JSON
 * line with what it measured.
 *
 *   ceiling  the emulator's query pages fetched with plain fetch (queryAll, then nextRecordsUrl) and parsed, then
 *            the same rows inserted straight into SQLite in one transaction, and the search index over them
 *            in one statement per table — the floor of the work;
 *   paged    the ceiling's read and rows, committed a Worker's Bulk chunk (2,500 records) at a time, each chunk's
 *            search index in its own transaction as the Worker writes it: what committing page by page, which
 *            crash safety asks of any sync, costs SQLite itself;
 *   naive    jsforce `conn.query(soql, { autoFetch: true, maxFetch: Infinity })`, then one INSERT per row, each
 *            committed on its own (SQLite autocommit), and the search index as the ceiling writes it.
 *
 * All sample their JS heap as the Worker's isolate is sampled (heap-trace.ts), so the heap figures compare like for
 * like; the process runs with --expose-gc for the collections before and after.
 *
 * Usage: node --expose-gc baseline-process.ts '{"kind":"ceiling"|"paged"|"naive","emulatorUrl":…,"token":…,"file":…}'
 */
import { readFileSync } from 'node:fs';
import { Connection } from 'jsforce';
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { TABLES, type DestinationTable } from '../../shared/mapping/destination';
import { API_VERSION } from '../../worker/src/salesforce/api';
import { BULK_CHUNK_RECORDS, passSoql } from '../../worker/src/sync/plan';
import { HEAP_SAMPLE_MS, type HeapFigures, type HeapReading, heapRecorder } from './heap-trace';
import { type SalesforceRecord, indexForSearch, openDestination, pageIndexer, rowWriter } from './sqlite-destination';

export interface BaselineInput {
  kind: 'ceiling' | 'paged' | 'naive';
  emulatorUrl: string;
  token: string;
  file: string;
}

export interface BaselineOutput extends HeapFigures {
  records: number;
  fetchMs: number;
  fetchCpuMs: number;
  insertMs: number;
  /** of insertMs, the search index's statements */
  searchIndexMs: number;
  insertCpuMs: number;
  peakMb: number;
  /** resident set once the process had loaded its code, before any work */
  startMb: number;
}

const TABLE_ORDER: DestinationTable[] = ['account', 'contact'];
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The ceiling's reader: every page of the Worker's own first-load SOQL, parsed, nothing else. */
async function fetchPages(input: BaselineInput, table: DestinationTable): Promise<SalesforceRecord[]> {
  const headers = { Authorization: `Bearer ${input.token}` };
  const rows: SalesforceRecord[] = [];
  let url: string | null = `${input.emulatorUrl}/services/data/v${API_VERSION}/queryAll?q=${encodeURIComponent(passSoql(table, DEFAULT_MAPPINGS[table], null))}`;
  while (url) {
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`queryAll → ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { records: SalesforceRecord[]; nextRecordsUrl?: string };
    for (const record of page.records) rows.push(record);
    url = page.nextRecordsUrl ? `${input.emulatorUrl}${page.nextRecordsUrl}` : null;
  }
  return rows;
}

/** The naive reader: jsforce fetching every page for us. */
async function jsforceQuery(conn: Connection, table: DestinationTable): Promise<SalesforceRecord[]> {
  const fields = ['Id', 'SystemModstamp', ...Object.values(DEFAULT_MAPPINGS[table]).filter((f) => f !== 'Id')];
  const result = await conn.query<SalesforceRecord>(`SELECT ${fields.join(', ')} FROM ${TABLES[table].source}`, { autoFetch: true, maxFetch: Infinity });
  return result.records;
}

const statusMb = (field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** What the Worker's inspector reports of its isolate, read off this process: V8's used and committed heap, ArrayBuffers. */
function heapNow(): HeapReading {
  const usage = process.memoryUsage();
  return { used: usage.heapUsed, total: usage.heapTotal, arrayBuffers: usage.arrayBuffers };
}

function heapAfterGc(): HeapReading {
  if (!globalThis.gc) throw new Error('Run the baseline with node --expose-gc: it measures the heap after a full collection.');
  globalThis.gc();
  return heapNow();
}

async function main(input: BaselineInput): Promise<BaselineOutput> {
  const startMb = statusMb('VmRSS');
  const db = openDestination(input.file);
  const fetched = new Map<DestinationTable, SalesforceRecord[]>();
  const heapBefore = heapAfterGc();
  const heap = heapRecorder(HEAP_SAMPLE_MS);
  const sampler = setInterval(() => heap.add(heapNow()), HEAP_SAMPLE_MS);

  let wall = performance.now();
  let cpu = cpuNow();
  const conn = new Connection({ instanceUrl: input.emulatorUrl, accessToken: input.token, version: API_VERSION });
  for (const table of TABLE_ORDER) fetched.set(table, input.kind === 'naive' ? await jsforceQuery(conn, table) : await fetchPages(input, table));
  const fetchMs = performance.now() - wall;
  const fetchCpuMs = cpuNow() - cpu;
  // The writes are synchronous, so the interval cannot fire during them: a sample now, and as each table's end. The
  // live heap is largest now, with every record fetched (outside the timed stretches).
  heap.add(heapNow());
  heap.addLive(heapAfterGc());

  wall = performance.now();
  cpu = cpuNow();
  let searchIndexMs = 0;
  if (input.kind === 'ceiling') db.exec('BEGIN');
  for (const table of TABLE_ORDER) {
    const write = rowWriter(db, table, input.kind === 'naive');
    const records = fetched.get(table)!;
    if (input.kind === 'paged') {
      const indexPage = pageIndexer(db, table);
      for (let at = 0; at < records.length; at += BULK_CHUNK_RECORDS) {
        db.exec('BEGIN');
        const keys = records.slice(at, at + BULK_CHUNK_RECORDS).map(write);
        const indexing = performance.now();
        indexPage(keys);
        searchIndexMs += performance.now() - indexing;
        db.exec('COMMIT');
      }
    } else {
      for (const record of records) write(record);
      const indexing = performance.now();
      indexForSearch(db, table);
      searchIndexMs += performance.now() - indexing;
    }
    heap.add(heapNow());
  }
  if (input.kind === 'ceiling') db.exec('COMMIT');
  const insertMs = performance.now() - wall;
  const insertCpuMs = cpuNow() - cpu;
  clearInterval(sampler);

  const count = TABLE_ORDER.reduce((sum, t) => sum + Number((db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n), 0);
  db.close();
  fetched.clear();
  return { records: count, fetchMs, fetchCpuMs, insertMs, searchIndexMs, insertCpuMs, peakMb: statusMb('VmHWM'), startMb, ...heap.figures(heapBefore, heapAfterGc()) };
}

main(JSON.parse(process.argv[2] ?? '{}') as BaselineInput).then(
  (output) => process.stdout.write(`${JSON.stringify(output)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
