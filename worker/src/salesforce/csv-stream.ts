/**
 * CSV read as it arrives (Bulk API 2.0 results): whole records out as soon as enough of them are in, so a page of any
 * size is never held in memory at once.
 */
import { type CsvRecord, recordParser } from './csv-records';

/** Text gathered before a parse: the parser's per-call cost stays small next to the work, memory a few hundred KB. */
const PARSE_AT_CHARS = 256 * 1024;

/**
 * Splits a CSV byte stream at record boundaries (a newline outside quotes: Salesforce doubles a quote inside a quoted
 * value), checks that every record has as many values as the header, and parses each run of whole records
 * (csv-records.ts).
 */
export async function* csvRows(body: ReadableStream<Uint8Array>, malformed: (problem: string) => Error, parseAtChars = PARSE_AT_CHARS): AsyncGenerator<CsvRecord[]> {
  let parseRecords: ((records: string) => CsvRecord[]) | undefined;
  let buffer = '';
  const parse = (records: string) => {
    if (scan.misshapen) {
      const { record, values } = scan.misshapen;
      throw malformed(`has ${values} value${values === 1 ? '' : 's'} in record ${record} where the header has ${scan.headerSeparators + 1}`);
    }
    if (parseRecords === undefined) {
      const end = records.indexOf('\n') + 1;
      parseRecords = recordParser(records.slice(0, end), malformed);
      records = records.slice(end);
    }
    return records === '' ? [] : parseRecords(records);
  };
  // Where the text read so far stands, kept as the text arrives so each character is looked at once (counting quotes
  // from the start of the buffer for each parse was most of a Bulk page's CPU: tests/bench/profile.ts).
  const scan: Scan = { inQuotes: false, inRecord: false, separators: 0, headerSeparators: -1, records: 0, recordEnd: -1 };
  for await (const text of decoded(body)) {
    // The new text alone is scanned (indexing into the joined buffer would flatten it again for every piece).
    scanText(scan, text, buffer.length);
    buffer += text;
    if (buffer.length < parseAtChars || scan.recordEnd < 0) continue;
    const rows = parse(buffer.slice(0, scan.recordEnd + 1));
    // Cut at a record's end, so what is left starts outside quotes and inQuotes still holds for its end.
    buffer = buffer.slice(scan.recordEnd + 1);
    scan.recordEnd = -1;
    if (rows.length > 0) yield rows;
  }
  if (scan.inQuotes) throw malformed('ends inside a quoted value');
  if (buffer.trim() === '') return;
  if (scan.headerSeparators < 0 && !buffer.includes('\n')) return; // a header alone, without its newline: an empty page
  if (!buffer.endsWith('\n')) {
    scanText(scan, '\n', buffer.length);
    buffer += '\n';
  }
  const rows = parse(buffer);
  if (rows.length > 0) yield rows;
}

/** Bytes asked for per read of a response body: workerd hands a fetch body over in 4 KiB pieces otherwise. */
const READ_AT_LEAST = 256 * 1024;

/**
 * The body as text, a few hundred KB at a time: read into one reused buffer until at least READ_AT_LEAST bytes are in
 * (workerd's non-standard `readAtLeast`; elsewhere, such as Node in the unit tests, what has arrived), and decoded by
 * one streaming TextDecoder (a UTF-8 character cut between reads is kept for the next). Every read costs a promise, a
 * decode and a scan, and a 1M first load reads about 400 MB: in 4 KiB pieces (through
 * pipeThrough(new TextDecoderStream())) the body read was the largest share of the isolate's profile at 1M, and
 * reading 256 KiB at a time took a 100k load from 140 to 125 workerd CPU ms per 1,000 records (tests/bench/profile.ts).
 * A stream that is not a byte stream is read as it comes.
 * https://developers.cloudflare.com/workers/runtime-apis/streams/readablestreambyobreader/
 */
async function* decoded(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const byob = byobReader(body);
  const reader = byob ?? body.getReader();
  let buffer = new ArrayBuffer(byob ? READ_AT_LEAST : 0);
  const read = (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    if (!byob) return (reader as ReadableStreamDefaultReader<Uint8Array>).read();
    const view = new Uint8Array(buffer);
    return byob.readAtLeast ? byob.readAtLeast(READ_AT_LEAST, view) : byob.read(view);
  };
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await read();
      if (value && value.byteLength > 0) {
        yield decoder.decode(value, { stream: true });
        if (byob) buffer = value.buffer as ArrayBuffer;
      }
      if (done) break;
    }
    finished = true;
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    // Left before the end (a chunk's write failed, a page is read again): the rest of the body is let go, so its
    // connection is not held until the isolate collects it.
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
  }
}

type ByobReader = ReadableStreamBYOBReader & {
  /** workerd's: https://developers.cloudflare.com/workers/runtime-apis/streams/readablestreambyobreader/ */
  readAtLeast?: (minBytes: number, view: Uint8Array) => Promise<ReadableStreamReadResult<Uint8Array>>;
  read(view: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
};

/** A reader into our own buffer, or undefined when the stream is not a byte stream. */
function byobReader(body: ReadableStream<Uint8Array>): ByobReader | undefined {
  try {
    return body.getReader({ mode: 'byob' }) as unknown as ByobReader;
  } catch {
    return undefined;
  }
}

interface Scan {
  inQuotes: boolean;
  /** whether the record being read has begun (a newline before anything else is an empty line, skipped) */
  inRecord: boolean;
  /** separators outside quotes in the record being read */
  separators: number;
  /** the header's separators, once its line is read; -1 before */
  headerSeparators: number;
  /** records read after the header */
  records: number;
  /** the first record whose number of values is not the header's */
  misshapen?: { record: number; values: number };
  /** where in the buffer the last whole record ends (its newline), or -1 */
  recordEnd: number;
}

const QUOTE = '"';
const COMMA = 44;
const NEWLINE = 10;

/**
 * Moves `scan` over `text`, which starts at `offset` in the buffer: a newline outside quotes ends a record, a comma
 * outside quotes separates its values. Quoted values are jumped over with indexOf; what lies between them (in
 * Salesforce's CSV, where every value is quoted, a comma or a newline) is looked at character by character.
 */
function scanText(scan: Scan, text: string, offset: number): void {
  let at = 0;
  for (;;) {
    if (scan.inQuotes) {
      const close = text.indexOf(QUOTE, at);
      if (close < 0) return;
      scan.inQuotes = false;
      at = close + 1;
      continue;
    }
    const quote = text.indexOf(QUOTE, at);
    const end = quote < 0 ? text.length : quote;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        scan.separators++;
        scan.inRecord = true;
      } else if (c === NEWLINE) {
        if (scan.inRecord) endRecord(scan, offset + i);
      } else scan.inRecord = true;
    }
    if (quote < 0) return;
    scan.inQuotes = true;
    scan.inRecord = true;
    at = quote + 1;
  }
}

function endRecord(scan: Scan, at: number): void {
  if (scan.headerSeparators < 0) scan.headerSeparators = scan.separators;
  else {
    scan.records++;
    if (scan.separators !== scan.headerSeparators && !scan.misshapen) scan.misshapen = { record: scan.records, values: scan.separators + 1 };
  }
  scan.separators = 0;
  scan.inRecord = false;
  scan.recordEnd = at;
}
