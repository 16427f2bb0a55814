// Argo's `jsonpath(json, path)` (argoproj/pkg on oliveagle/jsonpath): `$.a.b`, `$['a-b']`, `$.a[0]`,
// `$.a[-1]`, `$.a[0,2]`, `$.a[1:3]`, `$.a[*].name`, `$.*`, `$..name` and filters `$.a[?(@.b > 1)]`
// (parsed into predicates, never evaluated as code). A definite path gives
// one value and fails on a missing key or index; a wildcard, slice, list or `..` gives an array.
import type { Budget } from './budget.js';
import { fail } from './failure.js';
import { isMap, sortedKeys, type Value } from './values.js';
import { parseFilter, type Predicate } from './jsonpath-filter.js';

type Step =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[] }
  | { readonly kind: 'slice'; readonly from: number | undefined; readonly to: number | undefined }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'descend'; readonly name: string }
  | { readonly kind: 'filter'; readonly test: Predicate };

const NAME = /^[^.[\]]+/;
const INTEGER = /^\s*-?\d+\s*$/;

function parseBracket(content: string, path: string): Step {
  const text = content.trim();
  if (text === '*') return { kind: 'wildcard' };
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return { kind: 'key', name: quoted[2]! };
  if (text.includes(':')) {
    const [from = '', to = '', extra] = text.split(':');
    const bound = (value: string): number | undefined => {
      if (value.trim() === '') return undefined;
      return INTEGER.test(value) ? Number(value) : fail(`jsonpath: invalid slice [${content}] in ${path}`);
    };
    if (extra !== undefined) fail(`jsonpath: slice steps are not supported: [${content}] in ${path}`);
    return { kind: 'slice', from: bound(from), to: bound(to) };
  }
  const parts = text.split(',');
  if (parts.every((part) => INTEGER.test(part))) return { kind: 'indexes', indexes: parts.map(Number) };
  const filter = /^\?\s*\((.*)\)$/s.exec(text);
  if (filter) return { kind: 'filter', test: parseFilter(filter[1]!, path) };
  return fail(`jsonpath: invalid subscript [${content}] in ${path}`);
}

function parsePath(path: string): Step[] {
  if (!path.startsWith('$')) fail(`jsonpath: a path must start with $, got ${JSON.stringify(path)}`);
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    if (rest.startsWith('..')) {
      const name = NAME.exec(rest.slice(2))?.[0] ?? fail(`jsonpath: expected a name after .. in ${path}`);
      steps.push({ kind: 'descend', name });
      rest = rest.slice(2 + name.length);
    } else if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1))?.[0] ?? fail(`jsonpath: expected a name after . in ${path}`);
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'key', name });
      rest = rest.slice(1 + name.length);
    } else if (rest.startsWith('[')) {
      const close = /^\[\s*(['"]).*?\1\s*\]/s.exec(rest)?.[0].length ?? /^\[\?\(.*?\)\]/s.exec(rest)?.[0].length ?? rest.indexOf(']') + 1;
      if (close <= 0) fail(`jsonpath: unclosed [ in ${path}`);
      steps.push(parseBracket(rest.slice(1, close - 1), path));
      rest = rest.slice(close);
    } else {
      fail(`jsonpath: unexpected ${JSON.stringify(rest[0])} in ${path}`);
    }
  }
  return steps;
}

/** Every value under `name`, at any depth, in document order. */
function descend(value: Value, name: string, budget: Budget, out: Value[]): void {
  budget.step();
  if (Array.isArray(value)) {
    value.forEach((item) => descend(item, name, budget, out));
  } else if (isMap(value)) {
    for (const key of sortedKeys(value)) {
      if (key === name) out.push(value[key]!);
      descend(value[key]!, name, budget, out);
    }
  }
}

/** One step on one value; `strict` (a definite path so far) makes a missing key or index an error. */
function apply(step: Step, value: Value, strict: boolean, budget: Budget): Value[] {
  budget.step();
  const children = (): Value[] => (Array.isArray(value) ? value : isMap(value) ? sortedKeys(value).map((key) => value[key]!) : []);
  switch (step.kind) {
    case 'key':
      if (isMap(value) && Object.hasOwn(value, step.name)) return [value[step.name]!];
      if (strict) fail(isMap(value) ? `jsonpath: key error: ${step.name} not found in object` : `jsonpath: cannot read key ${step.name} of a non-object`);
      return [];
    case 'indexes': {
      if (!Array.isArray(value)) return strict ? fail('jsonpath: cannot index a non-array') : [];
      const list = value;
      return step.indexes.flatMap((index) => {
        const i = index < 0 ? list.length + index : index;
        if (i >= 0 && i < list.length) return [list[i]!];
        return strict ? fail(`jsonpath: index out of range: len: ${list.length}, idx: ${index}`) : [];
      });
    }
    case 'slice': {
      if (!Array.isArray(value)) return strict ? fail('jsonpath: cannot slice a non-array') : [];
      const clamp = (bound: number | undefined, fallback: number): number =>
        bound === undefined ? fallback : Math.min(Math.max(bound < 0 ? value.length + bound : bound, 0), value.length);
      return value.slice(clamp(step.from, 0), clamp(step.to, value.length));
    }
    case 'wildcard':
      return children();
    case 'filter':
      return children().filter((item) => {
        budget.step();
        return step.test(item);
      });
    case 'descend': {
      const out: Value[] = [];
      descend(value, step.name, budget, out);
      return out;
    }
  }
}

export function jsonPath(document: Value, path: string, budget: Budget): Value {
  let values: Value[] = [document];
  let definite = true;
  for (const step of parsePath(path)) {
    values = values.flatMap((value) => apply(step, value, definite, budget));
    definite &&= step.kind === 'key' || (step.kind === 'indexes' && step.indexes.length === 1);
  }
  return definite ? values[0]! : values;
}
