// Argo's `when`: a govaluate expression in which every bare word is a string, so
// `{{steps.flip.outputs.result}} == heads` reads as `"heads" == "heads"` after substitution.
import { ExpressionError } from './errors.js';

type Value = string | number | boolean | Value[];

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'bool'; value: boolean; at: number }
  | { kind: 'op'; value: string; at: number };

const MAX_LENGTH = 10_000;
const MAX_DEPTH = 100;
const MAX_PATTERN = 1_000;
const OPERATORS = ['==', '!=', '>=', '<=', '&&', '||', '=~', '!~', '>', '<', '!', '+', '-', '*', '/', '%', '(', ')', ','];
const WORD = /[A-Za-z0-9_.]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed string literal at position ${i}`);
      tokens.push({ kind: 'string', value: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
      continue;
    }
    if (!WORD.test(c)) throw new Error(`unexpected character '${c}' at position ${i}`);
    let end = i;
    while (end < text.length && WORD.test(text[end]!)) end++;
    const word = text.slice(i, end);
    if (/^\d+(\.\d+)?$/.test(word)) tokens.push({ kind: 'number', value: Number(word), at: i });
    else if (word === 'true' || word === 'false') tokens.push({ kind: 'bool', value: word === 'true', at: i });
    else if (word === 'in') tokens.push({ kind: 'op', value: 'in', at: i });
    else tokens.push({ kind: 'string', value: word, at: i });
    i = end;
  }
  return tokens;
}

/** Recursive descent over govaluate's precedence: || < && < comparison < + - < * / % < unary. */
class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Value {
    const value = this.or();
    const extra = this.tokens[this.position];
    if (extra) throw new Error(`unexpected '${String(extra.value)}' at position ${extra.at}`);
    return value;
  }

  private peekOp(...ops: string[]): string | undefined {
    const token = this.tokens[this.position];
    return token?.kind === 'op' && ops.includes(token.value) ? token.value : undefined;
  }

  private or(): Value {
    let left = this.and();
    while (this.peekOp('||')) {
      this.position++;
      const right = this.and();
      left = asBool(left, '||') || asBool(right, '||');
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.peekOp('&&')) {
      this.position++;
      const right = this.comparison();
      left = asBool(left, '&&') && asBool(right, '&&');
    }
    return left;
  }

  private comparison(): Value {
    let left = this.additive();
    for (let op = this.peekOp('==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in'); op; op = this.peekOp('==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in')) {
      this.position++;
      const right = this.additive();
      left = compare(op, left, right);
    }
    return left;
  }

  private additive(): Value {
    let left = this.multiplicative();
    for (let op = this.peekOp('+', '-'); op; op = this.peekOp('+', '-')) {
      this.position++;
      const right = this.multiplicative();
      if (op === '+' && typeof left === 'string' && typeof right === 'string') left = left + right;
      else left = op === '+' ? asNumber(left, op) + asNumber(right, op) : asNumber(left, op) - asNumber(right, op);
    }
    return left;
  }

  private multiplicative(): Value {
    let left = this.unary();
    for (let op = this.peekOp('*', '/', '%'); op; op = this.peekOp('*', '/', '%')) {
      this.position++;
      const a = asNumber(left, op);
      const b = asNumber(this.unary(), op);
      left = op === '*' ? a * b : op === '/' ? a / b : a % b;
    }
    return left;
  }

  private unary(): Value {
    const op = this.peekOp('!', '-');
    if (op) {
      this.position++;
      const value = this.nested(() => this.unary());
      return op === '!' ? !asBool(value, '!') : -asNumber(value, '-');
    }
    return this.primary();
  }

  private primary(): Value {
    const token = this.tokens[this.position++];
    if (!token) throw new Error('unexpected end of expression');
    if (token.kind !== 'op') return token.value;
    if (token.value !== '(') throw new Error(`unexpected '${token.value}' at position ${token.at}`);
    const items: Value[] = [this.nested(() => this.or())];
    while (this.peekOp(',')) {
      this.position++;
      items.push(this.nested(() => this.or()));
    }
    if (!this.peekOp(')')) throw new Error(`missing ')' for '(' at position ${token.at}`);
    this.position++;
    return items.length === 1 ? items[0]! : items;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH}`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }
}

function asBool(value: Value, op: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`value '${String(value)}' cannot be used with '${op}': it is not a boolean`);
  return value;
}

function asNumber(value: Value, op: string): number {
  if (typeof value !== 'number') throw new Error(`value '${String(value)}' cannot be used with '${op}': it is not a number`);
  return value;
}

function compare(op: string, left: Value, right: Value): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return (Array.isArray(right) ? right : [right]).some((item) => item === left);
    case '=~':
    case '!~': {
      if (typeof left !== 'string' || typeof right !== 'string') throw new Error(`'${op}' needs strings on both sides`);
      if (right.length > MAX_PATTERN) throw new Error(`regular expression longer than ${MAX_PATTERN} characters`);
      const matches = new RegExp(right).test(left);
      return op === '=~' ? matches : !matches;
    }
  }
  if (typeof left === 'number' && typeof right === 'number') {
    return op === '>' ? left > right : op === '>=' ? left >= right : op === '<' ? left < right : left <= right;
  }
  if (typeof left === 'string' && typeof right === 'string') {
    return op === '>' ? left > right : op === '>=' ? left >= right : op === '<' ? left < right : left <= right;
  }
  throw new Error(`cannot compare '${String(left)}' ${op} '${String(right)}'`);
}

export function evaluateWhen(expression: string): boolean {
  try {
    if (expression.length > MAX_LENGTH) throw new Error(`longer than ${MAX_LENGTH} characters`);
    const result = new Parser(tokenize(expression)).parse();
    if (typeof result !== 'boolean') throw new Error(`evaluated to '${String(result)}', not a boolean`);
    return result;
  } catch (error) {
    throw new ExpressionError(
      'WHEN',
      `Invalid 'when' expression '${expression}': ${(error as Error).message} (hint: try wrapping the affected expression in quotes ("))`,
    );
  }
}
