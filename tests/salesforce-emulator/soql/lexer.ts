/**
 * Splits SOQL into tokens, remembering each token's row and column so errors can point at it the way Salesforce
 * does ("ERROR at Row:1:Column:19" under a caret line; errors/INVALID_TYPE_query_400.snowfakery.json).
 */
import { SoqlError } from './errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'eof';

export type Token = { kind: TokenKind; text: string; value: string; row: number; column: number; offset: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w-])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPS = ['!=', '<>', '<=', '>=', '=', '<', '>'];

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let row = 1;
  let lineStart = 0;
  const at = (text: string, kind: TokenKind, value = text) => {
    tokens.push({ kind, text, value, row, column: offset - lineStart + 1, offset });
    offset += text.length;
  };
  while (offset < soql.length) {
    const rest = soql.slice(offset);
    const ch = soql.charAt(offset);
    if (ch === '\n') {
      offset++;
      row++;
      lineStart = offset;
      continue;
    }
    if (/\s/.test(ch)) {
      offset++;
      continue;
    }
    if (ch === "'") {
      const { text, value } = readString(soql, offset, row, offset - lineStart + 1);
      at(text, 'string', value);
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      at(datetime[0], 'datetime');
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      at(date[0], 'date');
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      at(number[0], 'number');
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      at(ident[0], 'ident');
      continue;
    }
    const op = OPS.find((candidate) => rest.startsWith(candidate));
    if (op) {
      at(op, 'op');
      continue;
    }
    if ('(),.:'.includes(ch)) {
      at(ch, 'punct');
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', soql, row, offset - lineStart + 1, `line ${row}:${offset - lineStart} no viable alternative at character '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', row, column: offset - lineStart + 1, offset });
  return tokens;
}

function readString(soql: string, start: number, row: number, column: number): { text: string; value: string } {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const ch = soql.charAt(i);
    if (ch === '\\') {
      const next = soql.charAt(i + 1);
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
      i += 2;
      continue;
    }
    if (ch === "'") return { text: soql.slice(start, i + 1), value };
    value += ch;
    i++;
  }
  throw new SoqlError('MALFORMED_QUERY', soql, row, column, `line ${row}:${column - 1} mismatched character '<EOF>' expecting '''`);
}
