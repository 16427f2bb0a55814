import { describe, expect, it } from 'vitest';
import { Failure } from './errors.js';
import { Budget } from './expression/budget.js';
import { compilePattern, MAX_PATTERN_LENGTH } from './regex.js';

const matches = (pattern: string, text: string): boolean => compilePattern(pattern).test(text, new Budget(1_000_000));

describe('compilePattern', () => {
  it('searches anywhere in the text, like Go regexp.MatchString', () => {
    expect(matches('b+', 'abbc')).toBe(true);
    expect(matches('^b', 'abbc')).toBe(false);
  });

  it('takes leading flags, ungreedy included', () => {
    expect(matches('(?i)^yes$', 'YES')).toBe(true);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?m)^b$', 'a\nb')).toBe(true);
    expect(matches('(?is)^A.B$', 'a\nb')).toBe(true);
    expect(matches('(?U)^a+$', 'aaa')).toBe(true);
  });

  it('takes named groups in both of Go’s spellings, and Unicode classes', () => {
    expect(matches('(?P<year>\\d{4})', 'in 2024')).toBe(true);
    expect(matches('(?<year>\\d{4})', 'in 2024')).toBe(true);
    expect(matches('^\\p{L}+$', 'héllo')).toBe(true);
    expect(matches('^.$', '😀')).toBe(true);
  });

  it('keeps the source as written', () => {
    expect(compilePattern('(?i)a/b').source).toBe('(?i)a/b');
  });

  // Go's own messages (regexp/syntax), as Argo reports them.
  it.each([
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?<n>a)\\k<n>', 'invalid escape sequence: `\\k`'],
    ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a(?!b)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
    ['(', 'missing closing ): `(`'],
    ['x**', 'invalid nested repetition operator: `**`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
  ])('refuses %j', (pattern, reason) => {
    expect(() => compilePattern(pattern)).toThrow(Failure);
    expect(() => compilePattern(pattern)).toThrow(`error parsing regexp: ${reason}`);
  });

  it('allows lookaround characters inside a class and escaped', () => {
    expect(matches('[(?=]', '=')).toBe(true);
    expect(matches('\\(?=', '=')).toBe(true);
  });

  it(`refuses patterns longer than ${MAX_PATTERN_LENGTH} characters`, () => {
    expect(() => compilePattern('a'.repeat(MAX_PATTERN_LENGTH + 1))).toThrow(/pattern longer than 1000 characters/);
    expect(matches('a'.repeat(MAX_PATTERN_LENGTH), 'a'.repeat(MAX_PATTERN_LENGTH))).toBe(true);
  });

  // Shapes that make a backtracking engine exponential; RE2 answers them in linear time. A
  // backtracking engine takes minutes on the first at 30 characters; these texts are far longer.
  it.each([
    ['^(a+)+b$', 'a'.repeat(5_000), false],
    ['^(a+)+b$', `${'a'.repeat(5_000)}b`, true],
    ['^(a|a)*c$', 'a'.repeat(5_000), false],
    ['^(a|aa)+$', `${'a'.repeat(5_000)}!`, false],
    [`^${'a*'.repeat(20)}b$`, 'a'.repeat(5_000), false],
    ['^(\\w+\\s?)+$', `${'word '.repeat(1_000)}!`, false],
  ])('answers %j on a long text as Go does, without backtracking', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it('charges a match to the budget before running it: characters × program size', () => {
    const budget = new Budget(1_000);
    expect(() => compilePattern('a[ab]{100}c').test('ab'.repeat(1_000), budget)).toThrow('evaluation exceeded 1000 steps');
  });
});
