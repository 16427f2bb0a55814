// expr-lang's parser (parser/parser.go), precedence climbing over its operator table: comparisons
// chain (`1 < x < 3` is `1 < x && x < 3`), `??` may not mix with other operators unparenthesised,
// `x | f(y)` is `f(x, y)`, and the builtins that take predicates get their predicate as a closure.
// Nesting is bounded so hostile input fails with a message instead of overflowing the stack.
import type { Node } from './ast.js';
import { fail } from './failure.js';
import { isFunctionName, isSprigName } from './functions.js';
import { tokenize, type Token, type TokenKind } from './lexer.js';
import { PREDICATE_ARGS } from './predicates.js';

interface Operator {
  readonly precedence: number;
  readonly right?: boolean;
}

const UNARY: ReadonlyMap<string, Operator> = new Map([
  ['not', { precedence: 50 }],
  ['!', { precedence: 50 }],
  ['-', { precedence: 90 }],
  ['+', { precedence: 90 }],
]);

const COMPARISON = 20;

const BINARY: ReadonlyMap<string, Operator> = new Map([
  ['|', { precedence: 0 }],
  ['or', { precedence: 10 }],
  ['||', { precedence: 10 }],
  ['and', { precedence: 15 }],
  ['&&', { precedence: 15 }],
  ...['==', '!=', '<', '>', '>=', '<=', 'in', 'matches', 'contains', 'startsWith', 'endsWith'].map((op): [string, Operator] => [op, { precedence: COMPARISON }]),
  ['..', { precedence: 25 }],
  ['+', { precedence: 30 }],
  ['-', { precedence: 30 }],
  ['*', { precedence: 60 }],
  ['/', { precedence: 60 }],
  ['%', { precedence: 60 }],
  ['**', { precedence: 100, right: true }],
  ['^', { precedence: 100, right: true }],
  ['??', { precedence: 500 }],
]);

const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
/** Word operators that may still name a property, as in `x.in` or `x.matches`. */
const WORD_PROPERTIES = new Set(['not', 'in', 'or', 'and', 'matches', 'contains', 'startsWith', 'endsWith', 'let']);

/** How deep parentheses, calls and operator chains may nest. */
export const MAX_DEPTH = 256;
const INT64_MAX = 2n ** 63n - 1n;

function describeToken(token: Token): string {
  return token.kind === 'eof' ? 'end of input' : `token ${JSON.stringify(token.value)}`;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private nesting = 0;
  /** Predicate nesting: `#` and `.field` are only meaningful inside a predicate. */
  private predicates = 0;
  private readonly depths = new WeakMap<Node, number>();

  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private is(kind: TokenKind, value?: string): boolean {
    return this.current.kind === kind && (value === undefined || this.current.value === value);
  }

  private next(): Token {
    const token = this.current;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private unexpected(token = this.current): never {
    fail(`unexpected ${describeToken(token)}`, token.pos);
  }

  private expect(kind: TokenKind, value?: string): Token {
    if (!this.is(kind, value)) this.unexpected();
    return this.next();
  }

  /** Records a node's depth; evaluation recurses as deep as the tree, so the tree is bounded too. */
  private node<T extends Node>(node: T, ...children: (Node | undefined)[]): T {
    const depth = 1 + Math.max(0, ...children.map((child) => (child ? (this.depths.get(child) ?? 0) : 0)));
    if (depth > MAX_DEPTH) fail(`expression is nested deeper than ${MAX_DEPTH} levels`, node.pos);
    this.depths.set(node, depth);
    return node;
  }

  parse(): Node {
    const node = this.expression(0);
    if (!this.is('eof')) this.unexpected();
    return node;
  }

  private expression(precedence: number): Node {
    if (++this.nesting > MAX_DEPTH) fail(`expression is nested deeper than ${MAX_DEPTH} levels`, this.current.pos);
    try {
      if (precedence === 0 && this.is('operator', 'let')) return this.letExpression();
      let left = this.primary();
      let previous = '';
      for (;;) {
        const token = this.current;
        if (token.kind !== 'operator') break;
        let operatorToken = token;
        let negate = false;
        if (token.value === 'not') {
          const following = this.tokens[this.index + 1]!;
          if (following.kind !== 'operator' || !NEGATABLE.has(following.value)) this.unexpected(following);
          if (COMPARISON < precedence) break;
          negate = true;
          operatorToken = following;
        }
        const operator = BINARY.get(operatorToken.value);
        if (!operator || operator.precedence < precedence) break;
        this.next();
        if (negate) this.next();
        if (operatorToken.value === '|') {
          const name = this.expect('identifier');
          left = this.call(name, [left]);
        } else if (previous === '??' && operatorToken.value !== '??') {
          fail(`operator ${operatorToken.value} and coalesce expressions (??) cannot be mixed; wrap either in parentheses`, operatorToken.pos);
        } else if (operator.precedence === COMPARISON) {
          left = this.comparison(left, operatorToken, negate);
        } else {
          const right = this.expression(operator.right ? operator.precedence : operator.precedence + 1);
          left = this.node({ type: 'binary', operator: operatorToken.value, left, right, pos: operatorToken.pos }, left, right);
        }
        previous = operatorToken.value;
      }
      return precedence === 0 ? this.conditional(left) : left;
    } finally {
      this.nesting--;
    }
  }

  /** `a < b < c` is `a < b && b < c`; `not` applies to the one comparison it precedes. */
  private comparison(first: Node, firstOperator: Token, firstNegated: boolean): Node {
    let root: Node | undefined;
    let left = first;
    let operator = firstOperator;
    let negate = firstNegated;
    for (;;) {
      const right = this.expression(COMPARISON + 1);
      let compared: Node = this.node({ type: 'binary', operator: operator.value, left, right, pos: operator.pos }, left, right);
      if (negate) compared = this.node({ type: 'unary', operator: 'not', operand: compared, pos: operator.pos }, compared);
      root = root ? this.node({ type: 'binary', operator: '&&', left: root, right: compared, pos: operator.pos }, root, compared) : compared;
      left = right;
      const token = this.current;
      const negated = token.kind === 'operator' && token.value === 'not' && NEGATABLE.has(this.tokens[this.index + 1]!.value);
      const candidate = negated ? this.tokens[this.index + 1]! : token;
      if (candidate.kind !== 'operator' || BINARY.get(candidate.value)?.precedence !== COMPARISON) return root;
      this.next();
      if (negated) this.next();
      operator = candidate;
      negate = negated;
    }
  }

  private letExpression(): Node {
    const start = this.next();
    const name = this.expect('identifier');
    this.expect('operator', '=');
    const value = this.expression(0);
    this.expect('operator', ';');
    const body = this.expression(0);
    return this.node({ type: 'let', name: name.value, value, body, pos: start.pos }, value, body);
  }

  private conditional(test: Node): Node {
    let node = test;
    while (this.is('operator', '?')) {
      const token = this.next();
      let then: Node;
      if (this.is('operator', ':')) {
        this.next();
        then = node;
      } else {
        then = this.expression(0);
        this.expect('operator', ':');
      }
      const otherwise = this.expression(0);
      node = this.node({ type: 'conditional', test: node, then, otherwise, pos: token.pos }, node, then, otherwise);
    }
    return node;
  }

  private primary(): Node {
    const token = this.current;
    const unary = token.kind === 'operator' ? UNARY.get(token.value) : undefined;
    if (unary) {
      this.next();
      const operand = this.expression(unary.precedence);
      return this.postfix(this.node({ type: 'unary', operator: token.value, operand, pos: token.pos }, operand));
    }
    if (this.is('bracket', '(')) {
      this.next();
      const inner = this.expression(0);
      this.expect('bracket', ')');
      return this.postfix(inner);
    }
    if (this.is('operator', '#') || this.is('operator', '.')) {
      if (this.predicates === 0) fail('cannot use pointer accessor outside predicate', token.pos);
      let name = '';
      if (token.value === '#') {
        this.next();
        // `#index` and `#acc` are written without a space.
        if (this.is('identifier') && this.current.pos === token.pos + 1) name = this.next().value;
      }
      return this.postfix(this.node({ type: 'pointer', name, pos: token.pos }));
    }
    return this.postfix(this.secondary());
  }

  private secondary(): Node {
    const token = this.next();
    switch (token.kind) {
      case 'identifier':
        if (token.value === 'true' || token.value === 'false') return this.node({ type: 'bool', value: token.value === 'true', pos: token.pos });
        if (token.value === 'nil') return this.node({ type: 'nil', pos: token.pos });
        if (this.is('bracket', '(')) return this.call(token, []);
        return this.node({ type: 'identifier', name: token.value, pos: token.pos });
      case 'number':
        return this.node({ type: 'number', value: numberValue(token), pos: token.pos });
      case 'string':
        return this.node({ type: 'string', value: token.value, pos: token.pos });
      case 'bracket':
        if (token.value === '[') return this.array(token);
        if (token.value === '{') return this.map(token);
        return this.unexpected(token);
      default:
        return this.unexpected(token);
    }
  }

  /** Items up to `close`, separated by commas, a trailing comma allowed. */
  private list(close: string, item: () => Node): Node[] {
    const items: Node[] = [];
    while (!this.is('bracket', close)) {
      if (items.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', close)) break;
      }
      items.push(item());
    }
    this.expect('bracket', close);
    return items;
  }

  private array(token: Token): Node {
    const items = this.list(']', () => this.expression(0));
    return this.node({ type: 'array', items, pos: token.pos }, ...items);
  }

  private map(token: Token): Node {
    const entries: { key: Node; value: Node }[] = [];
    const children: Node[] = [];
    this.list('}', () => {
      const keyToken = this.current;
      let key: Node;
      if (keyToken.kind === 'number' || keyToken.kind === 'string' || keyToken.kind === 'identifier') {
        this.next();
        key = this.node({ type: 'string', value: keyToken.value, pos: keyToken.pos });
      } else if (this.is('bracket', '(')) {
        key = this.expression(0);
      } else {
        fail(`a map key must be a quoted string, a number, an identifier, or an expression in parentheses (unexpected ${describeToken(keyToken)})`, keyToken.pos);
      }
      this.expect('operator', ':');
      const value = this.expression(0);
      entries.push({ key, value });
      children.push(key, value);
      return value;
    });
    return this.node({ type: 'map', entries, pos: token.pos }, ...children);
  }

  private call(name: Token, args: Node[]): Node {
    const shape = PREDICATE_ARGS.get(name.value);
    this.expect('bracket', '(');
    if (!shape) {
      args.push(...this.list(')', () => this.expression(0)));
      if (!isFunctionName(name.value)) fail(`unknown function ${name.value}`, name.pos);
    } else {
      shape.slice(args.length).forEach((kind, i) => {
        if (this.is('bracket', ')')) {
          if (kind.endsWith('?')) return;
          fail(`${name.value} expects at least ${shape.filter((k) => !k.endsWith('?')).length} arguments`, this.current.pos);
        }
        if (i > 0) this.expect('operator', ',');
        args.push(kind.startsWith('predicate') ? this.predicate() : this.expression(0));
      });
      if (this.is('operator', ',')) this.next();
      this.expect('bracket', ')');
    }
    return this.node({ type: 'call', name: name.value, args, pos: name.pos }, ...args);
  }

  /** A predicate argument, optionally in braces: `# > 1` or `{ # > 1 }`. */
  private predicate(): Node {
    const start = this.current;
    const braced = this.is('bracket', '{');
    if (braced) this.next();
    this.predicates++;
    const body = this.expression(0);
    this.predicates--;
    if (braced) this.expect('bracket', '}');
    return this.node({ type: 'closure', body, pos: start.pos }, body);
  }

  private postfix(start: Node): Node {
    let node = start;
    let optionalChain = false;
    for (;;) {
      const token = this.current;
      const optional = token.kind === 'operator' && token.value === '?.';
      if (optional) optionalChain = true;
      if ((optional || this.is('operator', '.')) && !(optional && this.tokens[this.index + 1]!.value === '[')) {
        this.next();
        const property = this.next();
        if (property.kind !== 'identifier' && !(property.kind === 'operator' && WORD_PROPERTIES.has(property.value))) {
          fail(`expected a name after ${JSON.stringify(token.value)}, found ${describeToken(property)}`, property.pos);
        }
        if (this.is('bracket', '(')) {
          node = this.method(node, property, optional);
        } else {
          const name = this.node({ type: 'string', value: property.value, pos: property.pos });
          node = this.member(node, name, optional, property.pos);
        }
      } else if (optional || this.is('bracket', '[')) {
        if (optional) this.next();
        node = this.subscript(node, optional);
      } else {
        break;
      }
    }
    return optionalChain ? this.node({ type: 'chain', node, pos: node.pos }, node) : node;
  }

  private member(object: Node, property: Node, optional: boolean, pos: number): Node {
    return this.node({ type: 'member', object, property, optional, pos }, object, property);
  }

  private method(object: Node, name: Token, optional: boolean): Node {
    if (object.type === 'identifier' && object.name === 'sprig' && !isSprigName(name.value)) fail(`unknown function sprig.${name.value}`, name.pos);
    this.expect('bracket', '(');
    const args = this.list(')', () => this.expression(0));
    return this.node({ type: 'method', object, name: name.value, args, optional, pos: name.pos }, object, ...args);
  }

  /** `[i]`, `[a:b]`, `[:b]`, `[a:]`, `[:]`. */
  private subscript(object: Node, optional: boolean): Node {
    const open = this.expect('bracket', '[');
    const from = this.is('operator', ':') ? undefined : this.expression(0);
    if (from && !this.is('operator', ':')) {
      this.expect('bracket', ']');
      return this.member(object, from, optional, open.pos);
    }
    this.expect('operator', ':');
    const to = this.is('bracket', ']') ? undefined : this.expression(0);
    this.expect('bracket', ']');
    return this.node({ type: 'slice', object, from, to, pos: open.pos }, object, from, to);
  }
}

/** Integers stay exact up to int64; a `.` or an exponent makes a float (hex digits aside). */
function numberValue(token: Token): number {
  const text = token.value.replace(/_/g, '');
  const prefixed = /^0[xob]/i.test(text);
  if (!prefixed && /[.eE]/.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) fail('float literal is too large', token.pos);
    return value;
  }
  let value: bigint;
  try {
    value = BigInt(text);
  } catch {
    fail(`invalid number ${JSON.stringify(token.value)}`, token.pos);
  }
  if (value > INT64_MAX) fail('integer literal is too large', token.pos);
  return Number(value);
}

export function parse(source: string): Node {
  return new Parser(source).parse();
}
