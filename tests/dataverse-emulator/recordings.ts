/**
 * Reads the recorded exchanges in `recordings/*.http` (format: recordings/README.md) into requests and responses, so
 * the contract tests can replay the requests against the emulator and compare its answers with the responses.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type RecordedMessage = { startLine: string; headers: [string, string][]; body: string };
export type Exchange = { title: string; request?: RecordedMessage; response?: RecordedMessage; responseBody?: string };

const ROOT = new URL('./recordings/', import.meta.url);

export function recordedText(file: string): string {
  return readFileSync(fileURLToPath(new URL(file, ROOT)), 'utf8');
}

/** A request or response as printed: start line, headers (up to a blank line or the first line that is no header), body. */
function message(lines: string[]): RecordedMessage {
  const [startLine = '', ...rest] = lines;
  const headers: [string, string][] = [];
  let i = 0;
  for (; i < rest.length; i++) {
    const line = rest[i]!;
    if (line === '') {
      i++;
      break;
    }
    const header = /^([A-Za-z][A-Za-z0-9_.-]*):\s*(.*)$/.exec(line);
    if (!header) break;
    headers.push([header[1]!, header[2]!]);
  }
  return { startLine, headers, body: rest.slice(i).join('\n').replace(/\n+$/, '') };
}

export function exchanges(file: string): Exchange[] {
  const out: Exchange[] = [];
  let current: Exchange | undefined;
  let section: 'request' | 'response' | 'responseBody' | 'other' | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (!current || !section) return;
    if (section === 'request') current.request = message(buffer);
    if (section === 'response') current.response = message(buffer);
    if (section === 'responseBody') current.responseBody = buffer.join('\n').replace(/\n+$/, '');
    buffer = [];
  };
  for (const line of recordedText(file).split('\n')) {
    if (line.startsWith('### ')) {
      flush();
      section = undefined;
      current = { title: line.slice(4) };
      out.push(current);
    } else if (line.startsWith('>>> ') || line.startsWith('<<< ')) {
      flush();
      section = line === '>>> REQUEST' ? 'request' : line === '<<< RESPONSE' ? 'response' : line === '<<< RESPONSE BODY ONLY' ? 'responseBody' : 'other';
    } else if (section) {
      if (!(buffer.length === 0 && line.startsWith('#') && section !== 'other')) buffer.push(line);
    }
  }
  flush();
  return out;
}

/** The exchange whose title starts with `N.`. */
export function exchange(file: string, n: number): Exchange {
  const found = exchanges(file).find((e) => e.title.startsWith(`${n}.`));
  if (!found) throw new Error(`No exchange ${n} in ${file}.`);
  return found;
}
