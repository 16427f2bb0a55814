import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './index.js';
import { error, run } from '../../test-support/evaluate.js';


describe("Argo's functions", () => {
  it('asInt parses as strconv.ParseInt and truncates numbers', () => {
    expect(run('asInt(inputs.parameters.x) + 1', { 'inputs.parameters.x': '41' })).toBe(42);
    expect(run("asInt('-7') + asInt(2.9)")).toBe(-5);
    expect(error("asInt('1.5')")).toContain('asInt: strconv.ParseInt: parsing "1.5": invalid syntax');
    expect(error("asInt('99999999999999999999')")).toContain('value out of range');
    expect(error('asInt(true)')).toContain('asInt() not supported on bool true');
  });

  it('asFloat parses as strconv.ParseFloat', () => {
    expect(run("asFloat(inputs.parameters['my-float-param']) * 2", { 'inputs.parameters.my-float-param': '1.25' })).toBe(2.5);
    expect(run("asFloat('1e3')")).toBe(1000);
    expect(error("asFloat('abc')")).toContain('asFloat: strconv.ParseFloat: parsing "abc": invalid syntax');
  });

  it("string prints as Go's %v", () => {
    expect(run("[string(1), string(1.5), string(true), string(nil), string([1, 'a']), string({b: 1, a: 'x'})]")).toEqual([
      '1',
      '1.5',
      'true',
      '<nil>',
      '[1 a]',
      'map[a:x b:1]',
    ]);
  });

  it('toJson writes compact JSON with sorted keys, as json.Marshal', () => {
    expect(run("toJson({b: 1, a: [1, 'x']})")).toBe('{"a":[1,"x"],"b":1}');
    expect(run('toJson([1, 2])')).toBe('[1,2]');
    expect(run("toJson('<a&b>')")).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(run('toJson(filter([1, 2, 3], # > 1))')).toBe('[2,3]');
  });

  it('jsonpath reads a JSON parameter', () => {
    const vars = { 'inputs.parameters.json': '{"some": {"path": "found", "list": [{"n": 1}, {"n": 2}]}}' };
    expect(run("jsonpath(inputs.parameters.json, '$.some.path')", vars)).toBe('found');
    expect(run("jsonpath(inputs.parameters.json, '$.some.list[*].n')", vars)).toEqual([1, 2]);
    expect(error("jsonpath(inputs.parameters.json, '$.nope')", vars)).toContain('jsonpath: key error: nope not found in object');
    expect(error("jsonpath('{', '$')")).toContain('jsonpath: invalid JSON');
  });
});

describe("Argo's documented examples", () => {
  it('evaluates the examples of docs/variables.md', () => {
    const vars = { 'inputs.parameters.my-int-param': '3', 'inputs.parameters.my-float-param': '1.5', 'inputs.parameters.my-string-param': '  s  ' };
    expect(run('[1, 2]')).toEqual([1, 2]);
    expect(run('filter([1, 2], { # > 1})')).toEqual([2]);
    expect(run('map([1, 2], { # * 2 })')).toEqual([2, 4]);
    expect(run("asInt(inputs.parameters['my-int-param'])", vars)).toBe(3);
    expect(run("asFloat(inputs.parameters['my-float-param'])", vars)).toBe(1.5);
    expect(run('string(1)')).toBe('1');
    expect(run('toJson([1, 2])')).toBe('[1,2]');
    expect(run("sprig.trim(inputs.parameters['my-string-param'])", vars)).toBe('s');
  });

  it('evaluates retryStrategy expressions', () => {
    const vars = { 'lastRetry.exitCode': '2', 'lastRetry.status': 'Failed', 'lastRetry.message': 'OOMKilled (exit code 137)' };
    expect(run('asInt(lastRetry.exitCode) >= 2', vars)).toBe(true);
    expect(run("lastRetry.status == 'Error' or lastRetry.message matches 'OOM'", vars)).toBe(true);
  });

  it('evaluates examples/expression-tag-template-workflow.yaml', () => {
    const vars = { item: '3', 'inputs.parameters.foo': '3', 'workflow.creationTimestamp': '2021-05-06T07:08:09Z' };
    expect(run('toJson(filter([1, 3], {# > 1}))')).toBe('[3]');
    expect(run('asInt(inputs.parameters.foo) * 10', vars)).toBe(30);
    // sprig's date reads a string as "now", as in Argo.
    expect(evaluateExpression("sprig.date('2006', workflow.creationTimestamp)", (path) => vars[path as keyof typeof vars], { now: new Date('2021-01-01T00:00:00Z') })).toBe('2021');
  });

  it('evaluates examples/expression-reusing-verbose-snippets.yaml', () => {
    const vars = { 'workflow.parameters.weather': '{"weekWeather": "eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo="}' };
    const source = `
      map([
          jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')
        ], {
          toJson({
            avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,
            min: sprig.min(#[0], #[1], #[2], #[3], #[4]),
            max: sprig.max(#[0], #[1], #[2], #[3], #[4])
          })
      })[0]
    `;
    const weekTemps = run(source, vars);
    expect(weekTemps).toBe('{"avg":35.8,"max":57,"min":15}');
    expect(run("jsonpath(inputs.parameters['week-temps'], '$.avg')", { 'inputs.parameters.week-temps': weekTemps })).toBe(35.8);
  });

  it('evaluates the expression-tag example workflow', () => {
    const vars = { 'inputs.parameters.foo': '1', item: { name: 'x' }, 'workflow.parameters.weather': '{"temps": [34, 27, 15]}' };
    expect(run('string(asInt(inputs.parameters.foo) * 10)', vars)).toBe('10');
    expect(run("sprig.upper(item.name) + '-' + string(len(jsonpath(workflow.parameters.weather, '$.temps')))", vars)).toBe('X-3');
  });
});
