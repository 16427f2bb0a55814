import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors.js';
import { sharedBudget } from './expression/budget.js';
import { evaluateWhen, MAX_WHEN_LENGTH } from './when.js';

const HINT = ' (hint: try wrapping the affected expression in quotes ("))';

function failure(expression: string): ExpressionError {
  try {
    evaluateWhen(expression);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('WHEN');
    return error as ExpressionError;
  }
  throw new Error(`expected '${expression}' to fail`);
}

describe('when: bare words are strings', () => {
  it.each([
    ['heads == heads', true],
    ['tails == heads', false],
    ['Succeeded != Failed', true],
    ["heads == 'heads'", true],
    ['"a b" == \'a b\'', true],
    ['héllo == héllo', true],
    ['日本 != 中国', true],
    ['constructor == constructor', true],
    ["[__proto__] == '__proto__'", true],
    ["[with space] == 'with space'", true],
    ["foo\\-bar == 'foo-bar'", true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it('reads foo-bar as foo minus bar and fails, as Argo does', () => {
    expect(failure('foo-bar == foo-bar').message).toBe(
      "Failed to evaluate 'when' expresion 'foo-bar == foo-bar': Value 'foo' cannot be used with the modifier '-', it is not a number",
    );
  });

  it('refuses ! before a bare word, because Argo turns the word into a string after checking syntax', () => {
    expect(failure('!heads').message).toBe(
      "Failed to parse 'when' expression '!heads': Cannot transition token types from PREFIX [!] to STRING [heads]",
    );
  });

  it('refuses a dotted word as an accessor of an unexported field', () => {
    expect(failure('steps.flip.outputs.result == heads').message).toBe(
      "Invalid 'when' expression 'steps.flip.outputs.result == heads': " +
        "Unable to access unexported field 'flip' in token 'steps.flip.outputs.result'",
    );
  });

  it('fails an exported accessor when evaluated, as Argo passes no parameters', () => {
    expect(failure('a.B == a').message).toBe("Failed to evaluate 'when' expresion 'a.B == a': No parameter 'a' found.");
    expect(evaluateWhen('true || a.B')).toBe(true);
  });
});

describe('when: numbers, booleans and operators', () => {
  it.each([
    ['5 > 3', true],
    ['10 > 9', true],
    ['9 > 10', false],
    ['3 == 3.0', true],
    ['.5 == 0.5', true],
    ['0x1F == 31', true],
    ['true', true],
    ['!false', true],
    ['!(!true)', true],
    ['1 == 1 && (2 > 3 || b == b)', true],
    ['false && 1', false],
    ['true || 1', true],
    ['2 + 3 == 5', true],
    ['10 / 4 == 2.5', true],
    ['7 % 3 == 1', true],
    ['2 ** 3 ** 2 == 64', true],
    ['-2 ** 2 == 4', true],
    ['1 - 2 - 3 == -4', true],
    ['5 & 3 == 1', true],
    ['5 | 2 == 7', true],
    ['5 ^ 1 == 4', true],
    ['1 << 3 == 8', true],
    ['16 >> 2 == 4', true],
    ['~0 == -1', true],
    ["'a' + 1 == a1", true],
    ["1000000 + 'x' == '1e+06x'", true],
    ['b > a', true],
    ["'｡' < '😀'", true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it('compares numbers numerically, not as text', () => {
    expect(evaluateWhen('10 > 9')).toBe(true);
    expect(evaluateWhen("'10' > '9'")).toBe(false);
  });

  it('evaluates the ternary operators left to right', () => {
    expect(evaluateWhen('(a == a ? b : c) == b')).toBe(true);
    expect(evaluateWhen('(a == b ? b : c) == c')).toBe(true);
    expect(evaluateWhen('(x ?? y) == x')).toBe(true);
  });
});

describe('when: in and regular expressions', () => {
  it.each([
    ['a in (a, b)', true],
    ['c in (a, b)', false],
    ['2 in (1, 2, 3)', true],
    ['a IN (b, a)', true],
    ["x =~ '^x'", true],
    ["xyz !~ '^x'", false],
    ['abc =~ b', true],
    ["YES =~ '(?i)^yes$'", true],
    ["'a-1' =~ '^a-\\\\d$'", true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it('needs a list on the right of in', () => {
    expect(failure('a in (b)').message).toBe(
      "Failed to evaluate 'when' expresion 'a in (b)': Value 'b' cannot be used with the comparator 'in', it is not a number",
    );
  });

  it('reads a single backslash in a string literal as an escape, so \\d needs doubling', () => {
    expect(evaluateWhen("a1 =~ '^a\\d$'")).toBe(false);
    expect(evaluateWhen("a1 =~ '^a\\\\d$'")).toBe(true);
  });

  it('refuses a pattern that does not compile, while parsing', () => {
    expect(failure("x =~ '('").message).toMatch(/^Invalid 'when' expression 'x =~ '\('': error parsing regexp: /);
    expect(failure('false && x =~ (').message).toMatch(/Unbalanced parenthesis/);
  });

  it('refuses backreferences and lookaround, which RE2 does not have', () => {
    expect(failure("aa =~ '(a)\\\\1'").message).toContain('error parsing regexp: invalid escape sequence: `\\1`');
    expect(failure("ab =~ 'a(?=b)'").message).toContain('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
  });

  it('refuses an overlong pattern', () => {
    expect(failure(`x =~ '${'a'.repeat(1_001)}'`).message).toContain('pattern longer than 1000 characters');
  });

  // A backtracking engine takes about a minute on the first at 30 characters (and held the scheduler).
  it.each([
    [`${'a'.repeat(30)} =~ '^(a+)+b$'`, false],
    [`${'a'.repeat(5_000)} =~ '^(a|a)*c$'`, false],
    [`${'a'.repeat(5_000)} !~ '^${'a*'.repeat(30)}b$'`, true],
  ])('answers %#: a pattern that backtracks exponentially, as Go does', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it('charges pattern matches to a shared budget, failing clearly once it is spent', () => {
    const shared = sharedBudget(20_000, 'expressions of one event');
    const expression = `${'ab'.repeat(1_000)} =~ 'a[ab]{20}c'`;
    expect(evaluateWhen(expression, shared)).toBe(false);
    expect(() => evaluateWhen(expression, shared)).toThrow(/^Failed to evaluate 'when' expresion '.*': expressions of one event exceeded 20000 steps$/);
  });
});

describe('when: dates in quotes are instants', () => {
  it.each([
    ["'2024-01-02' > '2024-01-01'", true],
    ["'2024-01-01' == '2024-01-01T00:00:00Z'", true],
    ["'2024-01-01T02:00:00+02:00' == '2024-01-01'", true],
    ["'2024-01-01 10:00' < '2024-01-01T09:00:00-02:00'", true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateWhen(expression)).toBe(expected);
  });

  it('cannot match a date against a pattern, as it is a number', () => {
    expect(failure("'2024-01-01' =~ '^2024'").message).toBe(
      "Failed to evaluate 'when' expresion ''2024-01-01' =~ '^2024'': " +
        "Value '1.7040672e+09' cannot be used with the comparator '=~', it is not a number",
    );
  });
});

describe('when: govaluate quirks kept', () => {
  it('treats empty parentheses and a missing operand as nil', () => {
    expect(evaluateWhen('() == ()')).toBe(true);
    expect(evaluateWhen('(a ==)')).toBe(false);
    expect(evaluateWhen('(false &&)')).toBe(false);
  });

  it('ignores tokens after a closed group', () => {
    expect(evaluateWhen('(true) (false)')).toBe(true);
  });

  it('reads a run of symbols as one token', () => {
    expect(failure('a==-1').message).toBe(`Invalid 'when' expression 'a==-1': Invalid token: '==-'${HINT}`);
    expect(evaluateWhen('a == -1')).toBe(false);
    expect(failure('!!true').message).toBe(`Invalid 'when' expression '!!true': Invalid token: '!!'${HINT}`);
  });

  it('ends a double-quoted string at a single quote too', () => {
    expect(failure('"it\'s" == x').message).toBe(`Invalid 'when' expression '"it's" == x': Unclosed string literal`);
    expect(evaluateWhen("[it's] == 'it\\'s'")).toBe(true);
  });

  it('evaluates the right operand before type-checking the left', () => {
    expect(failure("'x' && (1 - y)").message).toContain("Value 'y' cannot be used with the modifier '-', it is not a number");
  });
});

describe('when: errors in Argo words', () => {
  it('holds when empty, as Argo skips the check', () => {
    expect(evaluateWhen('')).toBe(true);
  });

  it('adds the quoting hint to invalid-token errors only', () => {
    expect(failure('{{steps.x.outputs.result}} == a').message).toBe(
      `Invalid 'when' expression '{{steps.x.outputs.result}} == a': Invalid token: '{{'${HINT}`,
    );
    expect(failure('a ==').message).toBe("Invalid 'when' expression 'a ==': Unexpected end of expression");
  });

  it.each([
    ['   ', 'Unexpected end of expression'],
    ['(a == a', 'Unbalanced parenthesis'],
    ['a b == c', 'Cannot transition token types from VARIABLE [a] to VARIABLE [b]'],
    ['(a) b(', 'Unbalanced parenthesis'],
    ['f(x)', 'Undefined function f'],
    ['1 + + 2', 'Cannot transition token types from MODIFIER [+] to MODIFIER [+]'],
    ['(1 +', 'Unbalanced parenthesis'],
    ['1.2.3 == x', "Unable to parse numeric value '1.2.3' to float64\n"],
    ['٣ == ٣', "Unable to parse numeric value '٣' to float64\n"],
    ['a.b. == c', "Hanging accessor on token 'a.b.'"],
    ['a == "open', 'Unclosed string literal'],
    ['[open == a', 'Unclosed parameter bracket'],
    ['a ? , b', "Unable to plan token kind: 'SEPARATOR', value: ','"],
    ['() == (', 'Unbalanced parenthesis'],
  ])('refuses %j: %s', (expression, reason) => {
    expect(failure(expression).message).toBe(`Invalid 'when' expression '${expression}': ${reason}`);
  });

  it.each([
    ['5 > a', "Value '5' cannot be used with the comparator '>', it is not a number"],
    ['a && b', "Value 'a' cannot be used with the logical operator '&&', it is not a bool"],
    ['(true &&)', "Value '<nil>' cannot be used with the logical operator '&&', it is not a bool"],
    ['true + 1', "Value 'true' cannot be used with the modifier '+', it is not a number"],
    ['(a ? b : c) == b', "Value 'a' cannot be used with the ternary operator '?', it is not a bool"],
    ['-(a) == 1', "Value 'a' cannot be used with the prefix '-'"],
  ])('fails evaluating %j: %s', (expression, reason) => {
    expect(failure(expression).message).toBe(`Failed to evaluate 'when' expresion '${expression}': ${reason}`);
  });

  it.each([
    ['5', '5'],
    ['heads', 'heads'],
    ['a, b', '[a b]'],
    ['1000000 + 0', '1e+06'],
    ['0.00001 + 0', '1e-05'],
    ['()', '<nil>'],
  ])('refuses the non-boolean result of %j', (expression, printed) => {
    expect(failure(expression).message).toBe(`Expected boolean evaluation for '${expression}'. Got ${printed}`);
  });
});

describe('when: bounds', () => {
  it(`refuses expressions longer than ${MAX_WHEN_LENGTH} characters`, () => {
    expect(failure('a'.repeat(MAX_WHEN_LENGTH + 1)).message).toMatch(/longer than 10000 characters$/);
  });

  it('refuses nesting deeper than 100 levels', () => {
    expect(failure(`${'('.repeat(101)}true${')'.repeat(101)}`).message).toMatch(/nesting deeper than 100 levels$/);
    expect(evaluateWhen(`${'('.repeat(100)}true${')'.repeat(100)}`)).toBe(true);
  });

  it('evaluates a long flat chain without deep recursion', () => {
    const chain = Array.from({ length: 900 }, () => 'a == a').join(' && ');
    expect(chain.length).toBeLessThanOrEqual(MAX_WHEN_LENGTH);
    expect(evaluateWhen(chain)).toBe(true);
    expect(evaluateWhen(Array.from({ length: 4_000 }, () => '1').join('+') + ' == 4000')).toBe(true);
  });
});
