import { describe, expect, it } from 'vitest';
import { compareStrings, deepEqual, formatValue } from './go-value.js';
import { compilePattern } from './regex.js';

describe('formatValue', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '-0'],
    [5, '5'],
    [2.5, '2.5'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1704067200, '1.7040672e+09'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e100, '1e+100'],
    [-1.5e-7, '-1.5e-07'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('prints %d as Go %%v does: %s', (value, printed) => {
    expect(formatValue(value)).toBe(printed);
  });

  it('prints nil, booleans, lists and patterns as Go does', () => {
    expect(formatValue(null)).toBe('<nil>');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(['a', 1, [false, null]])).toBe('[a 1 [false <nil>]]');
    expect(formatValue(compilePattern('^a/b'))).toBe('^a/b');
  });
});

describe('deepEqual', () => {
  it('compares like reflect.DeepEqual', () => {
    expect(deepEqual(1, 1)).toBe(true);
    expect(deepEqual('1', 1)).toBe(false);
    expect(deepEqual(NaN, NaN)).toBe(false);
    expect(deepEqual(['a', [1]], ['a', [1]])).toBe(true);
    expect(deepEqual(['a'], ['a', 'b'])).toBe(false);
    expect(deepEqual(null, null)).toBe(true);
    expect(deepEqual(compilePattern('a'), compilePattern('a'))).toBe(true);
  });
});

describe('compareStrings', () => {
  it('orders by code point, as Go orders UTF-8 bytes', () => {
    expect(compareStrings('\uff61', '😀')).toBeLessThan(0);
    expect('\uff61' < '😀').toBe(false);
    expect(compareStrings('ab', 'abc')).toBeLessThan(0);
    expect(compareStrings('b', 'abc')).toBeGreaterThan(0);
    expect(compareStrings('same', 'same')).toBe(0);
  });
});
