import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvRows } from './csv-stream';

const RECORDS = Array.from({ length: 40 }, (_, i) => ({
  Id: `003000000000${String(i).padStart(3, '0')}AAA`,
  LastName: ['Plain', 'With, comma', 'With "quotes"', 'Two\nlines', 'Crème brûlée 🍮', '', '"\n"'][i % 7]!,
  Description: i % 3 === 0 ? 'line one\r\nline two, "quoted"' : 'x',
}));
const CSV = Papa.unparse(RECORDS, { newline: '\n' }) + '\n';

/**
 * The bytes of `text` in pieces of `size` (cutting through quoted values and multi-byte characters alike), as a plain
 * stream or as a byte stream (what a fetch body is, read into csvRows' own buffer).
 */
function streamOf(text: string, size: number, type?: 'bytes', onCancel?: () => void): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    type,
    cancel: onCancel,
    pull(controller: ReadableByteStreamController) {
      if (at < bytes.length) return controller.enqueue(bytes.slice(at, (at += size)));
      controller.close();
      // A byte stream closed while a read into the reader's buffer waits answers that read with no bytes.
      controller.byobRequest?.respond(0);
    },
  } as unknown as UnderlyingSource<Uint8Array>);
}

async function readAll(text: string, size: number, type?: 'bytes') {
  const rows: Record<string, string>[] = [];
  const batches: number[] = [];
  for await (const batch of csvRows(streamOf(text, size, type), (problem) => new Error(problem), 100)) {
    rows.push(...batch);
    batches.push(batch.length);
  }
  return { rows, batches };
}

describe('csvRows', () => {
  it.each([1, 7, 64, 100_000])('gives the rows Papa Parse reads from the whole text, delivered in pieces of %i bytes', async (size) => {
    const { rows, batches } = await readAll(CSV, size);
    expect(rows).toEqual(RECORDS);
    // Rows come out while the body is still arriving, not all at the end.
    if (size < CSV.length) expect(batches.length).toBeGreaterThan(1);
  });

  it.each([1, 7, 4096])('reads a byte stream (a fetch body) in pieces of %i bytes into its own buffer', async (size) => {
    const { rows } = await readAll(CSV, size, 'bytes');
    expect(rows).toEqual(RECORDS);
    await expect(readAll(CSV.slice(0, CSV.indexOf('Two\nlines') + 4), size, 'bytes')).rejects.toThrow('ends inside a quoted value');
  });

  it.each([undefined, 'bytes' as const])('lets the rest of the body go when the reader stops early (%s stream)', async (type) => {
    let cancelled = false;
    for await (const batch of csvRows(streamOf(CSV, 64, type, () => (cancelled = true)), (problem) => new Error(problem), 100)) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('reads a last line without its newline, and a header alone as no rows', async () => {
    expect((await readAll(CSV.trimEnd(), 13)).rows).toEqual(RECORDS);
    expect((await readAll('"Id","LastName"\n', 5)).rows).toEqual([]);
    expect((await readAll('', 5)).rows).toEqual([]);
  });

  it('reads results of a single column (an Id reconciliation’s SELECT Id)', async () => {
    const ids = RECORDS.map((r) => ({ Id: r.Id }));
    expect((await readAll(Papa.unparse(ids, { newline: '\n' }) + '\n', 11)).rows).toEqual(ids);
  });

  it('refuses a record with more or fewer values than the header, wherever the body is cut', async () => {
    // After the first record (two lines: its Description holds a line break).
    const at = CSV.split('\n', 3).join('\n').length + 1;
    const short = `${CSV.slice(0, at)}"003000000000999AAA","only two"\n${CSV.slice(at)}`;
    const long = `${CSV.slice(0, at)}"003000000000999AAA","a","b","c"\n${CSV.slice(at)}`;
    for (const size of [3, 64, 100_000]) {
      await expect(readAll(short, size)).rejects.toThrow('has 2 values in record 2 where the header has 3');
      await expect(readAll(long, size, 'bytes')).rejects.toThrow('has 4 values in record 2 where the header has 3');
    }
    // A body cut after a value of its last record, outside quotes.
    await expect(readAll('"Id","LastName"\n"003000000000001AAA"', 5)).rejects.toThrow('has 1 value in record 1 where the header has 2');
  });

  it('skips empty lines, as Salesforce never sends them', async () => {
    const spaced = CSV.replace(/\n(?=")/g, '\n\n');
    expect((await readAll(spaced, 50)).rows.length).toBe(RECORDS.length);
  });

  it('refuses a body cut off inside a quoted value', async () => {
    await expect(readAll(CSV.slice(0, CSV.indexOf('Two\nlines') + 4), 9)).rejects.toThrow('ends inside a quoted value');
  });
});
