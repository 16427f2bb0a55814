import { describe, expect, it } from 'vitest';
import { substituteJson, substituteString } from './template.js';

const values: Record<string, string> = {
  'inputs.parameters.msg': 'say "hi"\nand \\ leave',
  'workflow.name': 'wf-1',
  tricky: '{{workflow.name}}',
};
const lookup = (key: string) => values[key];

describe('{{…}} substitution', () => {
  it('escapes values on the JSON form so quotes, newlines and backslashes survive', () => {
    const out = substituteJson({ args: ['{{inputs.parameters.msg}}'], env: [{ value: 'x {{ workflow.name }} y' }] }, lookup);
    expect(out).toEqual({ args: ['say "hi"\nand \\ leave'], env: [{ value: 'x wf-1 y' }] });
  });

  it('leaves unknown tags and expression tags in place', () => {
    expect(substituteString('{{steps.a.outputs.result}} {{=1+1}} {{workflow.name}}', lookup)).toBe('{{steps.a.outputs.result}} {{=1+1}} wf-1');
  });

  it('never substitutes inside a substituted value', () => {
    expect(substituteString('{{tricky}}', lookup)).toBe('{{workflow.name}}');
    expect(substituteJson(['{{tricky}}'], lookup)).toEqual(['{{workflow.name}}']);
  });

  it('keeps unicode and text without tags unchanged', () => {
    const value = { a: 'héllo → ✓', b: 3 };
    expect(substituteJson(value, lookup)).toBe(value);
    expect(substituteString('ünïcode {{workflow.name}} ✓', lookup)).toBe('ünïcode wf-1 ✓');
  });

  it('handles an unclosed tag and stray braces as text', () => {
    expect(substituteString('a {{ b', lookup)).toBe('a {{ b');
    expect(substituteString('{a} }} {{workflow.name}}', lookup)).toBe('{a} }} wf-1');
  });
});
