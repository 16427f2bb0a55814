import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';
import { EvalFailure } from './failure.js';
import { PatternCache } from './pattern.js';

const budget = (): Budget => new Budget(1_000_000);

describe('matches patterns', () => {
  it('compiles RE2 syntax, with Unicode classes and leading flags', () => {
    const patterns = new PatternCache();
    expect(patterns.get('^\\p{L}+$').test('héllo', budget())).toBe(true);
    expect(patterns.get('(?i)^abc').test('ABCd', budget())).toBe(true);
    expect(patterns.get('(?P<year>\\d{4})').test('2024', budget())).toBe(true);
    expect(patterns.get('a\\-b').test('a-b', budget())).toBe(true);
  });

  it('reuses a compiled pattern', () => {
    const patterns = new PatternCache();
    expect(patterns.get('a+')).toBe(patterns.get('a+'));
  });

  it('refuses what RE2 refuses, and patterns over 1000 characters', () => {
    expect(() => new PatternCache().get('(a)\\1')).toThrow(EvalFailure);
    expect(() => new PatternCache().get('(?=a)')).toThrow(/Perl syntax/);
    expect(() => new PatternCache().get('a'.repeat(1001))).toThrow(/longer than 1000/);
  });
});
