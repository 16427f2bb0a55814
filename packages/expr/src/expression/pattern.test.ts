import { describe, expect, it } from 'vitest';
import { EvalFailure } from './failure.js';
import { PatternCache } from './pattern.js';

describe('matches patterns', () => {
  it('compiles RE2 syntax, with Unicode classes and leading flags', () => {
    const patterns = new PatternCache();
    expect(patterns.get('^\\p{L}+$').test('héllo')).toBe(true);
    expect(patterns.get('(?i)^abc').test('ABCd')).toBe(true);
    expect(patterns.get('(?P<year>\\d{4})').test('2024')).toBe(true);
    expect(patterns.get('a\\-b').test('a-b')).toBe(true);
  });

  it('reuses a compiled pattern', () => {
    const patterns = new PatternCache();
    expect(patterns.get('a+')).toBe(patterns.get('a+'));
  });

  it.each(['(a+)+', '(a*)*b', '((ab)+c)+', '(x+y){2,}', '(?:a|b+)*'])('refuses the nested repetition in %s', (pattern) => {
    expect(() => new PatternCache().get(pattern)).toThrow(/repeats a group that itself repeats/);
  });

  it.each(['(ab)+', '(a+)?', '[(a+)]+', '\\(a+\\)+', '(a{1})+', 'a+b*'])('accepts %s', (pattern) => {
    expect(() => new PatternCache().get(pattern)).not.toThrow();
  });

  it('refuses what RE2 refuses, and patterns over 1000 characters', () => {
    expect(() => new PatternCache().get('(a)\\1')).toThrow(EvalFailure);
    expect(() => new PatternCache().get('(?=a)')).toThrow(/Perl syntax/);
    expect(() => new PatternCache().get('a'.repeat(1001))).toThrow(/longer than 1000/);
  });
});
