import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, parseLabelSelector } from './label-selector.js';
import { SpecError } from './errors.js';

describe('label selectors', () => {
  it('parses every requirement form', () => {
    expect(parseLabelSelector('app=web, tier==front,env!=prod,zone in (a, b),team notin (x),release,!legacy,example.com/owner=me')).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'tier', operator: 'In', values: ['front'] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
      { key: 'team', operator: 'NotIn', values: ['x'] },
      { key: 'release', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'example.com/owner', operator: 'In', values: ['me'] },
    ]);
  });

  it('selects everything when empty, and an empty value is a value', () => {
    expect(parseLabelSelector('  ')).toEqual([]);
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', operator: 'In', values: [''] }]);
    expect(parseLabelSelector('a==')).toEqual([{ key: 'a', operator: 'In', values: [''] }]);
  });

  it('matches with Kubernetes semantics', () => {
    const labels = { app: 'web', zone: 'b' };
    const matches = (selector: string) => matchesLabelSelector(parseLabelSelector(selector), labels);
    expect(matches('app=web,zone in (a,b)')).toBe(true);
    expect(matches('app=api')).toBe(false);
    expect(matches('env!=prod')).toBe(true); // a missing key holds for !=
    expect(matches('env notin (prod)')).toBe(true);
    expect(matches('zone notin (b)')).toBe(false);
    expect(matches('app,!env')).toBe(true);
    expect(matches('env')).toBe(false);
    expect(matchesLabelSelector(parseLabelSelector('env!=prod'), undefined)).toBe(true);
  });

  it.each([
    ['=web', 'is not a label requirement'],
    ['app in (a', 'is not a label requirement'],
    ['app in ()', 'names no values'],
    ['-app=web', 'label key "-app" is invalid'],
    ['app=we b', 'is not a label requirement'],
    ['Bad_Prefix/app=1', 'invalid prefix'],
    ['app=' + 'v'.repeat(64), 'label value'],
  ])('refuses %s naming the place', (selector, message) => {
    expect(() => parseLabelSelector(selector, 'list -l')).toThrow(SpecError);
    expect(() => parseLabelSelector(selector, 'list -l')).toThrow(new RegExp(`^list -l: .*${message}`));
  });
});
