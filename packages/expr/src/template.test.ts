import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors.js';
import { expressionTags, substituteJson, substituteString, templateTags } from './template.js';

const values: Record<string, string> = {
  'inputs.parameters.msg': 'say "hi"\nand \\ leave\ttab',
  'workflow.name': 'wf-1',
  'workflow.uid': 'uid-9',
  'item.name': 'b',
  tricky: '{{workflow.uid}}',
  unicode: 'héllo → ✓ 😀',
};
const lookup = (key: string): string | undefined => (Object.hasOwn(values, key) ? values[key] : undefined);

describe('substituteJson', () => {
  it('escapes quotes, newlines, tabs and backslashes so values stay inside their JSON strings', () => {
    const out = substituteJson({ args: ['{{inputs.parameters.msg}}'], env: [{ value: 'x {{workflow.name}} y' }] }, lookup);
    expect(out).toEqual({ args: ['say "hi"\nand \\ leave\ttab'], env: [{ value: 'x wf-1 y' }] });
  });

  it('keeps unicode values intact', () => {
    expect(substituteJson({ a: '<{{unicode}}>' }, lookup)).toEqual({ a: '<héllo → ✓ 😀>' });
  });

  it('trims spaces inside a tag before looking the key up, Unicode spaces included', () => {
    expect(substituteJson(['{{ workflow.name }}', '{{\u00a0workflow.name  }}'], lookup)).toEqual(['wf-1', 'wf-1']);
  });

  it('does not trim a tab or newline in a tag: on the JSON form it is escaped text, as in Argo', () => {
    expect(substituteJson(['{{\tworkflow.name}}'], lookup)).toEqual(['{{\tworkflow.name}}']);
  });

  it('leaves unknown tags in place exactly as written', () => {
    expect(substituteJson({ a: '{{ steps.a.outputs.result }} {{workflow.name}}' }, lookup)).toEqual({
      a: '{{ steps.a.outputs.result }} wf-1',
    });
  });

  it('leaves expression tags untouched, even when their text is a known key', () => {
    expect(substituteJson(['{{=workflow.name}}', '{{= "a" + "b" }}'], lookup)).toEqual(['{{=workflow.name}}', '{{= "a" + "b" }}']);
  });

  it('treats a tag with a space before = as a simple tag, as Argo decides the kind before trimming', () => {
    expect(substituteJson(['{{ =workflow.name}}'], (key) => (key === '=workflow.name' ? 'hit' : undefined))).toEqual(['hit']);
  });

  it('never substitutes inside a substituted value', () => {
    expect(substituteJson(['{{tricky}}'], lookup)).toEqual(['{{workflow.uid}}']);
  });

  it('substitutes tags in object keys too, since it works on the whole JSON text', () => {
    expect(substituteJson({ '{{workflow.name}}': 1 }, lookup)).toEqual({ 'wf-1': 1 });
  });

  it('returns the value itself when it has no tags, or none that resolved', () => {
    const plain = { a: 'no tags', n: 3, nested: [true, null] };
    expect(substituteJson(plain, lookup)).toBe(plain);
    const unresolved = { a: '{{nope}}' };
    expect(substituteJson(unresolved, lookup)).toBe(unresolved);
    expect(substituteJson(undefined, lookup)).toBeUndefined();
  });

  it('returns a fresh copy when something was substituted', () => {
    const value = { a: '{{workflow.name}}', keep: { deep: 1 } };
    const out = substituteJson(value, lookup);
    expect(out).not.toBe(value);
    expect(value.a).toBe('{{workflow.name}}');
  });

  it('resolves the inner key of a nested tag into a new tag for a later pass', () => {
    expect(substituteJson(['{{inputs.parameters.{{item.name}}}}'], lookup)).toEqual(['{{inputs.parameters.b}}']);
  });

  it('reads stray closing braces and lone braces as text', () => {
    expect(substituteJson(['{a} }} {{workflow.name}} {{{x}}}'], lookup)).toEqual(['{a} }} wf-1 {{{x}}}']);
  });

  it('refuses a `{{` without a closing `}}`, as Argo does', () => {
    expect(() => substituteJson(['echo {{ oops'], lookup)).toThrow(ExpressionError);
    expect(() => substituteJson(['echo {{ oops'], lookup)).toThrow(/cannot find end tag "}}"/);
  });

  it('refuses a result that is no longer JSON', () => {
    const anything = (): string => 'x';
    expect(substituteJson(['{{a', 'b}}'], anything)).toEqual(['x']);
    expect(() => substituteJson(['{{a', { b: { c: 1 } }], anything)).toThrow(/result was invalid JSON/);
  });

  it('handles a large document with many tags in one pass', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}`, value: '{{workflow.name}}-{{unknown}}' }));
    const out = substituteJson(big, lookup);
    expect(out[19_999]).toEqual({ name: 'n19999', value: 'wf-1-{{unknown}}' });
  });
});

describe('substituteString', () => {
  it('trims tabs and newlines around the key', () => {
    expect(substituteString('{{\tworkflow.name\n}}', lookup)).toBe('wf-1');
  });

  it('inserts values raw, without JSON escaping', () => {
    expect(substituteString('"{{inputs.parameters.msg}}"', lookup)).toBe('"say "hi"\nand \\ leave\ttab"');
  });

  it('leaves unknown and expression tags in place', () => {
    const text = '{{steps.a.outputs.result}} {{=1+1}} {{workflow.name}}';
    expect(substituteString(text, lookup)).toBe('{{steps.a.outputs.result}} {{=1+1}} wf-1');
  });

  it('never substitutes inside a substituted value', () => {
    expect(substituteString('{{tricky}} {{workflow.uid}}', lookup)).toBe('{{workflow.uid}} uid-9');
  });

  it('returns text without tags unchanged', () => {
    expect(substituteString('ünïcode ✓', lookup)).toBe('ünïcode ✓');
  });

  it('refuses an unclosed tag', () => {
    expect(() => substituteString('a {{ b', lookup)).toThrow(ExpressionError);
  });
});

describe('templateTags', () => {
  it('lists the trimmed keys of simple tags once each, in order, skipping expression tags', () => {
    expect(templateTags({ a: '{{x}} {{ y }} {{x}} {{=z}}', b: ['{{w}}'] })).toEqual(['x', 'y', 'w']);
  });

  it('lists keys as substituteJson looks them up, from the JSON form', () => {
    expect(templateTags('{{ a"b }}')).toEqual(['a\\"b']);
    expect(templateTags(42)).toEqual([]);
    expect(templateTags(undefined)).toEqual([]);
  });

  it('refuses an unclosed tag', () => {
    expect(() => templateTags(['{{x'])).toThrow(/cannot find end tag/);
  });
});

describe('expressionTags', () => {
  it('lists the expressions of expression tags as written', () => {
    expect(expressionTags({ a: '{{=1 + 1}} {{x}}', b: ['{{="a\\"b"}}'] })).toEqual(['1 + 1', '"a\\"b"']);
  });

  // Found by the fuzz suite (test/fuzz): the tag's only `}}` lay outside its string, and the JSON text
  // between (`sprig."}]`) reached JSON.parse, whose SyntaxError escaped submission's checks.
  it('refuses a tag that is not closed within its string, as an unclosed tag', () => {
    const value = { arguments: { value: '{{=sprig.' } };
    expect(() => expressionTags(value)).toThrow(ExpressionError);
    expect(() => expressionTags(value)).toThrow('cannot find end tag "}}" in the template starting from "{{=sprig."');
  });
});

describe('expression tags', () => {
  const values: Record<string, string> = { 'inputs.parameters.n': '3', 'inputs.parameters.name': 'Ada "the" first' };
  const lookup: Lookup = (key) => values[key];
  const lenient = { strict: false, now: '2026-01-01T00:00:00Z' };
  const strict = { ...lenient, strict: true };

  it('are left as written unless asked for', () => {
    expect(substituteString('{{=asInt(inputs.parameters.n) + 1}}', lookup)).toBe('{{=asInt(inputs.parameters.n) + 1}}');
  });

  it('evaluate with the same names as simple tags, printed as Go prints values', () => {
    expect(substituteString('n+1={{=asInt(inputs.parameters.n) + 1}} half={{=asInt(inputs.parameters.n) / 2}}', lookup, lenient)).toBe('n+1=4 half=1.5');
    expect(substituteString('{{=[1, 2] }} {{={"b": 1, "a": "x"} }}', lookup, lenient)).toBe('[1 2] map[a:x b:1]');
  });

  it('on the JSON form, read escaped quotes as written and keep the result inside its string', () => {
    const value = { args: ['{{=sprig.upper(inputs.parameters.name) + "!"}}'] };
    expect(substituteJson(value, lookup, lenient)).toEqual({ args: ['ADA "THE" FIRST!'] });
  });

  it('leniently keep a tag naming what is not known yet, strictly fail with the reason', () => {
    const value = { args: ['{{=steps.later.outputs.result}}'] };
    expect(substituteJson(value, lookup, lenient)).toBe(value);
    expect(() => substituteJson(value, lookup, strict)).toThrow(/^failed to evaluate expression: expression "steps.later.outputs.result"/);
  });
});
