import { describe, expect, it } from 'vitest';
import { parseParameterFile } from './parameter-file.js';

describe('parameter files', () => {
  it('read a YAML map: strings as written, other scalars as Argo writes them, maps and lists as compact JSON', () => {
    expect(parseParameterFile('message: hello world\ncount: 3\nratio: 0.5\nenabled: true\nempty:\nitems: [1, "two"]\nconfig:\n  a: {b: 1}\n', 'p.yaml')).toEqual({
      message: 'hello world',
      count: '3',
      ratio: '0.5',
      enabled: 'true',
      empty: 'null',
      items: '[1,"two"]',
      config: '{"a":{"b":1}}',
    });
  });

  it('read a JSON map', () => {
    expect(parseParameterFile('{"x": "y", "n": 2}', 'p.json')).toEqual({ x: 'y', n: '2' });
  });

  it('refuse anything but a map, and bad YAML, naming the line', () => {
    expect(() => parseParameterFile('- a\n- b\n', 'p.yaml')).toThrow('p.yaml:1:1: a parameter file must be a map of names to values');
    expect(() => parseParameterFile('a: 1\na: 2\n', 'p.yaml')).toThrow('p.yaml:2:1: key "a" is written twice in this map');
  });
});
