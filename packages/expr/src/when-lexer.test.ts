import { describe, expect, it } from 'vitest';
import { Failure } from './errors.js';
import { tokenize } from './when-lexer.js';

const kinds = (expression: string): string[] => tokenize(expression).map((token) => `${token.kind}:${String(token.value)}`);

describe("govaluate's tokenizer", () => {
  it('reads words, numbers, strings, operators and parentheses', () => {
    expect(kinds("a in (1, 'x y') && !b")).toEqual([
      'VARIABLE:a',
      'COMPARATOR:in',
      'CLAUSE:(',
      'NUMERIC:1',
      'SEPARATOR:,',
      'STRING:x y',
      'CLAUSE_CLOSE:)',
      'LOGICALOP:&&',
      'PREFIX:!',
      'VARIABLE:b',
    ]);
  });

  it('reads - as a prefix only where an operand may start', () => {
    expect(kinds('-1 - -2')).toEqual(['PREFIX:-', 'NUMERIC:1', 'MODIFIER:-', 'PREFIX:-', 'NUMERIC:2']);
    expect(kinds('(1) -2')).toEqual(['CLAUSE:(', 'NUMERIC:1', 'CLAUSE_CLOSE:)', 'MODIFIER:-', 'NUMERIC:2']);
  });

  it('reads true, false and in as keywords, and dotted words as accessors', () => {
    expect(kinds('true false IN a.B a.ß a._x')).toEqual([
      'BOOLEAN:true',
      'BOOLEAN:false',
      'COMPARATOR:in',
      'ACCESSOR:a,B',
      'ACCESSOR:a,ß',
      'ACCESSOR:a,_x',
    ]);
  });

  it('takes the character after a backslash literally, in words and strings', () => {
    expect(kinds("a\\ b 'it\\'s'")).toEqual(['VARIABLE:a b', "STRING:it's"]);
  });

  it('reads brackets as a variable name of any characters', () => {
    expect(kinds('[a-b c.d]')).toEqual(['VARIABLE:a-b c.d']);
  });

  it('reads quoted dates as times in Unix seconds', () => {
    expect(tokenize("'1970-01-02'")).toEqual([{ kind: 'TIME', value: 86_400, text: '1970-01-02' }]);
  });

  it('reads hexadecimal numbers', () => {
    expect(kinds('0xff 0 0.5')).toEqual(['NUMERIC:255', 'NUMERIC:0', 'NUMERIC:0.5']);
    expect(() => tokenize('0x1ffffffffffffffff')).toThrow("Unable to parse hex value '1ffffffffffffffff' to uint64\n");
  });

  it('reads nothing from whitespace', () => {
    expect(tokenize(' \t\n')).toEqual([]);
  });

  it.each([
    ['a @ b', "Invalid token: '@'"],
    ['a ] b', "Invalid token: ''"],
    ['_a', "Invalid token: '_'"],
    ["'open", 'Unclosed string literal'],
    ['[open', 'Unclosed parameter bracket'],
    ['a.b.', "Hanging accessor on token 'a.b.'"],
    ['a.b', "Unable to access unexported field 'b' in token 'a.b'"],
    ['a.B.é', "Unable to access unexported field 'é' in token 'a.B.é'"],
  ])('refuses %j: %s', (expression, reason) => {
    expect(() => tokenize(expression)).toThrow(Failure);
    expect(() => tokenize(expression)).toThrow(reason);
  });
});
