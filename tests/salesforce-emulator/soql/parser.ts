/**
 * The SOQL subset the product and its tests send, parsed into a small AST:
 * `SELECT field, Parent.Field, COUNT(), COUNT(field) [alias] FROM Object [alias] [WHERE …] [ORDER BY f [ASC|DESC]
 * [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]` where conditions combine `=, !=, <>, <, <=, >, >=, LIKE, [NOT] IN (…)`
 * with AND, OR, NOT and parentheses, over strings, numbers, booleans, null, date/time literals and the date
 * literals TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n and NEXT_N_DAYS:n.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
import { salesforceDateTimeMs } from '../../../shared/salesforce-datetime';
import { reasons, SoqlError } from './errors';
import { tokenize, type Token } from './lexer';

export type FieldRef = { path: string[]; token: Token };

export type SelectItem = { kind: 'field'; field: FieldRef } | { kind: 'count'; field: FieldRef | undefined; alias: string | undefined; token: Token };

export type Literal =
  | { kind: 'string'; value: string; token: Token }
  | { kind: 'number'; value: number; token: Token }
  | { kind: 'boolean'; value: boolean; token: Token }
  | { kind: 'null'; token: Token }
  | { kind: 'datetime'; value: number; token: Token }
  | { kind: 'date'; value: string; token: Token }
  | { kind: 'dateLiteral'; name: string; n: number; token: Token };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldRef; op: Operator; values: Literal[] };

export type OrderItem = { field: FieldRef; descending: boolean; nullsLast: boolean };

export type Query = {
  soql: string;
  select: SelectItem[];
  object: { name: string; token: Token };
  where: Condition | undefined;
  orderBy: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
};

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'GROUP', 'HAVING', 'WITH', 'FOR', 'USING']);
const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_N_DAYS', 'NEXT_N_DAYS']);

export function parseSoql(soql: string): Query {
  return new Parser(soql).query();
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  query(): Query {
    this.expectKeyword('SELECT');
    const select = this.selectList();
    this.expectKeyword('FROM');
    const objectToken = this.expectIdent();
    if (this.peek().kind === 'ident' && !this.isKeyword(this.peek())) this.next(); // alias
    const where = this.acceptKeyword('WHERE') ? this.orCondition() : undefined;
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    const limit = this.acceptKeyword('LIMIT') ? this.integer() : undefined;
    const offset = this.acceptKeyword('OFFSET') ? this.integer() : undefined;
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return { soql: this.soql, select, object: { name: objectToken.text, token: objectToken }, where, orderBy, limit, offset };
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      const token = this.peek();
      if (token.kind === 'ident' && token.text.toUpperCase() === 'COUNT' && this.peek(1).text === '(') {
        this.next();
        this.next();
        const field = this.peek().text === ')' ? undefined : this.fieldRef();
        this.expectPunct(')');
        const alias = this.peek().kind === 'ident' && !this.isKeyword(this.peek()) ? this.next().text : undefined;
        items.push({ kind: 'count', field, alias, token });
      } else {
        items.push({ kind: 'field', field: this.fieldRef() });
      }
    } while (this.acceptPunct(','));
    return items;
  }

  private fieldRef(): FieldRef {
    const first = this.expectIdent();
    const path = [first.text];
    while (this.peek().text === '.') {
      this.next();
      path.push(this.expectIdent().text);
    }
    return { path, token: first };
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.expectKeyword('FIRST');
        nullsLast = false;
      }
    }
    return { field, descending, nullsLast };
  }

  /**
   * Conditions joined by one logical operator: SOQL requires parentheses whenever AND and OR are mixed, so the other
   * operator at the same level is an unexpected token.
   * https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-logicaloperators.html
   */
  private orCondition(): Condition {
    let left = this.notCondition();
    const joiner = this.peekKeyword('AND') ? 'AND' : this.peekKeyword('OR') ? 'OR' : undefined;
    if (!joiner) return left;
    const other = joiner === 'AND' ? 'OR' : 'AND';
    while (this.acceptKeyword(joiner)) left = { kind: joiner === 'AND' ? 'and' : 'or', left, right: this.notCondition() };
    if (this.peekKeyword(other)) return this.unexpected(this.peek());
    return left;
  }

  private peekKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private notCondition(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.notCondition() };
    if (this.acceptPunct('(')) {
      const inner = this.orCondition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.fieldRef();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      const op = (token.text === '<>' ? '!=' : token.text) as Operator;
      return { kind: 'compare', field, op, values: [this.literal()] };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'compare', field, op: 'LIKE', values: [this.literal()] };
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptPunct(','));
      this.expectPunct(')');
      return { kind: 'compare', field, op: negated ? 'NOT IN' : 'IN', values };
    }
    return this.unexpected(this.peek());
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, token };
      case 'number':
        return { kind: 'number', value: Number(token.text), token };
      case 'datetime':
        return { kind: 'datetime', value: salesforceDateTimeMs(token.text), token };
      case 'date':
        return { kind: 'date', value: token.text, token };
      case 'ident': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', token };
        if (upper === 'NULL') return { kind: 'null', token };
        if (DATE_LITERALS.has(upper)) {
          let n = 1;
          if (upper.endsWith('_N_DAYS')) {
            this.expectPunct(':');
            n = this.integer();
          }
          return { kind: 'dateLiteral', name: upper, n, token };
        }
        return this.unexpected(token);
      }
      default:
        return this.unexpected(token);
    }
  }

  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) return this.unexpected(token);
    return Number(token.text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  private isKeyword(token: Token): boolean {
    return token.kind === 'ident' && KEYWORDS.has(token.text.toUpperCase());
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'ident' && token.text.toUpperCase() === word) {
      this.next();
      return true;
    }
    return false;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.unexpected(this.peek());
  }

  private expectIdent(): Token {
    const token = this.peek();
    if (token.kind !== 'ident' || (this.isKeyword(token) && token.text.toUpperCase() !== 'FIRST' && token.text.toUpperCase() !== 'LAST')) {
      return this.unexpected(token);
    }
    return this.next();
  }

  private acceptPunct(ch: string): boolean {
    if (this.peek().kind === 'punct' && this.peek().text === ch) {
      this.next();
      return true;
    }
    return false;
  }

  private expectPunct(ch: string): void {
    if (!this.acceptPunct(ch)) this.unexpected(this.peek());
  }

  private unexpected(token: Token): never {
    throw new SoqlError('MALFORMED_QUERY', this.soql, token.row, token.column, reasons.unexpected(token.text));
  }
}
