import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';
import { EvalFailure } from './failure.js';
import { jsonPath } from './jsonpath.js';
import { unmarshal } from './json.js';

const document = '{"store": {"book": [{"title": "A", "price": 8}, {"title": "B", "price": 12}, {"title": "C"}], "bike": {"price": 20}}, "a-b": 1}';

const query = (path: string): unknown => {
  const budget = new Budget(10_000);
  return jsonPath(unmarshal(document, budget, 'test'), path, budget);
};

function failure(path: string): string {
  try {
    query(path);
  } catch (error) {
    if (error instanceof EvalFailure) return error.message;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('jsonpath', () => {
  it('follows definite paths to one value', () => {
    expect(query('$.store.bike.price')).toBe(20);
    expect(query('$.store.book[0].title')).toBe('A');
    expect(query('$.store.book[-1].title')).toBe('C');
    expect(query("$['a-b']")).toBe(1);
    expect(query('$')).toMatchObject({ 'a-b': 1 });
  });

  it('collects arrays from wildcards, slices, index lists and descent', () => {
    expect(query('$.store.book[*].title')).toEqual(['A', 'B', 'C']);
    expect(query('$.store.book[0:2].title')).toEqual(['A', 'B']);
    expect(query('$.store.book[0,2].title')).toEqual(['A', 'C']);
    expect(query('$..price')).toEqual([20, 8, 12]);
    expect(query('$.store.book[*].price')).toEqual([8, 12]);
  });

  it('fails on a missing key or index of a definite path', () => {
    expect(failure('$.nope')).toBe('jsonpath: key error: nope not found in object');
    expect(failure('$.store.book[5]')).toBe('jsonpath: index out of range: len: 3, idx: 5');
  });

  it('filters arrays by comparisons of @-paths, with && || ! and parentheses', () => {
    expect(query('$.store.book[?(@.price < 10)].title')).toEqual(['A']);
    expect(query('$.store.book[?(@.title == "B")].price')).toEqual([12]);
    expect(query("$.store.book[?(@.price > 7 && @.price < 13 && !(@.title == 'A'))].title")).toEqual(['B']);
    expect(query('$.store.book[?(@.price >= 12 || @.title == "C")].title')).toEqual(['B', 'C']);
    expect(query('$.store.book[?(@.price)].title')).toEqual(['A', 'B']);
    expect(query('$.store.book[?(@.constructor)]')).toEqual([]);
  });

  it('refuses malformed paths and filters', () => {
    expect(failure('$.store.book[?(@.price < )]')).toContain('filter ends too soon');
    expect(failure('$.store.book[?(process.exit(1))]')).toContain('cannot read the filter');
    expect(failure('store')).toContain('a path must start with $');
    expect(failure('$.store[')).toContain('unclosed [');
  });
});
