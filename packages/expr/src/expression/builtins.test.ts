import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../errors.js';
import { evaluateExpression } from './index.js';

const run = (source: string): unknown => evaluateExpression(source, () => undefined);

function error(source: string): string {
  try {
    run(source);
  } catch (caught) {
    if (caught instanceof ExpressionError) return caught.message;
    throw caught;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('expr builtins', () => {
  it('measures strings in characters, arrays and maps in entries', () => {
    expect(run("[len('héllo'), len([1, 2]), len({a: 1})]")).toEqual([5, 2, 1]);
    expect(error('len(1)')).toContain('invalid argument for len (type int)');
  });

  it('names types as expr does', () => {
    expect(run("map([nil, true, 1, 1.5, 'a', [], {}], type(#))")).toEqual(['nil', 'bool', 'int', 'float', 'string', 'array', 'map']);
  });

  it('rounds as Go does, halves away from zero', () => {
    expect(run('[abs(-2), ceil(1.2), floor(-1.2), round(2.5), round(-2.5), round(1.4)]')).toEqual([2, 2, -2, 3, -3, 1]);
  });

  it('converts with int and float, strictly from strings', () => {
    expect(run("[int('42'), int(3.9), float('1.5'), float(2)]")).toEqual([42, 3, 1.5, 2]);
    expect(error("int('1.5')")).toContain('invalid operation: int(1.5)');
    expect(error("float('x')")).toContain('invalid operation: float(x)');
  });

  it('trims, splits, replaces and repeats strings as Go strings does', () => {
    expect(run("[trim('  a  '), trim('xxaxx', 'x'), trimPrefix('v1.0', 'v'), trimSuffix('a.txt', '.txt'), upper('a'), lower('B')]")).toEqual([
      'a',
      'a',
      '1.0',
      'a',
      'A',
      'b',
    ]);
    expect(run("[split('a,b,c', ','), split('a,b,c', ',', 2), splitAfter('a,b', ','), split('ab', '')]")).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b,c'],
      ['a,', 'b'],
      ['a', 'b'],
    ]);
    expect(run("[replace('aaa', 'a', 'b'), replace('aaa', 'a', 'b', 2), replace('ab', '', '-'), repeat('ab', 3)]")).toEqual(['bbb', 'bba', '-a-b-', 'ababab']);
  });

  it('joins strings and finds substrings by character offset', () => {
    expect(run("[join(['a', 'b'], '-'), join(['a', 'b']), indexOf('héllo', 'l'), lastIndexOf('hello', 'l'), indexOf('a', 'z')]")).toEqual(['a-b', 'ab', 2, 3, -1]);
    expect(run("hasPrefix('abc', 'ab') && hasSuffix('abc', 'bc')")).toBe(true);
    expect(error('join([1])')).toContain('join: element 0 is int, not a string');
  });

  it('aggregates numbers with max, min, mean and sum', () => {
    expect(run('[max(1, 3, 2), min([4, 2, 8]), mean([1, 2, 3, 4]), max([])]')).toEqual([3, 2, 2.5, null]);
    expect(error("max(1, 'a')")).toContain('invalid argument for max (type string)');
  });

  it('encodes and decodes JSON and base64', () => {
    expect(run('toJSON({b: [1, 2], a: nil})')).toBe('{\n  "a": null,\n  "b": [\n    1,\n    2\n  ]\n}');
    expect(run('fromJSON(\'{"a": [1, "x"]}\').a[1]')).toBe('x');
    expect(run("[toBase64('héllo'), fromBase64('aMOpbGxv')]")).toEqual(['aMOpbGxv', 'héllo']);
    expect(error("fromBase64('!!')")).toContain('illegal base64 data at input byte 0');
    expect(error("fromJSON('{')")).toContain('fromJSON: invalid JSON');
  });

  it('reads collections with first, last, get, keys and values (keys sorted)', () => {
    expect(run("[first([1, 2]), last([1, 2]), first([]), get({a: 1}, 'a'), keys({b: 1, a: 2}), values({b: 1, a: 2})]")).toEqual([
      1,
      2,
      null,
      1,
      ['a', 'b'],
      [2, 1],
    ]);
  });

  it('reshapes arrays with sort, reverse, uniq, concat and flatten', () => {
    expect(run("[sort([3, 1, 2]), sort(['b', 'a'], 'desc'), reverse([1, 2]), uniq([1, 1, 2, 1]), concat([1], [2, 3]), flatten([1, [2, [3]]])]")).toEqual([
      [1, 2, 3],
      ['b', 'a'],
      [2, 1],
      [1, 2],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(error("sort([1, 'a'])")).toContain('invalid operation: sort (mismatched types');
  });

  it('parses Go durations', () => {
    expect(run("string(duration('1h30m'))")).toBe('1h30m0s');
    expect(error("duration('1d')")).toContain('time: unknown unit "d" in duration "1d"');
  });

  it('checks argument counts and types', () => {
    expect(error("upper('a', 'b')")).toContain('upper expects 1 argument, got 2');
    expect(error('upper(1)')).toContain('upper: argument 1 must be a string, got int');
  });
});
