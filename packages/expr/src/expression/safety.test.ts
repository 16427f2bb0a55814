import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../errors.js';
import { evaluateExpression } from './index.js';

type Vars = Record<string, unknown>;

/** A careless scope that reads any property, prototypes included, as a caller might write one. */
const careless =
  (vars: Vars) =>
  (path: string): unknown =>
    (vars as Record<string, unknown>)[path];

function outcome(source: string, vars: Vars = {}, maxSteps?: number): { value: unknown } | { error: string } {
  try {
    return { value: evaluateExpression(source, careless(vars), { maxSteps }) };
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('EXPR');
    return { error: (error as ExpressionError).message };
  }
}

const vars: Vars = { item: { name: 'n' }, list: [1, 2], text: 'abc', 'inputs.parameters.x': '1' };

describe('no way into the host', () => {
  const reaches = [
    'item.constructor',
    'item.__proto__',
    "item['constructor']",
    "item['__proto__']",
    'item.toString',
    'item.valueOf',
    'item.hasOwnProperty',
    'list.constructor',
    'list.length',
    "list['map']",
    'text.constructor',
    'text.length',
    "text['toString']",
    'inputs.parameters.x.constructor',
    'constructor',
    'toString',
    '__proto__',
    'valueOf',
    "{}.constructor",
    "{}['__proto__']",
    '[].constructor',
    "''.constructor",
    '(1).constructor',
    'true.constructor',
    'nil.constructor',
    "fromJSON('{}').constructor",
    "sprig.dict('a', 1).constructor",
    'item?.constructor?.constructor',
    "get(item, 'constructor')",
    "get(item, '__proto__')",
    'map([item], #.constructor)',
    'now().constructor',
    "duration('1s').constructor",
    'sprig.upper',
    'sprig',
    'asInt',
    'filter',
  ];

  it.each(reaches)('%s yields nil or an error, never a function', (source) => {
    const result = outcome(source, vars);
    if ('value' in result) expect(result.value === null || JSON.stringify(result.value) === '[null]').toBe(true);
  });

  it('refuses calling members that are not methods of times and durations', () => {
    for (const source of ["item.toString()", "text.toUpperCase()", "list.map(1)", "now().constructor('x')", "duration('1s').valueOf()", "({}).__defineGetter__('a', 1)"]) {
      const result = outcome(source, vars);
      expect(result).toHaveProperty('error');
    }
  });

  it('keeps __proto__ an ordinary key of maps it builds', () => {
    expect(outcome("{'__proto__': 1}['__proto__']")).toEqual({ value: 1 });
    expect(outcome("fromJSON('{\"__proto__\": {\"polluted\": true}}').polluted")).toEqual({ value: null });
    expect(outcome("sprig.dict('__proto__', 'x')['__proto__']")).toEqual({ value: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses functions and class instances handed over by the scope', () => {
    expect(outcome('fn', { fn: () => 1 })).toEqual({ error: 'expression "fn" : fn is a function, which is not a value an expression can use at 0' });
    expect(outcome('x', { x: new Map() })).toHaveProperty('error');
    expect(outcome('x.y', { x: { y: () => 1 } })).toHaveProperty('error');
  });
});

describe('bounded time and memory', () => {
  it('fails fast on a huge range, without allocating it', () => {
    const started = Date.now();
    expect(outcome('1..100000000')).toEqual({ error: 'expression "1..100000000" : evaluation exceeded 1000000 steps at 1' });
    expect(outcome('len(1..100000000)')).toHaveProperty('error');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('counts closure iterations against the step limit', () => {
    expect(outcome('map(1..1000, map(1..1000, # * 2))')).toHaveProperty('error', expect.stringContaining('evaluation exceeded 1000000 steps'));
    expect(outcome('count(1..100, # > 0)', {}, 150)).toHaveProperty('error', expect.stringContaining('evaluation exceeded 150 steps'));
  });

  it('caps strings at 1 MiB', () => {
    expect(outcome("repeat('x', 1000000000)")).toHaveProperty('error', expect.stringContaining('repeat result would be 1000000000 characters long, over the limit of 1048576'));
    expect(outcome("sprig.repeat(1000000000, 'x')")).toHaveProperty('error', expect.stringContaining('over the limit'));
    expect(outcome("let s = repeat('x', 1000000); s + s")).toHaveProperty('error', expect.stringContaining('over the limit'));
    expect(outcome("replace(repeat('x', 100000), 'x', repeat('y', 100))")).toHaveProperty('error', expect.stringContaining('over the limit'));
    expect(outcome("join(map(1..1000, repeat('x', 2000)), ',')")).toHaveProperty('error', expect.stringContaining('over the limit'));
  });

  it('caps output built from shared structure', () => {
    const source = "let a = repeat('x', 1000); let b = [a, a, a, a, a, a, a, a, a, a]; let c = [b, b, b, b, b, b, b, b, b, b]; let d = [c, c, c, c, c, c, c, c, c, c]; toJson([d, d])";
    expect(outcome(source)).toHaveProperty('error', expect.stringContaining('JSON would be'));
  });

  it('charges work on long strings', () => {
    expect(outcome("let s = repeat('x', 1000000); map(1..200, s[#])")).toHaveProperty('error', expect.stringContaining('evaluation exceeded'));
  });

  it('caps regular expressions at 1000 characters', () => {
    expect(outcome(`'a' matches '${'a'.repeat(1001)}'`)).toHaveProperty('error', expect.stringContaining('longer than 1000 characters'));
  });

  // Exponential for a backtracking engine (minutes at 30 characters); RE2, as Go, answers at once.
  it.each([
    ['^(a+)+b$', 'a'.repeat(30), false],
    ['^(a|a)*c$', 'a'.repeat(3_000), false],
    [`^${'a*'.repeat(30)}b$`, 'a'.repeat(3_000), false],
    ['^(a+)+$', 'a'.repeat(3_000), true],
  ])('answers %j as Go does, in linear time', (pattern, text, expected) => {
    expect(outcome(`text matches '${pattern}'`, { text })).toEqual({ value: expected });
  });

  it('charges a match by the text’s length times the pattern’s size', () => {
    expect(outcome(`text matches 'a[ab]{500}c'`, { text: 'ab'.repeat(40_000) })).toHaveProperty('error', expect.stringContaining('evaluation exceeded 1000000 steps'));
    expect(outcome(`text matches 'error|fail'`, { text: 'x'.repeat(100_000) })).toEqual({ value: false });
  });

  it('fails with a message on deep nesting instead of overflowing the stack', () => {
    expect(outcome('('.repeat(10_000))).toHaveProperty('error', expect.stringContaining('nested deeper than'));
    expect(outcome('1' + '+1'.repeat(100_000))).toHaveProperty('error', expect.stringContaining('nested deeper than'));
  });
});

describe('errors', () => {
  it.each(['', ')', '1 +', '[1', '{a}', 'a.', '?', 'let = 1; 2', "'unterminated", 'f(', '1 ? 2', 'sprig.', '#', 'a[1'])('a syntax error in %j is an ExpressionError', (source) => {
    expect(outcome(source)).toHaveProperty('error', expect.stringMatching(/^expression ".*" : .+ at \d+$/s));
  });

  it.each(['1 + nil', "asInt('x')", '[1][2]', "'a' - 1", '-"a"', "{}['a']['b']", 'nil.a', "1 in 'abc'", 'now() + 1'])('a runtime error in %j is an ExpressionError with a position', (source) => {
    expect(outcome(source)).toHaveProperty('error', expect.stringMatching(/ at \d+$/));
  });

  it('cuts very long expressions in messages', () => {
    const result = outcome(`nope + '${'x'.repeat(1000)}'`);
    expect('error' in result && result.error.length).toBeLessThan(400);
  });
});
