// The shape every function shares, and argument checks worded alike for all of them: Go's expr and
// sprig are typed, so a wrong argument is an error naming the function, never a coercion.
import type { CallContext } from './budget.js';
import { fail } from './failure.js';
import { isInt, typeName, type Value } from './values.js';

export type Fn = (args: Value[], context: CallContext) => Value;

export function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length >= min && args.length <= max) return;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  fail(`${name} expects ${expected} argument${expected === '1' ? '' : 's'}, got ${args.length}`);
}

function wrong(name: string, index: number, wanted: string, value: Value): never {
  fail(`${name}: argument ${index + 1} must be ${wanted}, got ${typeName(value)}`);
}

export function stringArg(name: string, args: Value[], index: number): string {
  const value = args[index] ?? null;
  return typeof value === 'string' ? value : wrong(name, index, 'a string', value);
}

export function intArg(name: string, args: Value[], index: number): number {
  const value = args[index] ?? null;
  return isInt(value) ? value : wrong(name, index, 'an int', value);
}

export function arrayArg(name: string, args: Value[], index: number): Value[] {
  const value = args[index] ?? null;
  return Array.isArray(value) ? value : wrong(name, index, 'an array', value);
}
