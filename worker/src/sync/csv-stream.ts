/**
 * CSV read as it arrives (Bulk API 2.0 results): whole records out as soon as their line is in, so a page of any size
 * is never held in memory at once.
 */
import Papa from 'papaparse';

/**
 * Splits a CSV byte stream into parsed rows at record boundaries: a newline outside quotes (Salesforce doubles a
 * quote inside a quoted value, so quote parity tells). Each run of whole lines is parsed by Papa Parse with the
 * header line put before it.
 */
export async function* csvRows(body: ReadableStream<Uint8Array>, malformed: (problem: string) => Error): AsyncGenerator<Record<string, string>[]> {
  let header: string | undefined;
  let buffer = '';
  let scanned = 0;
  let quoted = false;
  let boundary = -1;
  const parse = (lines: string) => {
    const parsed = Papa.parse<Record<string, string>>(header + lines, { header: true, skipEmptyLines: true });
    if (parsed.errors.length > 0) throw malformed(`does not parse as CSV (${parsed.errors[0]!.message})`);
    return parsed.data;
  };
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    for (; scanned < buffer.length; scanned++) {
      const char = buffer.charCodeAt(scanned);
      if (char === 34 /* " */) quoted = !quoted;
      else if (char === 10 /* \n */ && !quoted) boundary = scanned;
    }
    if (boundary < 0) continue;
    const lines = buffer.slice(0, boundary + 1);
    buffer = buffer.slice(boundary + 1);
    scanned = buffer.length;
    boundary = -1;
    if (header === undefined) {
      const end = lines.indexOf('\n') + 1;
      header = lines.slice(0, end);
      if (end < lines.length) yield parse(lines.slice(end));
    } else {
      yield parse(lines);
    }
  }
  if (quoted) throw malformed('ends inside a quoted value');
  if (buffer.trim() !== '') {
    if (header === undefined) return; // a header alone: an empty page
    yield parse(buffer);
  }
}
