// expr's builtins that take a predicate (`filter(list, # > 1)`, `map(list, {#.name})`): which of
// their arguments are predicates, for the parser, and what each does with the predicate's results.
import type { Budget } from './budget.js';
import { fail } from './failure.js';
import { typeName, type Value } from './values.js';

/** `expr` is an ordinary argument, `predicate` a closure; `?` marks an optional last argument. */
type ArgKind = 'expr' | 'predicate' | 'predicate?' | 'expr?';

export const PREDICATE_ARGS: ReadonlyMap<string, readonly ArgKind[]> = new Map<string, readonly ArgKind[]>([
  ...['all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex'].map((name): [string, ArgKind[]] => [name, ['expr', 'predicate']]),
  ['count', ['expr', 'predicate?']],
  ['sum', ['expr', 'predicate?']],
  ['reduce', ['expr', 'predicate', 'expr?']],
]);

/** Runs the predicate on one element; `#acc` is only set by reduce. */
export type Predicate = (item: Value, index: number, accumulator?: Value) => Value;

function truth(name: string, value: Value): boolean {
  if (typeof value !== 'boolean') fail(`predicate of ${name} must return a bool, got ${typeName(value)}`);
  return value;
}

function number(name: string, value: Value): number {
  if (typeof value !== 'number') fail(`invalid argument for ${name} (type ${typeName(value)})`);
  return value;
}

/** Index of the first element (from the end when `last`) that the predicate accepts, or -1. */
function search(name: string, list: Value[], predicate: Predicate, budget: Budget, last: boolean): number {
  for (let n = 0; n < list.length; n++) {
    budget.step();
    const i = last ? list.length - 1 - n : n;
    if (truth(name, predicate(list[i]!, i))) return i;
  }
  return -1;
}

export function runPredicate(name: string, input: Value, predicate: Predicate | undefined, initial: Value | undefined, budget: Budget): Value {
  if (!Array.isArray(input)) fail(`${name} expects an array, got ${typeName(input)}`);
  const list = input;
  const each = <T>(collect: (item: Value, result: Value) => T): T[] =>
    list.map((item, i) => {
      budget.step();
      return collect(item, predicate ? predicate(item, i) : item);
    });
  switch (name) {
    case 'all':
      return search(name, list, (item, i) => !truth(name, predicate!(item, i)), budget, false) < 0;
    case 'none':
      return search(name, list, predicate!, budget, false) < 0;
    case 'any':
      return search(name, list, predicate!, budget, false) >= 0;
    case 'one':
      return each((_item, result) => truth(name, result)).filter(Boolean).length === 1;
    case 'filter':
      return list.filter((item, i) => {
        budget.step();
        return truth(name, predicate!(item, i));
      });
    case 'map':
      return each((_item, result) => result);
    case 'count':
      return each((_item, result) => truth(name, result)).filter(Boolean).length;
    case 'sum':
      return each((_item, result) => number(name, result)).reduce((total, value) => total + value, 0);
    case 'find':
    case 'findLast': {
      const i = search(name, list, predicate!, budget, name === 'findLast');
      return i < 0 ? null : list[i]!;
    }
    case 'findIndex':
    case 'findLastIndex':
      return search(name, list, predicate!, budget, name === 'findLastIndex');
    default:
      return reduce(list, predicate!, initial, budget);
  }
}

function reduce(list: Value[], predicate: Predicate, initial: Value | undefined, budget: Budget): Value {
  if (initial === undefined && list.length === 0) fail('reduce of an empty array with no initial value');
  let accumulator = initial === undefined ? list[0]! : initial;
  for (let i = initial === undefined ? 1 : 0; i < list.length; i++) {
    budget.step();
    accumulator = predicate(list[i]!, i, accumulator);
  }
  return accumulator;
}
