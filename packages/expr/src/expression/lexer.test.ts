import { describe, expect, it } from 'vitest';
import { EvalFailure } from './failure.js';
import { tokenize } from './lexer.js';

const values = (source: string): string[] => tokenize(source).map((token) => `${token.kind}:${token.value}`);

function failure(source: string): EvalFailure {
  try {
    tokenize(source);
  } catch (error) {
    if (error instanceof EvalFailure) return error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('lexer', () => {
  it('reads numbers with underscores, prefixes, fractions and exponents', () => {
    expect(values('1_000 0x1F 0o17 0b101 1.5 1e3 .5')).toEqual([
      'number:1_000',
      'number:0x1F',
      'number:0o17',
      'number:0b101',
      'number:1.5',
      'number:1e3',
      'number:.5',
      'eof:',
    ]);
  });

  it('reads `1..3` as a range, not a float', () => {
    expect(values('1..3')).toEqual(['number:1', 'operator:..', 'number:3', 'eof:']);
  });

  it("unescapes Go's escapes in quoted strings and leaves backquoted strings raw", () => {
    expect(tokenize(String.raw`'a\n\t\'\\' "\u00e9\x41\101" ` + '`raw\\n`').map((token) => token.value)).toEqual(["a\n\t'\\", 'éAA', 'raw\\n', '']);
  });

  it('reads word operators and identifiers', () => {
    expect(values('a not in b and c matches d')).toEqual([
      'identifier:a',
      'operator:not',
      'operator:in',
      'identifier:b',
      'operator:and',
      'identifier:c',
      'operator:matches',
      'identifier:d',
      'eof:',
    ]);
  });

  it('skips comments', () => {
    expect(values('1 // one\n + /* two */ 2')).toEqual(['number:1', 'operator:+', 'number:2', 'eof:']);
  });

  it('reads two-character operators as one token', () => {
    expect(values('a?.b ?? c ** d != e')).toEqual([
      'identifier:a',
      'operator:?.',
      'identifier:b',
      'operator:??',
      'identifier:c',
      'operator:**',
      'identifier:d',
      'operator:!=',
      'identifier:e',
      'eof:',
    ]);
  });

  it('reports unterminated strings, bad escapes, bad numbers and stray characters at their offset', () => {
    expect(failure("x + 'abc")).toMatchObject({ message: 'literal not terminated', pos: 4 });
    expect(failure(String.raw`'\q'`)).toMatchObject({ message: String.raw`invalid escape sequence \q`, pos: 1 });
    expect(failure('12ab')).toMatchObject({ message: 'bad number syntax: "12a"', pos: 0 });
    expect(failure('a @ b')).toMatchObject({ message: 'unrecognized character "@"', pos: 2 });
    expect(failure('/* open')).toMatchObject({ message: 'unclosed comment', pos: 0 });
  });
});
