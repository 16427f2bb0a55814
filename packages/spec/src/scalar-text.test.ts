import { describe, expect, it } from 'vitest';
import { scalarText } from './scalar-text.js';

describe("Argo's text for YAML scalars", () => {
  it('keeps strings and writes booleans as Go does', () => {
    expect(scalarText('3')).toBe('3');
    expect(scalarText(true)).toBe('true');
    expect(scalarText(false)).toBe('false');
  });

  it('writes numbers as the shortest decimal, never with an exponent', () => {
    expect(scalarText(3)).toBe('3');
    expect(scalarText(1.5)).toBe('1.5');
    expect(scalarText(-0.25)).toBe('-0.25');
    expect(scalarText(1e21)).toBe('1000000000000000000000');
    expect(scalarText(1.5e-7)).toBe('0.00000015');
    expect(scalarText(-2e-7)).toBe('-0.0000002');
  });

  it('has no text for maps, lists, null or infinities', () => {
    expect(scalarText({ a: 1 })).toBeUndefined();
    expect(scalarText([1])).toBeUndefined();
    expect(scalarText(null)).toBeUndefined();
    expect(scalarText(Infinity)).toBeUndefined();
  });
});
