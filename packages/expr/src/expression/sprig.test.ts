import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../errors.js';
import { evaluateExpression } from './index.js';

const now = new Date('2024-03-05T06:07:08Z');
const run = (source: string): unknown => evaluateExpression(source, () => undefined, { now });

function error(source: string): string {
  try {
    run(source);
  } catch (caught) {
    if (caught instanceof ExpressionError) return caught.message;
    throw caught;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('sprig', () => {
  it('takes the subject last, in sprig order', () => {
    expect(run("[sprig.trimAll('x', 'xxaxx'), sprig.trimPrefix('v', 'v1'), sprig.trimSuffix('.txt', 'a.txt'), sprig.replace('a', 'o', 'banana')]")).toEqual([
      'a',
      '1',
      'a',
      'bonono',
    ]);
    expect(run("[sprig.contains('an', 'banana'), sprig.hasPrefix('ba', 'banana'), sprig.hasSuffix('na', 'banana')]")).toEqual([true, true, true]);
  });

  it('changes case and trims', () => {
    expect(run("[sprig.trim('  a '), sprig.upper('a'), sprig.lower('A'), sprig.title('hello wide-world')]")).toEqual(['a', 'A', 'a', 'Hello Wide-World']);
  });

  it('splits into a map of _0, _1… or a list, and joins any list', () => {
    expect(run("sprig.split('.', 'a.b')")).toEqual({ _0: 'a', _1: 'b' });
    expect(run("sprig.split('.', 'a.b')._1")).toBe('b');
    expect(run("sprig.splitList(',', 'a,b')")).toEqual(['a', 'b']);
    expect(run("sprig.join('-', [1, nil, 'a'])")).toBe('1-a');
  });

  it('defaults, tests emptiness and coalesces', () => {
    expect(run("[sprig.default('d', ''), sprig.default('d', 'v'), sprig.default('d', 0), sprig.default('d')]")).toEqual(['d', 'v', 'd', 'd']);
    expect(run("[sprig.empty(''), sprig.empty([]), sprig.empty({}), sprig.empty(0), sprig.empty('x')]")).toEqual([true, true, true, true, false]);
    expect(run("sprig.coalesce(nil, '', 'x', 'y')")).toBe('x');
  });

  it('coerces numbers as spf13/cast does, answering 0 for what it cannot read', () => {
    expect(run("[sprig.int('42'), sprig.int('4.0'), sprig.int('0x10'), sprig.int('abc'), sprig.int64(3.9), sprig.float64('1.5'), sprig.atoi('12'), sprig.atoi('1.2')]")).toEqual([
      42, 4, 16, 0, 3, 1.5, 12, 0,
    ]);
  });

  it('does integer arithmetic', () => {
    expect(run("[sprig.add(1, '2', 3), sprig.sub(5, 2), sprig.mul(2, 3, 4), sprig.div(7, 2), sprig.mod(7, 3), sprig.max(1, 5, 3), sprig.min(4, 2)]")).toEqual([
      6, 3, 24, 3, 1, 5, 2,
    ]);
    expect(error('sprig.div(1, 0)')).toContain('integer divide by zero');
  });

  it('encodes base64, answering the error text for bad input', () => {
    expect(run("[sprig.b64enc('hi'), sprig.b64dec('aGk='), sprig.b64dec('a')]")).toEqual(['aGk=', 'hi', 'illegal base64 data at input byte 0']);
  });

  it('builds dicts and lists and tests membership with has', () => {
    expect(run("sprig.dict('a', 1, 'b')")).toEqual({ a: 1, b: '' });
    expect(run("sprig.list(1, 'a')")).toEqual([1, 'a']);
    expect(run("[sprig.has(2, [1, 2]), sprig.has('x', nil)]")).toEqual([true, false]);
    expect(error("sprig.has(1, 'abc')")).toContain('Cannot find has on type string');
  });

  it('quotes and concatenates', () => {
    expect(run("[sprig.quote('a\"b', 1), sprig.squote('a'), sprig.cat('a', 1, nil, 'b')]")).toEqual(['"a\\"b" "1"', "'a'", 'a 1 b']);
  });

  it('indents, cuts and repeats', () => {
    expect(run("[sprig.indent(2, 'a\\nb'), sprig.nindent(1, 'a'), sprig.substr(1, 3, 'hello'), sprig.trunc(2, 'hello'), sprig.trunc(-2, 'hello'), sprig.repeat(2, 'ab')]")).toEqual([
      '  a\n  b',
      '\n a',
      'el',
      'he',
      'lo',
      'abab',
    ]);
  });

  it('formats and reads dates with Go layouts', () => {
    expect(run("sprig.date('2006-01-02 15:04', sprig.now())")).toBe('2024-03-05 06:07');
    expect(run("sprig.date('Jan 2, 2006', 0)")).toBe('Jan 1, 1970');
    expect(run("sprig.unixEpoch(sprig.toDate('2006-01-02', '2024-03-05'))")).toBe('1709596800');
    expect(run("sprig.toDate('2006-01-02', 'garbage').Year()")).toBe(1);
  });

  it('converts JSON, swallowing errors as sprig does', () => {
    expect(run("sprig.toJson({b: 1, a: 'x'})")).toBe('{"a":"x","b":1}');
    expect(run("sprig.fromJson('{\"a\": 1}').a")).toBe(1);
    expect(run("sprig.fromJson('{')")).toBeNull();
  });

  it('checks typed arguments and counts', () => {
    expect(error('sprig.trim(1)')).toContain('sprig.trim: argument 1 must be a string, got int');
    expect(error("sprig.indent('2', 'a')")).toContain('sprig.indent: argument 1 must be an int, got string');
    expect(error("sprig.upper('a', 'b')")).toContain('sprig.upper expects 1 argument, got 2');
  });
});
