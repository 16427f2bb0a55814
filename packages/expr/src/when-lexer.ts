// govaluate's tokenizer (parsing.go readToken) as Argo's `when` runs it: the same token kinds, runs of
// symbol characters, backslash escapes and error texts, so the same expressions parse and fail.
import { isDigit, isLetter, isSpace } from './chars.js';
import { Failure } from './errors.js';
import { parseTimeLiteral } from './go-time.js';
import { Scanner } from './scanner.js';
import { canFollow, type Token, type TokenKind } from './when-tokens.js';

const PREFIXES = new Set(['-', '!', '~']);
const MODIFIERS = new Set(['+', '-', '*', '/', '%', '**', '&', '|', '^', '>>', '<<']);
const LOGICAL = new Set(['&&', '||']);
const COMPARATORS = new Set(['==', '!=', '>', '>=', '<', '<=', '=~', '!~']);
const TERNARIES = new Set(['?', ':', '??']);
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;
const HEX = /^[0-9a-fA-F]+$/;
const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

const isNumeric = (char: string): boolean => isDigit(char) || char === '.';
const isQuote = (char: string): boolean => char === "'" || char === '"';
const isVariableName = (char: string): boolean => isLetter(char) || isDigit(char) || char === '_' || char === '.';
const isHexDigit = (char: string): boolean => HEX.test(char);
const isSymbol = (char: string): boolean => !(isDigit(char) || isLetter(char) || '()[]'.includes(char) || isQuote(char));

interface Read {
  text: string;
  /** false when the text ran out before `accept` said no. */
  terminated: boolean;
}

/** govaluate's readUntilFalse: a backslash takes the next character literally; whitespace is kept,
 * skipped, or ends the run depending on the caller. */
function readUntil(scanner: Scanner, accept: (char: string) => boolean, whitespace: 'keep' | 'break'): Read {
  let text = '';
  for (let char = scanner.next(); char !== undefined; char = scanner.next()) {
    if (char === '\\') {
      text += scanner.next() ?? '';
      continue;
    }
    if (whitespace === 'break' && isSpace(char)) {
      if (text.length > 0) return { text, terminated: true };
      continue;
    }
    if (!accept(char)) {
      scanner.back();
      return { text, terminated: true };
    }
    text += char;
  }
  return { text, terminated: false };
}

/** readTokenUntilFalse: re-reads from the character just taken. */
function readRun(scanner: Scanner, accept: (char: string) => boolean): string {
  scanner.back();
  return readUntil(scanner, accept, 'break').text;
}

function readNumber(scanner: Scanner, first: string): Token {
  if (first === '0' && !scanner.done) {
    if (scanner.next() === 'x' && !scanner.done) {
      const hex = readUntil(scanner, isHexDigit, 'break').text;
      const value = HEX.test(hex) ? BigInt(`0x${hex}`) : undefined;
      if (value === undefined || value > MAX_UINT64) throw new Failure(`Unable to parse hex value '${hex}' to uint64\n`);
      return { kind: 'NUMERIC', value: Number(value) };
    }
    scanner.back();
  }
  const text = readRun(scanner, isNumeric);
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) throw new Failure(`Unable to parse numeric value '${text}' to float64\n`);
  return { kind: 'NUMERIC', value };
}

function readWord(scanner: Scanner): Token {
  const word = readRun(scanner, isVariableName);
  if (word === 'true' || word === 'false') return { kind: 'BOOLEAN', value: word === 'true' };
  if (word === 'in' || word === 'IN') return { kind: 'COMPARATOR', value: 'in' };
  if (!word.includes('.')) return { kind: 'VARIABLE', value: word };
  if (word.endsWith('.')) throw new Failure(`Hanging accessor on token '${word}'`);
  const path = word.split('.');
  for (const field of path.slice(1)) {
    // unicode.ToUpper maps one rune to one rune; where JS's full mapping yields several, Go's is identity.
    const first = String.fromCodePoint(field.codePointAt(0) ?? 0);
    const upper = first.toUpperCase();
    if (upper !== first && [...upper].length === 1) throw new Failure(`Unable to access unexported field '${field}' in token '${word}'`);
  }
  return { kind: 'ACCESSOR', value: path };
}

function readSymbol(scanner: Scanner, previous: TokenKind | 'UNKNOWN'): Token {
  const symbol = readRun(scanner, isSymbol);
  if (canFollow(previous, 'PREFIX') && PREFIXES.has(symbol)) return { kind: 'PREFIX', value: symbol };
  if (MODIFIERS.has(symbol)) return { kind: 'MODIFIER', value: symbol };
  if (LOGICAL.has(symbol)) return { kind: 'LOGICALOP', value: symbol };
  if (COMPARATORS.has(symbol)) return { kind: 'COMPARATOR', value: symbol };
  if (TERNARIES.has(symbol)) return { kind: 'TERNARY', value: symbol };
  throw new Failure(`Invalid token: '${symbol}'`);
}

function readToken(scanner: Scanner, previous: TokenKind | 'UNKNOWN'): Token | undefined {
  for (let char = scanner.next(); char !== undefined; char = scanner.next()) {
    if (isSpace(char)) continue;
    if (isNumeric(char)) return readNumber(scanner, char);
    if (char === ',') return { kind: 'SEPARATOR', value: ',' };
    if (char === '[') {
      const name = readUntil(scanner, (c) => c !== ']', 'keep');
      if (!name.terminated) throw new Failure('Unclosed parameter bracket');
      scanner.next();
      return { kind: 'VARIABLE', value: name.text };
    }
    if (isLetter(char)) return readWord(scanner);
    if (isQuote(char)) {
      const literal = readUntil(scanner, (c) => !isQuote(c), 'keep');
      if (!literal.terminated) throw new Failure('Unclosed string literal');
      scanner.next();
      const time = parseTimeLiteral(literal.text);
      return time === undefined ? { kind: 'STRING', value: literal.text } : { kind: 'TIME', value: time, text: literal.text };
    }
    if (char === '(') return { kind: 'CLAUSE', value: char };
    if (char === ')') return { kind: 'CLAUSE_CLOSE', value: char };
    return readSymbol(scanner, previous);
  }
  return undefined;
}

/** parseTokens, without its balance check (checkSyntax does that). */
export function tokenize(expression: string): Token[] {
  const scanner = new Scanner(expression);
  const tokens: Token[] = [];
  for (let token = readToken(scanner, 'UNKNOWN'); token; token = readToken(scanner, token.kind)) tokens.push(token);
  return tokens;
}
