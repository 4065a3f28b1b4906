/**
 * Bulk API 2.0 result CSV (RFC 4180): a header row of field names, every value in double quotes, nulls as empty
 * strings, date/times as `2024-04-16T19:00:00.000Z` (Bulk 2.0 writes `Z` where REST writes `+0000`), in the job's
 * column delimiter and line ending.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { formatDateTimeZ } from '../clock';
import type { FieldDef } from '../org/schema';

export const DELIMITERS: Record<string, string> = { COMMA: ',', TAB: '\t', SEMICOLON: ';', PIPE: '|', CARET: '^', BACKQUOTE: '`' };
export const LINE_ENDINGS: Record<string, string> = { LF: '\n', CRLF: '\r\n' };

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvValue(field: FieldDef, value: unknown): string {
  if (value === null || value === undefined) return quote('');
  if (field.type === 'datetime' && typeof value === 'number') return quote(formatDateTimeZ(value));
  return quote(String(value));
}

export function csvRow(cells: string[], delimiter: string, lineEnding: string): string {
  return cells.join(delimiter) + lineEnding;
}

export function csvHeader(names: string[], delimiter: string, lineEnding: string): string {
  return csvRow(names.map(quote), delimiter, lineEnding);
}
