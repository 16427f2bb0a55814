import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './index.js';
import { error, run } from '../../test-support/evaluate.js';


describe('variables', () => {
  it('resolves the longest dotted path first', () => {
    const asked: string[] = [];
    const value = evaluateExpression('tasks.A.outputs.result', (path) => {
      asked.push(path);
      return path === 'tasks.A.outputs.result' ? 'ok' : undefined;
    });
    expect(value).toBe('ok');
    expect(asked).toEqual(['tasks.A.outputs.result']);
  });

  it('falls back to shorter paths and indexes into their values', () => {
    expect(run('tasks.A.outputs.result', { 'tasks.A': { outputs: { result: 'deep' } } })).toBe('deep');
    expect(run('item.name', { item: { name: 'x' } })).toBe('x');
  });

  it('treats bracketed string keys as path segments, for hyphenated names', () => {
    expect(run("inputs.parameters['my-param']", { 'inputs.parameters.my-param': 'v' })).toBe('v');
    expect(run('steps["my-step"].outputs.result', { 'steps.my-step.outputs.result': 'r' })).toBe('r');
  });

  it('gives nil for a missing key of a resolved map', () => {
    expect(run('item.missing', { item: { name: 'x' } })).toBeNull();
  });

  it('fails on an unknown name, naming the whole path and where it starts', () => {
    expect(error('1 + inputs.parameters.nope')).toBe('expression "1 + inputs.parameters.nope" : unknown name inputs.parameters.nope at 4');
    expect(error('nope')).toBe('expression "nope" : unknown name nope at 0');
  });

  it('gives nil for unknown names on the left of ??', () => {
    expect(run("inputs.parameters.x ?? 'default'")).toBe('default');
    expect(run("inputs.parameters.x ?? 'default'", { 'inputs.parameters.x': 'set' })).toBe('set');
    expect(run("item.a.b.c ?? 'deep'", { item: {} })).toBe('deep');
    expect(run("nope ?? other ?? 'last'")).toBe('last');
  });

  it('gives nil through get() for unknown names and missing indexes', () => {
    expect(run("get(nope, 'x')")).toBeNull();
    expect(run('get([1, 2], 5)')).toBeNull();
    expect(run("get(item, 'name')", { item: { name: 'n' } })).toBe('n');
  });

  it('fails on a member of nil, unless the access is optional', () => {
    expect(error('item.a.b', { item: {} })).toContain('cannot fetch b from nil');
    expect(run('item.a?.b.c', { item: {} })).toBeNull();
    expect(run('item?.a', { item: null })).toBeNull();
  });

  it('binds let names, which shadow the scope', () => {
    expect(run('let x = 2; let y = x * 3; y + x', { x: 'ignored' })).toBe(8);
    expect(run('let item = {name: "local"}; item.name', { item: { name: 'scope' } })).toBe('local');
  });

  it('does not convert strings from the scope to numbers', () => {
    expect(run('x == 3', { x: '3' })).toBe(false);
    expect(run("x == '3'", { x: '3' })).toBe(true);
    expect(run('asInt(x) + 1 == 4', { x: '3' })).toBe(true);
  });

  it('uses plain objects, arrays and dates from the scope as maps, arrays and times', () => {
    expect(run('len(xs) + xs[0].n', { xs: [{ n: 5 }, { n: 6 }] })).toBe(7);
    expect(run('type(t)', { t: new Date(0) })).toBe('time.Time');
  });
});

describe('literals', () => {
  it('reads numbers, strings, arrays, maps, nil and booleans', () => {
    expect(run('[1_000, 0x10, 1e3, .5, "a", `r\\n`, nil, true, false]')).toEqual([1000, 16, 1000, 0.5, 'a', 'r\\n', null, true, false]);
    expect(run('{a: 1, "b-c": 2, 3: "three", (1 + 1 == 2 ? "k" : "j"): 4}')).toEqual({ a: 1, 'b-c': 2, 3: 'three', k: 4 });
  });
});

describe('operators', () => {
  it('keeps ints under + - * % and gives floats from / and **', () => {
    expect(run('7 / 2')).toBe(3.5);
    expect(run('type(4 / 3)')).toBe('float');
    expect(run('7 % 3')).toBe(1);
    expect(run('-7 % 3')).toBe(-1);
    expect(run('2 ** 10')).toBe(1024);
    expect(run('2 ^ 3 ^ 2')).toBe(512);
  });

  it('prints ints and floats as Go does', () => {
    expect(run('string(2)')).toBe('2');
    expect(run('string(1.5)')).toBe('1.5');
    expect(run('string(10 / 4)')).toBe('2.5');
    expect(run('string(1e21)')).toBe('1e+21');
    expect(run('string(0.00001)')).toBe('1e-05');
  });

  it('compares numbers by value and other types strictly', () => {
    expect(run('1 == 1.0')).toBe(true);
    expect(run('"3" == 3')).toBe(false);
    expect(run('[1, "a"] == [1, "a"]')).toBe(true);
    expect(run('{a: [1]} != {a: [2]}')).toBe(true);
    expect(run('nil == nil')).toBe(true);
    expect(run("'b' > 'a'")).toBe(true);
  });

  it('concatenates strings and refuses mixing strings and numbers', () => {
    expect(run("'a' + 'b'")).toBe('ab');
    expect(error('"3" + 1')).toBe('expression "\\"3\\" + 1" : invalid operation: "3" + 1 (mismatched types string and int) at 4');
    expect(error("1 < 'a'")).toContain('invalid operation: < (mismatched types int and string)');
  });

  it('refuses % on floats and by zero', () => {
    expect(error('5.5 % 2')).toContain('mismatched types float and int');
    expect(error('5 % 0')).toContain('integer divide by zero');
  });

  it('short-circuits and, or and ??, and requires bools', () => {
    expect(run('false and nope')).toBe(false);
    expect(run('true || nope')).toBe(true);
    expect(run("'x' ?? nope")).toBe('x');
    expect(error("1 and true")).toContain('the left operand of and must be a bool, got int');
    expect(error('not 1')).toContain('invalid operation: not 1');
  });

  it('tests membership in arrays and map keys', () => {
    expect(run("'a' in ['a', 'b']")).toBe(true);
    expect(run("'c' not in ['a', 'b']")).toBe(true);
    expect(run("'a' in {a: 1}")).toBe(true);
    expect(run("'toString' in {a: 1}")).toBe(false);
    expect(run('1 in nil')).toBe(false);
  });

  it('matches, contains, startsWith and endsWith strings', () => {
    expect(run("'abc' matches '^a'")).toBe(true);
    expect(run("'abc' not matches 'z'")).toBe(true);
    expect(run("'(?i)ABC' matches 'x' or 'ABC' matches '(?i)^abc$'")).toBe(true);
    expect(run("'abc' contains 'b' and 'abc' startsWith 'a' and 'abc' endsWith 'c'")).toBe(true);
    expect(error("1 contains 'b'")).toContain('mismatched types int and string');
  });

  it('builds int ranges', () => {
    expect(run('1..4')).toEqual([1, 2, 3, 4]);
    expect(run('3..1')).toEqual([]);
  });

  it('evaluates ternaries and needs a bool condition', () => {
    expect(run("steps.flip.outputs.result == 'heads' ? 'a' : 'b'", { 'steps.flip.outputs.result': 'heads' })).toBe('a');
    expect(run("steps.flip.outputs.result == 'heads' ? 'a' : 'b'", { 'steps.flip.outputs.result': 'tails' })).toBe('b');
    expect(error("'x' ? 1 : 2")).toContain('the condition must be a bool, got string');
  });

  it('compares numbers such as lastRetry.exitCode once converted', () => {
    expect(run('asInt(lastRetry.exitCode) > 1', { 'lastRetry.exitCode': '2' })).toBe(true);
    expect(run("lastRetry.exitCode != '2'", { 'lastRetry.exitCode': '2' })).toBe(false);
    expect(run('exitCode > 1', { exitCode: 3 })).toBe(true);
  });
});

describe('indexes and slices', () => {
  it('indexes arrays and strings, negative indexes from the end', () => {
    expect(run('[1, 2, 3][-1]')).toBe(3);
    expect(run("'héllo'[1]")).toBe('é');
    expect(error('[1, 2][5]')).toContain('index out of range: 5 (array length is 2)');
  });

  it('slices with clamped bounds', () => {
    expect(run('[1, 2, 3, 4][1:3]')).toEqual([2, 3]);
    expect(run('[1, 2, 3][:-1]')).toEqual([1, 2]);
    expect(run('[1, 2, 3][5:]')).toEqual([]);
    expect(run("'hello'[1:3]")).toBe('el');
  });
});

describe('predicates', () => {
  it('runs filter, map, all, any, none, one, count, find and friends', () => {
    expect(run('filter([1, 2, 3], # > 1)')).toEqual([2, 3]);
    expect(run('filter([1, 2], { # > 1 })')).toEqual([2]);
    expect(run('map([1, 2], { # * 2 })')).toEqual([2, 4]);
    expect(run('map(items, .name)', { items: [{ name: 'a' }, { name: 'b' }] })).toEqual(['a', 'b']);
    expect(run('all([1, 2], # > 0) && any([1, 2], # > 1) && none([1, 2], # > 2) && one([1, 2], # > 1)')).toBe(true);
    expect(run('count([1, 2, 3], # > 1)')).toBe(2);
    expect(run('[find([1, 2, 3], # > 1), findIndex([1, 2, 3], # > 1), findLast([1, 2, 3], # > 1), findLastIndex([1, 2, 3], # > 5)]')).toEqual([2, 1, 3, -1]);
    expect(run('sum([1, 2, 3]) + sum([{n: 1}], #.n)')).toBe(7);
    expect(run('reduce([1, 2, 3], #acc + #, 10)')).toBe(16);
    expect(run('map([10, 20], #index)')).toEqual([0, 1]);
  });

  it('nests predicates, each with its own #', () => {
    expect(run('map([1, 2], map([10, 20], # + 1))')).toEqual([
      [11, 21],
      [11, 21],
    ]);
  });

  it('requires an array and a bool where the predicate is a condition', () => {
    expect(error("filter('abc', true)")).toContain('filter expects an array, got string');
    expect(error('filter([1], 1)')).toContain('predicate of filter must return a bool, got int');
  });
});

describe('times and durations', () => {
  const now = new Date('2024-01-02T03:04:05.678Z');

  it('answers now() from the options, with Go methods', () => {
    expect(evaluateExpression('now().Unix()', () => undefined, { now })).toBe(1704164645);
    expect(evaluateExpression("now().Format('2006-01-02T15:04:05.000Z07:00')", () => undefined, { now })).toBe('2024-01-02T03:04:05.678Z');
    expect(evaluateExpression('string(now())', () => undefined, { now })).toBe('2024-01-02 03:04:05.678 +0000 UTC');
  });

  it('adds durations to times and compares them', () => {
    expect(evaluateExpression("(now() + duration('1h')).Hour()", () => undefined, { now })).toBe(4);
    expect(evaluateExpression("duration('90m') > duration('1h') and duration('90m').Hours() == 1.5", () => undefined, { now })).toBe(true);
    expect(evaluateExpression("string(now() - (now() - duration('1m30s')))", () => undefined, { now })).toBe('1m30s');
  });
});
