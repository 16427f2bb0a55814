// The values an expression computes: plain data as Go's expr holds it after encoding/json (nil, bool,
// numbers, string, []any, map[string]any) plus time.Time and time.Duration. Functions are never
// values, and maps are read through own properties only, so no JS prototype is reachable.
import { compareStrings } from '../go-value.js';
import type { Budget } from './budget.js';
import { fail } from './failure.js';

/** A Go time.Time, kept in Unix milliseconds and shown in UTC (the zone Argo's controller runs in). */
export class GoTime {
  constructor(readonly ms: number) {}
}

/** A Go time.Duration in nanoseconds. */
export class GoDuration {
  constructor(readonly ns: number) {}
}

export type ValueMap = { [key: string]: Value };
export type Value = null | boolean | number | string | Value[] | ValueMap | GoTime | GoDuration;

const INT_LIMIT = 2 ** 63;
const MAX_DEPTH = 100;

/** Go's int is int64; a JS number stands for an int when it is integral and fits. */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < INT_LIMIT;
}

export function isMap(value: Value): value is ValueMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoTime) && !(value instanceof GoDuration);
}

/** Maps are built without a prototype, so a key such as `__proto__` is only ever a key. */
export function newMap(): ValueMap {
  return Object.create(null) as ValueMap;
}

/** Own enumerable keys only, in Go's order for printing and encoding (by UTF-8 bytes). */
export function sortedKeys(map: ValueMap): string[] {
  return Object.keys(map).sort(compareStrings);
}

/** The name expr's `type()` gives a value; also used in error messages. */
export function typeName(value: Value): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return isInt(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (value instanceof GoTime) return 'time.Time';
  if (value instanceof GoDuration) return 'time.Duration';
  return 'map';
}

/** A host value (from the scope or JSON.parse) as expression data; anything else is refused. */
export function fromHost(value: unknown, name: string, budget: Budget, depth = 0): Value {
  budget.step();
  if (depth > MAX_DEPTH) fail(`${name} is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'object':
      break;
    default:
      fail(`${name} is a ${typeof value}, which is not a value an expression can use`);
  }
  if (value instanceof GoTime || value instanceof GoDuration) return value;
  if (value instanceof Date) return new GoTime(value.getTime());
  if (Array.isArray(value)) return Array.from(value, (item: unknown) => fromHost(item, name, budget, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) fail(`${name} is an object of a class, which is not a value an expression can use`);
  // Object.prototype itself (what a careless lookup of `__proto__` answers) is not data either.
  if (value === Object.prototype) fail(`${name} is a prototype, which is not a value an expression can use`);
  const map = newMap();
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) map[key] = fromHost(item, name, budget, depth + 1);
  }
  return map;
}

/** expr's runtime.Equal: numbers by value whatever their kind, other values by deep equality, and
 * values of different types are unequal rather than an error. */
export function equal(left: Value, right: Value, budget: Budget): boolean {
  budget.step();
  if (left === right) return true;
  if (left instanceof GoTime) return right instanceof GoTime && left.ms === right.ms;
  if (left instanceof GoDuration) return right instanceof GoDuration && left.ns === right.ns;
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((item, i) => equal(item, right[i]!, budget));
  }
  if (isMap(left) && isMap(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && equal(left[key]!, right[key]!, budget));
  }
  return false;
}

/** Ordering for `<`, `sort`, `max`: numbers, strings, times and durations among their own kind. */
export function compare(left: Value, right: Value, operator: string): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return compareStrings(left, right);
  if (left instanceof GoTime && right instanceof GoTime) return left.ms - right.ms;
  if (left instanceof GoDuration && right instanceof GoDuration) return left.ns - right.ns;
  fail(`invalid operation: ${operator} (mismatched types ${typeName(left)} and ${typeName(right)})`);
}
