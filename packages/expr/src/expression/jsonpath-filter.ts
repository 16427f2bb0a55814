// JSONPath filters, `[?(<condition>)]`, as oliveagle/jsonpath reads them: comparisons of `@`-paths
// and literals (`==`, `!=`, `<`, `<=`, `>`, `>=`), `&&`, `||`, `!` and parentheses, or a bare `@`-path
// that must exist. Parsed into a predicate once; nothing in it is ever evaluated as code.
import { fail } from './failure.js';
import { isMap, type Value } from './values.js';

export type Predicate = (item: Value) => boolean;

type Operand = { kind: 'path'; keys: string[] } | { kind: 'literal'; value: string | number | boolean | null };

const TOKEN = /\s*(&&|\|\||==|!=|<=|>=|<|>|!|\(|\)|@(?:\.[A-Za-z0-9_-]+|\[(?:'[^']*'|"[^"]*")\])*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/y;

function tokenize(text: string, path: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) fail(`jsonpath: cannot read the filter ${JSON.stringify(text)} in ${path}`);
    tokens.push(match[1]!);
  }
  return tokens;
}

function operand(token: string | undefined, path: string): Operand {
  if (token === undefined) return fail(`jsonpath: filter ends too soon in ${path}`);
  if (token.startsWith('@')) {
    const keys = [...token.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(?:'([^']*)'|"([^"]*)")\]/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    return { kind: 'path', keys };
  }
  if (token.startsWith("'") || token.startsWith('"')) return { kind: 'literal', value: token.slice(1, -1).replace(/\\(.)/g, '$1') };
  if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
  if (token === 'null') return { kind: 'literal', value: null };
  if (/^-?\d/.test(token)) return { kind: 'literal', value: Number(token) };
  return fail(`jsonpath: unexpected ${JSON.stringify(token)} in the filter of ${path}`);
}

function resolve(item: Value, keys: string[]): Value | undefined {
  let current: Value | undefined = item;
  for (const key of keys) {
    if (current === undefined || !isMap(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function compare(op: string, left: Value | undefined, right: Value | undefined): boolean {
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const [a, b] = [left, right] as [number, number];
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** Parses the condition inside `[?( … )]` into a predicate over one array element. */
export function parseFilter(condition: string, path: string): Predicate {
  const tokens = tokenize(condition, path);
  let at = 0;
  const value = (o: Operand, item: Value): Value | undefined => (o.kind === 'path' ? resolve(item, o.keys) : o.value);
  const primary = (): Predicate => {
    const token = tokens[at++];
    if (token === '!') {
      const inner = primary();
      return (item) => !inner(item);
    }
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') fail(`jsonpath: unclosed ( in the filter of ${path}`);
      return inner;
    }
    const left = operand(token, path);
    const op = tokens[at];
    if (op !== undefined && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      at++;
      const right = operand(tokens[at++], path);
      return (item) => compare(op, value(left, item), value(right, item));
    }
    if (left.kind !== 'path') fail(`jsonpath: a filter needs a comparison or an @-path in ${path}`);
    return (item) => value(left, item) !== undefined;
  };
  const and = (): Predicate => {
    let result = primary();
    while (tokens[at] === '&&') {
      at++;
      const [l, r] = [result, primary()];
      result = (item) => l(item) && r(item);
    }
    return result;
  };
  const or = (): Predicate => {
    let result = and();
    while (tokens[at] === '||') {
      at++;
      const [l, r] = [result, and()];
      result = (item) => l(item) || r(item);
    }
    return result;
  };
  const predicate = or();
  if (at !== tokens.length) fail(`jsonpath: unexpected ${JSON.stringify(tokens[at])} in the filter of ${path}`);
  return predicate;
}
