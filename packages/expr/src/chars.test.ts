import { describe, expect, it } from 'vitest';
import { isDigit, isLetter, isSpace, trimSpace } from './chars.js';

describe("Go's character classes", () => {
  it('counts as space what unicode.IsSpace does', () => {
    for (const space of [' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00a0', '\u2003', '\u3000']) expect(isSpace(space)).toBe(true);
    for (const other of ['a', '\u200b', '\ufeff', '_']) expect(isSpace(other)).toBe(false);
  });

  it('counts Unicode letters and decimal digits', () => {
    expect(['a', 'Z', 'é', '日', 'ß'].every(isLetter)).toBe(true);
    expect(['1', '_', '.', '😀'].some(isLetter)).toBe(false);
    expect(['0', '9', '٣'].every(isDigit)).toBe(true);
    expect(['a', 'Ⅻ'].some(isDigit)).toBe(false);
  });

  it('trims like strings.TrimSpace', () => {
    expect(trimSpace(' \t a b \u00a0\n')).toBe('a b');
    expect(trimSpace('\ufeffa')).toBe('\ufeffa');
    const untouched = 'no-space';
    expect(trimSpace(untouched)).toBe(untouched);
    expect(trimSpace('   ')).toBe('');
  });
});
