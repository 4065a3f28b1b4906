/**
 * The part of OData's `$filter` grammar a sync needs, compiled to a predicate over rows: comparisons (`eq ne gt ge lt
 * le`) with `null`, strings, numbers, booleans, GUIDs and date/times; `and`, `or`, `not` and parentheses;
 * `contains`, `startswith`, `endswith`. String comparisons ignore case, as Dataverse's database collation does
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows). Anything else is refused
 * with a 400 that names what was not understood.
 */
import { badQuery } from '../errors';

export type Value = string | number | boolean | null;
/** Reads a property of a row; throws for a property the table does not have. */
export type PropertyReader = (property: string) => (row: unknown) => Value;
export type Predicate = (row: unknown) => boolean;

type Token = { kind: 'open' | 'close' | 'comma' | 'string' | 'word'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', text: ch });
      i++;
    } else if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw badQuery(`Syntax error: the string literal in $filter is not closed: ${input}`);
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += input[i++];
      }
      tokens.push({ kind: 'string', text });
    } else {
      const start = i;
      while (i < input.length && !" \t(),'".includes(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i) });
    }
  }
  return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith']);

type Operand = (row: unknown) => Value;

export function compileFilter(input: string, read: PropertyReader): Predicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const word = (text: string) => peek()?.kind === 'word' && peek()?.text.toLowerCase() === text;
  const expect = (kind: Token['kind']) => {
    const token = tokens[pos++];
    if (token?.kind !== kind) throw badQuery(`Syntax error at position ${pos} in $filter: ${input}`);
    return token;
  };

  const operand = (): Operand => {
    const token = tokens[pos++];
    if (!token) throw badQuery(`Syntax error: $filter ends too early: ${input}`);
    if (token.kind === 'string') return () => token.text;
    if (token.kind !== 'word') throw badQuery(`Syntax error at position ${pos} in $filter: ${input}`);
    const literal = parseLiteral(token.text);
    if (literal !== undefined) return () => literal;
    return read(token.text);
  };

  const primary = (): Predicate => {
    if (peek()?.kind === 'open') {
      pos++;
      const inner = or();
      expect('close');
      return inner;
    }
    if (word('not')) {
      pos++;
      const inner = primary();
      return (row) => !inner(row);
    }
    const head = peek();
    if (head?.kind === 'word' && tokens[pos + 1]?.kind === 'open') {
      const name = head.text.toLowerCase();
      if (!FUNCTIONS.has(name)) throw badQuery(`The query function '${head.text}' is not supported by the Dataverse emulator's $filter.`);
      pos += 2;
      const subject = operand();
      expect('comma');
      const argument = operand();
      expect('close');
      return (row) => {
        const a = subject(row);
        const b = argument(row);
        if (typeof a !== 'string' || typeof b !== 'string') return false;
        const x = a.toLowerCase();
        const y = b.toLowerCase();
        return name === 'contains' ? x.includes(y) : name === 'startswith' ? x.startsWith(y) : x.endsWith(y);
      };
    }
    const left = operand();
    const op = tokens[pos++];
    if (op?.kind !== 'word' || !COMPARISONS.has(op.text.toLowerCase())) throw badQuery(`Syntax error: expected a comparison (eq, ne, gt, ge, lt, le) at position ${pos} in $filter: ${input}`);
    const right = operand();
    const comparison = op.text.toLowerCase();
    return (row) => compare(left(row), right(row), comparison);
  };

  const and = (): Predicate => {
    let left = primary();
    while (word('and')) {
      pos++;
      const l = left;
      const r = primary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };

  const or = (): Predicate => {
    let left = and();
    while (word('or')) {
      pos++;
      const l = left;
      const r = and();
      left = (row) => l(row) || r(row);
    }
    return left;
  };

  const predicate = or();
  if (pos !== tokens.length) throw badQuery(`Syntax error at position ${pos + 1} in $filter: ${input}`);
  return predicate;
}

function parseLiteral(text: string): Value | undefined {
  const lower = text.toLowerCase();
  if (lower === 'null') return null;
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return text.toLowerCase();
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) return new Date(text.includes('T') ? text : `${text}T00:00:00Z`).toISOString().replace('.000Z', 'Z');
  return undefined;
}

/** Orders two non-null values: numbers numerically, everything else as case-insensitive text. */
export function order(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(a: Value, b: Value, op: string): boolean {
  if (a === null || b === null) {
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    return false;
  }
  const c = order(a, b);
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    default:
      return c <= 0;
  }
}
