import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../errors.js';
import { parseExpression } from './index.js';
import { MAX_DEPTH, parse } from './parser.js';

/** A compact rendering of the tree, to check grouping. */
function shape(source: string): unknown {
  const render = (node: ReturnType<typeof parse>): unknown => {
    switch (node.type) {
      case 'binary':
        return [node.operator, render(node.left), render(node.right)];
      case 'unary':
        return [node.operator, render(node.operand)];
      case 'number':
      case 'string':
      case 'bool':
        return node.value;
      case 'identifier':
        return node.name;
      case 'conditional':
        return ['?:', render(node.test), render(node.then), render(node.otherwise)];
      case 'call':
        return [`${node.name}()`, ...node.args.map(render)];
      case 'closure':
        return ['{}', render(node.body)];
      case 'pointer':
        return `#${node.name}`;
      case 'member':
        return ['.', render(node.object), render(node.property)];
      default:
        return node.type;
    }
  };
  return render(parse(source));
}

function parseError(source: string): string {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) {
      expect(error.code).toBe('EXPR');
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('operator precedence (expr-lang)', () => {
  it('multiplies before adding and adds before comparing', () => {
    expect(shape('1 + 2 * 3 == 7')).toEqual(['==', ['+', 1, ['*', 2, 3]], 7]);
  });

  it('makes ** and ^ right-associative and tighter than unary minus', () => {
    expect(shape('2 ** 3 ** 2')).toEqual(['**', 2, ['**', 3, 2]]);
    expect(shape('-2 ^ 2')).toEqual(['-', ['^', 2, 2]]);
  });

  it('binds and tighter than or, and not looser than comparisons', () => {
    expect(shape('a or b and c')).toEqual(['or', 'a', ['and', 'b', 'c']]);
    expect(shape('!a && b')).toEqual(['&&', ['!', 'a'], 'b']);
  });

  it('chains comparisons into a conjunction', () => {
    expect(shape('1 < x <= 3')).toEqual(['&&', ['<', 1, 'x'], ['<=', 'x', 3]]);
  });

  it('reads `not in` as the negation of `in`', () => {
    expect(shape("'a' not in list")).toEqual(['not', ['in', 'a', 'list']]);
  });

  it('puts the range between comparison and addition', () => {
    expect(shape('1..n + 1')).toEqual(['..', 1, ['+', 'n', 1]]);
  });

  it('nests ternaries to the right', () => {
    expect(shape('a ? 1 : b ? 2 : 3')).toEqual(['?:', 'a', 1, ['?:', 'b', 2, 3]]);
  });

  it('turns `x | f(y)` into `f(x, y)`, predicates included', () => {
    expect(shape("s | trimPrefix('v')")).toEqual(['trimPrefix()', 's', 'v']);
    expect(shape('list | filter(# > 1)')).toEqual(['filter()', 'list', ['{}', ['>', '#', 1]]]);
  });

  it('parses predicates with or without braces, and `.field` as `#.field`', () => {
    expect(shape('map(xs, {#.name})')).toEqual(['map()', 'xs', ['{}', ['.', '#', 'name']]]);
    expect(shape('map(xs, .name)')).toEqual(['map()', 'xs', ['{}', ['.', '#', 'name']]]);
  });
});

describe('syntax errors', () => {
  it('names the problem and the offset', () => {
    expect(parseError('asInt(x) +')).toBe('expression "asInt(x) +" : unexpected end of input at 10');
    expect(parseError('(1 + 2')).toBe('expression "(1 + 2" : unexpected end of input at 6');
    expect(parseError('1 2')).toBe('expression "1 2" : unexpected token "2" at 2');
  });

  it('refuses mixing ?? with other operators unparenthesised, as expr does', () => {
    expect(parseError("a ?? 'b' + 'c'")).toContain('operator + and coalesce expressions (??) cannot be mixed');
    expect(() => parseExpression("(a ?? 'b') + 'c'")).not.toThrow();
  });

  it('refuses # outside a predicate', () => {
    expect(parseError('# > 1')).toContain('cannot use pointer accessor outside predicate at 0');
  });

  it('refuses unknown functions, sprig ones included, at parse time', () => {
    expect(parseError('asIntt(x)')).toBe('expression "asIntt(x)" : unknown function asIntt at 0');
    expect(parseError('sprig.nope(x)')).toContain('unknown function sprig.nope at 6');
  });

  it('refuses integer literals beyond int64', () => {
    expect(parseError('9223372036854775808')).toContain('integer literal is too large');
    expect(() => parseExpression('9223372036854775807')).not.toThrow();
  });

  it('reports a missing argument of a predicate builtin', () => {
    expect(parseError('filter(xs)')).toContain('filter expects at least 2 arguments');
  });

  it('bounds nesting instead of overflowing the stack', () => {
    for (const source of ['('.repeat(10_000), `${'('.repeat(300)}1${')'.repeat(300)}`, '-'.repeat(10_000) + '1', '1' + '+1'.repeat(10_000), '['.repeat(10_000)]) {
      expect(parseError(source)).toContain(`expression is nested deeper than ${MAX_DEPTH} levels`);
    }
  });

  it('accepts trailing commas, comments and let bindings', () => {
    for (const source of ['[1, 2,]', '{a: 1, "b": 2,}', 'len(1) // no', 'let x = 1; x + 1', 'a?.b?.[0]', 'a[1:]', 'a[:2]', 'a[:]']) {
      expect(() => parseExpression(source)).not.toThrow();
    }
  });
});
