// expr-lang's lexer (parser/lexer): numbers with `_`, hex, octal and binary forms; strings in single,
// double or back quotes with Go's escapes; word operators (`and`, `in`, `matches`…); comments.
// Positions are offsets in UTF-16 code units of the source.
import { isDigit, isLetter, isSpace } from '../chars.js';
import { fail } from './failure.js';

export type TokenKind = 'identifier' | 'number' | 'string' | 'operator' | 'bracket' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly pos: number;
}

const WORD_OPERATORS = new Set(['not', 'in', 'or', 'and', 'matches', 'contains', 'startsWith', 'endsWith', 'let']);
const TWO_CHAR_OPERATORS = new Set(['&&', '||', '==', '!=', '<=', '>=', '**', '??', '?.', '..']);
const ONE_CHAR_OPERATORS = new Set(['!', '<', '>', '=', '*', '/', '%', '+', '-', '^', ',', ';', ':', '?', '|', '.', '#']);

function isIdentifierChar(char: string): boolean {
  return char === '_' || char === '$' || isLetter(char) || isDigit(char);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Go's unquoting of the text between the quotes: \n, \xHH, \ooo, \uXXXX, \UXXXXXXXX. */
function unescape(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const kind = body[i + 1] ?? '';
    if (Object.hasOwn(SIMPLE_ESCAPES, kind)) {
      out += SIMPLE_ESCAPES[kind];
      i++;
      continue;
    }
    const width = kind === 'x' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : /[0-7]/.test(kind) ? 3 : 0;
    const digits = kind >= '0' && kind <= '7' ? body.slice(i + 1, i + 4) : body.slice(i + 2, i + 2 + width);
    const valid = width > 0 && digits.length === width && (width === 3 ? /^[0-7]{3}$/ : /^[0-9a-fA-F]+$/).test(digits);
    const code = valid ? parseInt(digits, width === 3 ? 8 : 16) : -1;
    if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (width === 3 && code > 0xff)) {
      fail(`invalid escape sequence \\${kind}${digits}`, pos + i);
    }
    out += String.fromCodePoint(code);
    i += width === 3 ? 3 : width + 1;
  }
  return out;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, value: string, pos: number): void => {
    tokens.push({ kind, value, pos });
  };
  while (i < source.length) {
    const start = i;
    const char = source[i]!;
    const next = source[i + 1] ?? '';
    if (isSpace(char)) {
      i++;
    } else if (char === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) fail('unclosed comment', start);
      i = end + 2;
    } else if (char === '"' || char === "'") {
      i++;
      while (i < source.length && source[i] !== char && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length || source[i] !== char) fail('literal not terminated', start);
      push('string', unescape(source.slice(start + 1, i), start + 1), start);
      i++;
    } else if (char === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) fail('literal not terminated', start);
      push('string', source.slice(i + 1, end), start);
      i = end + 1;
    } else if ((char >= '0' && char <= '9') || (char === '.' && next >= '0' && next <= '9')) {
      i = scanNumber(source, i);
      push('number', source.slice(start, i), start);
    } else if (isIdentifierChar(char)) {
      while (i < source.length && isIdentifierChar(source[i]!)) i++;
      const word = source.slice(start, i);
      push(WORD_OPERATORS.has(word) ? 'operator' : 'identifier', word, start);
    } else if ('([{'.includes(char) || ')]}'.includes(char)) {
      push('bracket', char, start);
      i++;
    } else if (TWO_CHAR_OPERATORS.has(char + next)) {
      push('operator', char + next, start);
      i += 2;
    } else if (ONE_CHAR_OPERATORS.has(char)) {
      push('operator', char, start);
      i++;
    } else {
      fail(`unrecognized character ${JSON.stringify(String.fromCodePoint(source.codePointAt(i)!))}`, start);
    }
  }
  push('eof', '', source.length);
  return tokens;
}

/** Returns the end of the number starting at `start`; a following letter or digit is an error. */
function scanNumber(source: string, start: number): number {
  let i = start;
  let digits = /[0-9_]/;
  if (source[i] === '0' && /[xXoObB]/.test(source[i + 1] ?? '')) {
    const base = source[i + 1]!.toLowerCase();
    digits = base === 'x' ? /[0-9a-fA-F_]/ : base === 'o' ? /[0-7_]/ : /[01_]/;
    i += 2;
  }
  const run = (): void => {
    while (i < source.length && digits.test(source[i]!)) i++;
  };
  run();
  // `1..3` is a range, not the float `1.`.
  if (source[i] === '.' && source[i + 1] !== '.') {
    i++;
    run();
  }
  if (source[i] === 'e' || source[i] === 'E') {
    i++;
    if (source[i] === '+' || source[i] === '-') i++;
    run();
  }
  if (i < source.length && isIdentifierChar(source[i]!)) fail(`bad number syntax: ${JSON.stringify(source.slice(start, i + 1))}`, start);
  return i;
}
