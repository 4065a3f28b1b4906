/**
 * CSV read as it arrives (Bulk API 2.0 results): whole records out as soon as enough of them are in, so a page of any
 * size is never held in memory at once.
 */
import Papa from 'papaparse';

/** Text gathered before a parse: Papa Parse's per-call cost stays small next to the work, memory stays a few hundred KB. */
const PARSE_AT_CHARS = 256 * 1024;

/**
 * Splits a CSV byte stream into parsed rows at record boundaries (a newline after an even number of quotes: Salesforce
 * doubles a quote inside a quoted value) and parses each run of whole records with Papa Parse, the header line put
 * before it.
 */
export async function* csvRows(body: ReadableStream<Uint8Array>, malformed: (problem: string) => Error, parseAtChars = PARSE_AT_CHARS): AsyncGenerator<Record<string, string>[]> {
  let header: string | undefined;
  let buffer = '';
  const parse = (records: string) => {
    if (header === undefined) {
      const end = records.indexOf('\n') + 1;
      header = records.slice(0, end);
      records = records.slice(end);
      if (records === '') return [];
    }
    // Bulk API 2.0's default columnDelimiter is COMMA, which the sync never changes: named, not guessed, so results of
    // one column (an Id reconciliation's `SELECT Id`) parse too.
    const parsed = Papa.parse<Record<string, string>>(header + records, { header: true, skipEmptyLines: true, delimiter: ',' });
    if (parsed.errors.length > 0) throw malformed(`does not parse as CSV (${parsed.errors[0]!.message})`);
    return parsed.data;
  };
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    if (buffer.length < parseAtChars) continue;
    const boundary = lastRecordEnd(buffer);
    if (boundary < 0) continue;
    const rows = parse(buffer.slice(0, boundary + 1));
    buffer = buffer.slice(boundary + 1);
    if (rows.length > 0) yield rows;
  }
  if (quoteCount(buffer, buffer.length) % 2 === 1) throw malformed('ends inside a quoted value');
  if (buffer.trim() === '') return;
  if (header === undefined && !buffer.includes('\n')) return; // a header alone, without its newline: an empty page
  const rows = parse(buffer.endsWith('\n') ? buffer : `${buffer}\n`);
  if (rows.length > 0) yield rows;
}

/** The index of the last newline that ends a record (outside quotes), or -1. */
function lastRecordEnd(text: string): number {
  for (let newline = text.lastIndexOf('\n'); newline >= 0; newline = text.lastIndexOf('\n', newline - 1)) {
    if (quoteCount(text, newline) % 2 === 0) return newline;
  }
  return -1;
}

function quoteCount(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1 && at < end; at = text.indexOf('"', at + 1)) count++;
  return count;
}
