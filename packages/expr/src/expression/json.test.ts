import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';
import { EvalFailure } from './failure.js';
import { evaluateToJson } from './index.js';
import { marshal, quoteJson } from './json.js';
import { GoDuration, GoTime, newMap } from './values.js';

const budget = (): Budget => new Budget(100_000);

describe('json.Marshal', () => {
  it('sorts keys and writes compact output', () => {
    const map = newMap();
    map.b = 1;
    map.a = [1, 'x', null, true];
    expect(marshal(map, budget())).toBe('{"a":[1,"x",null,true],"b":1}');
  });

  it('indents as MarshalIndent, with empty collections inline', () => {
    expect(marshal([1, [], newMap()], budget(), '  ')).toBe('[\n  1,\n  [],\n  {}\n]');
  });

  it("escapes as Go does: HTML characters, control characters, U+2028 and lone surrogates", () => {
    expect(quoteJson('<&>\u2028\n\u0001"\\\ud800')).toBe('"\\u003c\\u0026\\u003e\\u2028\\n\\u0001\\"\\\\\ufffd"');
  });

  it('writes floats in the shortest form, switching to exponents where Go does', () => {
    expect(marshal([1.5, 1e21, 1e-7, 123456789], budget())).toBe('[1.5,1e+21,1e-7,123456789]');
  });

  it('writes times in RFC 3339 and durations in nanoseconds', () => {
    expect(marshal([new GoTime(Date.UTC(2024, 0, 2, 3, 4, 5, 600)), new GoDuration(1500)], budget())).toBe('["2024-01-02T03:04:05.6Z",1500]');
  });

  it('refuses NaN and infinities', () => {
    expect(() => marshal(NaN, budget())).toThrow(EvalFailure);
    expect(() => marshal(Infinity, budget())).toThrow('json: unsupported value: +Inf');
  });
});

describe('evaluateToJson', () => {
  it("encodes an expression's result as Go's encoding/json does, within the evaluation's budget", () => {
    const scope = (path: string) => (path === 'payload' ? { z: 1, a: ['<b>', 2.5] } : undefined);
    expect(evaluateToJson('payload', scope)).toBe('{"a":["\\u003cb\\u003e",2.5],"z":1}');
    expect(evaluateToJson('"text"', scope)).toBe('"text"');
    expect(() => evaluateToJson('repeat("x", 100000)', scope, { maxSteps: 100 })).toThrow(/exceeded 100 steps/);
  });
});
