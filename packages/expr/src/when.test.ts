import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors.js';
import { evaluateWhen } from './when.js';

describe("Argo's when", () => {
  it.each([
    ['heads == heads', true],
    ['tails == heads', false],
    ['5 > 3', true],
    ['10 > 9', true],
    ['"a b" == \'a b\'', true],
    ['true', true],
    ['!false', true],
    ["x =~ '^x'", true],
    ["xyz !~ '^x'", false],
    ['a in (a, b)', true],
    ['c in (a, b)', false],
    ['1 == 1 && (2 > 3 || b == b)', true],
    ['Succeeded != Failed', true],
    ['2 + 3 == 5', true],
    ['3 == 3.0', true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it.each(['foo-bar == foo-bar', '5', 'a ==', '(a == a', 'a == "unterminated', 'a b == c', '5 > a'])(
    'refuses %s with a hint to quote',
    (expression) => {
      expect(() => evaluateWhen(expression)).toThrow(ExpressionError);
      expect(() => evaluateWhen(expression)).toThrow(`Invalid 'when' expression '${expression}'`);
      expect(() => evaluateWhen(expression)).toThrow('hint: try wrapping the affected expression in quotes');
    },
  );

  it('bounds length and nesting', () => {
    expect(() => evaluateWhen(`${'!'.repeat(500)}true`)).toThrow(/nesting/);
    expect(() => evaluateWhen('a'.repeat(20_000))).toThrow(/longer than/);
  });

  it('never treats words as code or properties', () => {
    expect(evaluateWhen('constructor == constructor')).toBe(true);
    expect(evaluateWhen('__proto__ == toString')).toBe(false);
  });
});
