// Reading `object.key` and `object[index]` as expr's runtime.Fetch and runtime.Slice do, over plain
// data only: map keys are own properties, array indexes are ints (negative from the end), and
// nothing else (no prototype member, no `length`) can be reached.
import { fail } from './failure.js';
import { describe } from './format.js';
import { isInt, isMap, typeName, type Value } from './values.js';

function index(key: Value, length: number, what: string): number {
  if (!isInt(key)) fail(`cannot fetch ${describe(key)} from ${what}: an index must be an int`);
  const i = key < 0 ? length + key : key;
  if (i < 0 || i >= length) fail(`index out of range: ${key} (${what} length is ${length})`);
  return i;
}

export function fetch(object: Value, key: Value): Value {
  if (Array.isArray(object)) return object[index(key, object.length, 'array')]!;
  if (typeof object === 'string') {
    const chars = Array.from(object);
    return chars[index(key, chars.length, 'string')]!;
  }
  if (isMap(object)) {
    if (typeof key !== 'string') fail(`cannot fetch ${describe(key)} from map: a key must be a string`);
    return Object.hasOwn(object, key) ? object[key]! : null;
  }
  return fail(`cannot fetch ${typeof key === 'string' ? key : describe(key)} from ${typeName(object)}`);
}

/** `object[from:to]`: negative bounds count from the end, and bounds are clamped, not errors. */
export function slice(object: Value, from: Value | undefined, to: Value | undefined): Value {
  const items: Value[] | string[] = typeof object === 'string' ? Array.from(object) : Array.isArray(object) ? object : fail(`cannot slice ${typeName(object)}`);
  const bound = (value: Value | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!isInt(value)) fail(`slice bounds must be ints, got ${typeName(value)}`);
    const i = value < 0 ? items.length + value : value;
    return Math.min(Math.max(i, 0), items.length);
  };
  const end = bound(to, items.length);
  const start = Math.min(bound(from, 0), end);
  const part = items.slice(start, end);
  return typeof object === 'string' ? part.join('') : part;
}
