// govaluate's token kinds and its checks over a token list before planning: balanced parentheses,
// which kind may follow which (lexerState.go), and regex literals compiled up front (optimizeTokens).
// Argo runs these twice, the second time with every bare word turned into a string.
import { Failure } from './errors.js';
import { formatValue } from './go-value.js';
import { compilePattern, type CompiledPattern } from './regex.js';

export type Token =
  | { kind: 'NUMERIC'; value: number }
  | { kind: 'TIME'; value: number; text: string }
  | { kind: 'BOOLEAN'; value: boolean }
  | { kind: 'STRING' | 'VARIABLE'; value: string }
  | { kind: 'PATTERN'; value: CompiledPattern }
  | { kind: 'ACCESSOR'; value: string[] }
  | { kind: 'PREFIX' | 'MODIFIER' | 'COMPARATOR' | 'LOGICALOP' | 'TERNARY' | 'SEPARATOR' | 'CLAUSE' | 'CLAUSE_CLOSE'; value: string };

export type TokenKind = Token['kind'];
type State = TokenKind | 'UNKNOWN';

const OPERANDS: readonly TokenKind[] = ['NUMERIC', 'BOOLEAN', 'VARIABLE', 'STRING', 'TIME', 'ACCESSOR'];
const AFTER_VALUE: readonly TokenKind[] = ['MODIFIER', 'COMPARATOR', 'LOGICALOP', 'CLAUSE_CLOSE', 'SEPARATOR'];

const FOLLOWERS: Readonly<Record<State, ReadonlySet<TokenKind>>> = {
  UNKNOWN: new Set([...OPERANDS, 'PREFIX', 'PATTERN', 'CLAUSE']),
  CLAUSE: new Set([...OPERANDS, 'PREFIX', 'PATTERN', 'CLAUSE', 'CLAUSE_CLOSE']),
  CLAUSE_CLOSE: new Set([...AFTER_VALUE, 'NUMERIC', 'BOOLEAN', 'VARIABLE', 'STRING', 'PATTERN', 'TIME', 'CLAUSE', 'TERNARY']),
  NUMERIC: new Set([...AFTER_VALUE, 'TERNARY']),
  BOOLEAN: new Set([...AFTER_VALUE, 'TERNARY']),
  STRING: new Set([...AFTER_VALUE, 'TERNARY']),
  VARIABLE: new Set([...AFTER_VALUE, 'TERNARY']),
  TIME: new Set(AFTER_VALUE),
  PATTERN: new Set(AFTER_VALUE),
  ACCESSOR: new Set([...AFTER_VALUE, 'CLAUSE', 'TERNARY']),
  MODIFIER: new Set(['PREFIX', 'NUMERIC', 'VARIABLE', 'ACCESSOR', 'STRING', 'BOOLEAN', 'CLAUSE', 'CLAUSE_CLOSE']),
  COMPARATOR: new Set([...OPERANDS, 'PREFIX', 'PATTERN', 'CLAUSE', 'CLAUSE_CLOSE']),
  LOGICALOP: new Set([...OPERANDS, 'PREFIX', 'CLAUSE', 'CLAUSE_CLOSE']),
  PREFIX: new Set(['NUMERIC', 'BOOLEAN', 'VARIABLE', 'ACCESSOR', 'CLAUSE', 'CLAUSE_CLOSE']),
  TERNARY: new Set([...OPERANDS, 'PREFIX', 'CLAUSE', 'SEPARATOR']),
  SEPARATOR: new Set([...OPERANDS, 'PREFIX', 'CLAUSE']),
};

/** The states an expression may end in. */
const FINAL: ReadonlySet<State> = new Set(['CLAUSE_CLOSE', 'NUMERIC', 'BOOLEAN', 'STRING', 'TIME', 'PATTERN', 'VARIABLE', 'ACCESSOR']);

export function canFollow(previous: State, next: TokenKind): boolean {
  return FOLLOWERS[previous].has(next);
}

/** A token's value as `%v` prints it in govaluate's messages (a parenthesis is a rune: 40, 41). */
export function display(token: Token | undefined): string {
  if (!token) return '<nil>';
  switch (token.kind) {
    case 'CLAUSE':
    case 'CLAUSE_CLOSE':
      return String(token.value.codePointAt(0));
    case 'TIME':
      return token.text;
    case 'ACCESSOR':
      return `[${token.value.join(' ')}]`;
    default:
      return formatValue(token.value);
  }
}

/** checkBalance, then checkExpressionSyntax. */
export function checkSyntax(tokens: readonly Token[]): void {
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'CLAUSE') depth++;
    else if (token.kind === 'CLAUSE_CLOSE') depth--;
  }
  if (depth !== 0) throw new Failure('Unbalanced parenthesis');
  let state: State = 'UNKNOWN';
  let last: Token | undefined;
  for (const token of tokens) {
    if (!canFollow(state, token.kind)) {
      if (last?.kind === 'VARIABLE' && token.kind === 'CLAUSE') throw new Failure(`Undefined function ${last.value}`);
      throw new Failure(`Cannot transition token types from ${state} [${display(last)}] to ${token.kind} [${display(token)}]`);
    }
    state = token.kind;
    last = token;
  }
  if (!FINAL.has(state)) throw new Failure('Unexpected end of expression');
}

/** optimizeTokens: a string right after `=~` or `!~` is compiled now, so a bad one fails parsing. */
export function compilePatterns(tokens: Token[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1]!;
    if (token.kind === 'COMPARATOR' && (token.value === '=~' || token.value === '!~') && next.kind === 'STRING') {
      tokens[i + 1] = { kind: 'PATTERN', value: compilePattern(next.value) };
    }
  }
}
