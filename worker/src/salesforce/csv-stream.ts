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
  // Where the text read so far stands: inside a quoted value or not, and the last newline that ends a record. Kept as
  // the text arrives, so each character is looked at once (counting quotes from the start of the buffer for each
  // parse was, with Papa Parse, most of a Bulk page's CPU: tests/bench/profile.ts).
  let inQuotes = false;
  let recordEnd = -1;
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    // The new text alone is scanned (indexing into the joined buffer would flatten it again for every piece).
    const from = buffer.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) inQuotes = !inQuotes;
      else if (c === NEWLINE && !inQuotes) recordEnd = from + i;
    }
    buffer += text;
    if (buffer.length < parseAtChars || recordEnd < 0) continue;
    const rows = parse(buffer.slice(0, recordEnd + 1));
    // Cut at a record's end, so what is left starts outside quotes and inQuotes still holds for its end.
    buffer = buffer.slice(recordEnd + 1);
    recordEnd = -1;
    if (rows.length > 0) yield rows;
  }
  if (inQuotes) throw malformed('ends inside a quoted value');
  if (buffer.trim() === '') return;
  if (header === undefined && !buffer.includes('\n')) return; // a header alone, without its newline: an empty page
  const rows = parse(buffer.endsWith('\n') ? buffer : `${buffer}\n`);
  if (rows.length > 0) yield rows;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
