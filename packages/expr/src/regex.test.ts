import { describe, expect, it } from 'vitest';
import { Failure } from './errors.js';
import { compilePattern, MAX_PATTERN_LENGTH } from './regex.js';

const matches = (pattern: string, text: string): boolean => compilePattern(pattern).regex.test(text);

describe('compilePattern', () => {
  it('searches anywhere in the text, like Go regexp.Match', () => {
    expect(matches('b+', 'abbc')).toBe(true);
    expect(matches('^b', 'abbc')).toBe(false);
  });

  it('translates leading flags', () => {
    expect(matches('(?i)^yes$', 'YES')).toBe(true);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?m)^b$', 'a\nb')).toBe(true);
    expect(matches('(?is)^A.B$', 'a\nb')).toBe(true);
  });

  it('translates named groups', () => {
    expect(compilePattern('(?P<year>\\d{4})').regex.exec('in 2024')?.groups?.['year']).toBe('2024');
  });

  it('keeps the source as written', () => {
    expect(compilePattern('(?i)a/b').source).toBe('(?i)a/b');
  });

  it.each([
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?<n>a)\\k<n>', 'invalid escape sequence: `\\k`'],
    ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a(?!b)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid or unsupported Perl syntax: `(?<=`'],
    ['(?<!a)b', 'invalid or unsupported Perl syntax: `(?<!`'],
    ['(?U)a+', 'ungreedy mode (?U) is not supported'],
    ['(', 'Unterminated group: `(`'],
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
});
