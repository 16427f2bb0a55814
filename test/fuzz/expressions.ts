// Generators of Argo expressions (expr-lang with Argo's and sprig's functions), `when` conditions and
// `depends` logic: built from the grammar so most parse, with random text mixed in so many do not.
import fc from 'fast-check';

const FUNCTIONS = [
  'abs', 'add', 'asFloat', 'asInt', 'atoi', 'cat', 'ceil', 'coalesce', 'concat', 'contains', 'count', 'date', 'default', 'dict', 'div',
  'duration', 'empty', 'first', 'flatten', 'float', 'floor', 'fromJSON', 'fromJson', 'get', 'has', 'hasPrefix', 'hasSuffix', 'indent',
  'indexOf', 'int', 'join', 'jsonpath', 'keys', 'last', 'lastIndexOf', 'len', 'list', 'lower', 'max', 'mean', 'min', 'mod', 'mul',
  'nindent', 'now', 'quote', 'reduce', 'repeat', 'replace', 'reverse', 'round', 'sort', 'split', 'splitAfter', 'splitList', 'squote',
  'string', 'sub', 'substr', 'sum', 'title', 'toDate', 'toJSON', 'toJson', 'toString', 'trim', 'trimAll', 'trimPrefix', 'trimSuffix',
  'trunc', 'type', 'uniq', 'unixEpoch', 'upper', 'values', 'filter', 'map', 'all', 'any', 'none', 'one', 'find', 'findIndex',
  'groupBy', 'sortBy', 'nope', 'constructor', '__proto__', 'toString', 'eval', 'Function',
];
const NAMES = ['workflow.name', 'inputs.parameters.p', 'item', 'steps.a.outputs.result', 'tasks.t0.outputs.parameters.o', 'x', 'y', 'constructor', '__proto__', 'prototype', 'this', 'nil'];
const BINARY = ['+', '-', '*', '/', '%', '**', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'and', 'or', 'in', 'not in', 'contains', 'matches', 'startsWith', 'endsWith', '..', '??'];

const literal = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('0', '1e308', '1e309', '-0', '0.5', '9007199254740993', '0x1F', '1_000', '.5', 'true', 'false', 'nil'),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/['\\]/g, '')}'`),
  fc.constantFrom('"(a+)+$"', '"^(a|a)*$"', '"aaaaaaaaaaaaaaaaaaaaaaaaa!"', '"[0-9"', '"\\\\u0000"'),
);

/** A grammar-built expression of bounded depth. */
export function expression(): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: literal },
      { weight: 3, arbitrary: fc.constantFrom(...NAMES) },
      { weight: 2, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(...BINARY), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('!', '-', 'not '), tie('expr')).map(([op, a]) => `${op}${a}`) },
      { weight: 1, arbitrary: tie('expr').map((a) => `(${a})`) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { maxLength: 3 })).map(([f, a]) => `${f}(${a.join(', ')})`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('sprig.', ''), fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { maxLength: 2 })).map(([p, f, a]) => `${p}${f}(${a.join(', ')})`) },
      { weight: 1, arbitrary: fc.array(tie('expr'), { maxLength: 3 }).map((a) => `[${a.join(', ')}]`) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('a', '"b"', '1'), tie('expr')), { maxLength: 2 }).map((a) => `{${a.map(([k, v]) => `${k}: ${v}`).join(', ')}}`) },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`) },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('.a', '?.a', '[0]', '[-1]', '[1:2]', '["x"]', '.constructor', '.__proto__', '[""]')).map(([a, s]) => `${a}${s}`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('filter', 'map', 'all', 'any', 'count', 'sortBy'), tie('expr'), tie('expr')).map(([f, a, b]) => `${f}(${a}, {${b.replace(/\bx\b/g, '#')}})`) },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `let v = ${a}; ${b}`) },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a} | ${b}`) },
    ),
  }));
  return expr;
}

/** Expressions, and text that is nearly one: random characters of the language's alphabet. */
export const expressionText = fc.oneof(
  { weight: 4, arbitrary: expression() },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'()[]{}.,:;?!=<>+-*/%^&|#@$"\'`\\ \n\tab01_'.split('')), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => `${'('.repeat(n)}1${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => `${'-'.repeat(n)}1`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, () => '1').join(' + ')) },
  { weight: 1, arbitrary: fc.constantFrom('repeat("x", 100000000)', 'repeat(repeat("x", 10000), 10000)', 'map(1..100000000, {#})', 'toJson(1..1000000)', 'sprig.repeat(100000000, "x")', 'join(map(1..1000, {repeat("ab", 1000)}), "")', '"a" matches "(a+)+$"', 'constructor.constructor("return process")()') },
);

/** A `when` condition after substitution: govaluate with bare words. */
export const whenText = fc.oneof(
  fc.tuple(fc.oneof(literal, fc.string({ maxLength: 6 })), fc.constantFrom('==', '!=', '>', '<', '>=', '<=', '=~', '!~', '&&', '||', '+', 'in', '?', ':', '**', '??'), fc.oneof(literal, fc.string({ maxLength: 6 }))).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.string({ unit: fc.constantFrom(...'()[],!=<>~&|+-*/%^?:"\' \tab01.heads tails'.split('')), maxLength: 30 }),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'('.repeat(n)}true${')'.repeat(n)}`),
  fc.constantFrom('heads =~ "(a+)+$"', "'aaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(a+)+$'", '(1, 2) == (1, 2)', 'true ? 1 : 2', '1 in (1, 2)'),
);

/** `depends` logic: task names with results joined by &&, ||, ! and parentheses, or not quite. */
export const dependsText = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom('', '!', '('), fc.constantFrom('a', 'b', 'c', 'a-b', 'A'), fc.constantFrom('', '.Succeeded', '.Failed', '.Errored', '.Skipped', '.Omitted', '.Daemoned', '.AnySucceeded', '.AllFailed', '.Nope', '.'), fc.constantFrom('', ')'), fc.constantFrom(' && ', ' || ', ' ')), { minLength: 1, maxLength: 5 }).map((parts) =>
    parts.map(([pre, task, result, post, op]) => `${pre}${task}${result}${post}${op}`).join('').trim(),
  ),
  fc.string({ unit: fc.constantFrom(...'()!&|. abc'.split('')), maxLength: 20 }),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${'('.repeat(n)}a${')'.repeat(n)}`),
);
