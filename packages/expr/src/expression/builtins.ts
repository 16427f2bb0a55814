// expr-lang's builtin functions (builtin/builtin.go) that take plain arguments; the predicate ones
// live in predicates.ts. Go maps have no order, so keys() and values() answer in sorted key order.
import { trimSpace } from '../chars.js';
import { fetch } from './access.js';
import { arity, arrayArg, intArg, stringArg, type Fn } from './arguments.js';
import { LimitFailure, type Budget } from './budget.js';
import { EvalFailure, fail } from './failure.js';
import { parseDuration } from './go-duration.js';
import { parseFloat64, parseInt64 } from './go-numbers.js';
import { codePointIndex, fromBase64, join, repeat, replace, split, toBase64, trimCutset } from './go-strings.js';
import { marshal, unmarshal } from './json.js';
import { compare, equal, GoDuration, GoTime, isMap, sortedKeys, typeName, type Value, type ValueMap } from './values.js';

function one(name: string, run: (value: Value, budget: Budget) => Value): Fn {
  return (args, { budget }) => {
    arity(name, args, 1);
    return run(args[0]!, budget);
  };
}

function numberArg(name: string, value: Value): number {
  if (typeof value !== 'number') fail(`invalid argument for ${name} (type ${typeName(value)})`);
  return value;
}

/** math.Round: halves away from zero. */
function round(value: number): number {
  const whole = Math.trunc(value);
  return Math.abs(value - whole) >= 0.5 ? whole + Math.sign(value) : whole;
}

/** Numbers among the arguments, arrays flattened, as max, min and mean take them. */
function numbers(name: string, args: Value[], budget: Budget): number[] {
  const out: number[] = [];
  const visit = (value: Value): void => {
    budget.step();
    if (Array.isArray(value)) value.forEach(visit);
    else out.push(numberArg(name, value));
  };
  args.forEach(visit);
  return out;
}

function extreme(name: string, sign: 1 | -1): Fn {
  return (args, { budget }) => {
    arity(name, args, 1, Infinity);
    // expr hands back a lone argument that is not a number or an array unchanged.
    if (args.length === 1 && typeof args[0] !== 'number' && !Array.isArray(args[0])) return args[0]!;
    const values = numbers(name, args, budget);
    return values.length === 0 ? null : values.reduce((best, value) => (sign * (value - best) > 0 ? value : best));
  };
}

function stringFn(name: string, run: (text: string) => Value): Fn {
  return (args) => {
    arity(name, args, 1);
    return run(stringArg(name, args, 0));
  };
}

function twoStrings(name: string, run: (a: string, b: string) => Value): Fn {
  return (args) => {
    arity(name, args, 2);
    return run(stringArg(name, args, 0), stringArg(name, args, 1));
  };
}

function splitFn(name: string, after: boolean): Fn {
  return (args, { budget }) => {
    arity(name, args, 2, 3);
    const limit = args.length === 3 ? intArg(name, args, 2) : -1;
    return split(stringArg(name, args, 0), stringArg(name, args, 1), limit, after, budget);
  };
}

function mapFn(name: string, pick: (map: ValueMap, key: string) => Value): Fn {
  return one(name, (value, budget) => {
    if (!isMap(value)) fail(`cannot get ${name} from ${typeName(value)}`);
    const keys = sortedKeys(value);
    budget.step(keys.length);
    return keys.map((key) => pick(value, key));
  });
}

function flatten(list: Value[], budget: Budget): Value[] {
  return list.flatMap((item) => {
    budget.step();
    return Array.isArray(item) ? flatten(item, budget) : [item];
  });
}

export const BUILTINS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  [
    'len',
    one('len', (value) => {
      if (typeof value === 'string') return Array.from(value).length;
      if (Array.isArray(value)) return value.length;
      if (isMap(value)) return Object.keys(value).length;
      return fail(`invalid argument for len (type ${typeName(value)})`);
    }),
  ],
  ['type', one('type', (value) => typeName(value))],
  ['abs', one('abs', (value) => Math.abs(numberArg('abs', value)))],
  ['ceil', one('ceil', (value) => Math.ceil(numberArg('ceil', value)))],
  ['floor', one('floor', (value) => Math.floor(numberArg('floor', value)))],
  ['round', one('round', (value) => round(numberArg('round', value)))],
  [
    'int',
    one('int', (value) => {
      if (typeof value === 'number') return Math.trunc(value);
      const parsed = typeof value === 'string' ? parseInt64(value) : undefined;
      if (parsed && 'value' in parsed) return parsed.value;
      return fail(`invalid operation: int(${typeof value === 'string' ? value : typeName(value)})`);
    }),
  ],
  [
    'float',
    one('float', (value) => {
      if (typeof value === 'number') return value;
      const parsed = typeof value === 'string' ? parseFloat64(value) : undefined;
      if (parsed && 'value' in parsed) return parsed.value;
      return fail(`invalid operation: float(${typeof value === 'string' ? value : typeName(value)})`);
    }),
  ],
  [
    'trim',
    (args) => {
      arity('trim', args, 1, 2);
      const text = stringArg('trim', args, 0);
      return args.length === 1 ? trimSpace(text) : trimCutset(text, stringArg('trim', args, 1));
    },
  ],
  [
    'trimPrefix',
    (args) => {
      arity('trimPrefix', args, 1, 2);
      const [text, prefix] = [stringArg('trimPrefix', args, 0), args.length === 2 ? stringArg('trimPrefix', args, 1) : ' '];
      return text.startsWith(prefix) ? text.slice(prefix.length) : text;
    },
  ],
  [
    'trimSuffix',
    (args) => {
      arity('trimSuffix', args, 1, 2);
      const [text, suffix] = [stringArg('trimSuffix', args, 0), args.length === 2 ? stringArg('trimSuffix', args, 1) : ' '];
      return suffix !== '' && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
    },
  ],
  ['upper', stringFn('upper', (text) => text.toUpperCase())],
  ['lower', stringFn('lower', (text) => text.toLowerCase())],
  ['split', splitFn('split', false)],
  ['splitAfter', splitFn('splitAfter', true)],
  [
    'replace',
    (args, { budget }) => {
      arity('replace', args, 3, 4);
      const limit = args.length === 4 ? intArg('replace', args, 3) : -1;
      return replace(stringArg('replace', args, 0), stringArg('replace', args, 1), stringArg('replace', args, 2), limit, budget);
    },
  ],
  [
    'repeat',
    (args, { budget }) => {
      arity('repeat', args, 2);
      return repeat(stringArg('repeat', args, 0), intArg('repeat', args, 1), budget);
    },
  ],
  [
    'join',
    (args, { budget }) => {
      arity('join', args, 1, 2);
      const items = arrayArg('join', args, 0).map((item, i) => (typeof item === 'string' ? item : fail(`join: element ${i} is ${typeName(item)}, not a string`)));
      return join(items, args.length === 2 ? stringArg('join', args, 1) : '', budget);
    },
  ],
  ['indexOf', twoStrings('indexOf', (text, part) => codePointIndex(text, text.indexOf(part)))],
  ['lastIndexOf', twoStrings('lastIndexOf', (text, part) => codePointIndex(text, text.lastIndexOf(part)))],
  ['hasPrefix', twoStrings('hasPrefix', (text, prefix) => text.startsWith(prefix))],
  ['hasSuffix', twoStrings('hasSuffix', (text, suffix) => text.endsWith(suffix))],
  ['max', extreme('max', 1)],
  ['min', extreme('min', -1)],
  [
    'mean',
    (args, { budget }) => {
      arity('mean', args, 1, Infinity);
      const values = numbers('mean', args, budget);
      return values.length === 0 ? 0 : values.reduce((total, value) => total + value, 0) / values.length;
    },
  ],
  ['toJSON', one('toJSON', (value, budget) => marshal(value, budget, '  '))],
  ['fromJSON', one('fromJSON', (value, budget) => unmarshal(stringArg('fromJSON', [value], 0), budget, 'fromJSON'))],
  ['toBase64', stringFn('toBase64', toBase64)],
  ['fromBase64', stringFn('fromBase64', fromBase64)],
  ['now', (args, { now }) => (arity('now', args, 0), new GoTime(now))],
  ['duration', stringFn('duration', (text) => new GoDuration(parseDuration(text)))],
  ['first', one('first', (value) => lenientFetch(value, 0))],
  ['last', one('last', (value) => lenientFetch(value, -1))],
  [
    'get',
    (args) => {
      arity('get', args, 2);
      return lenientFetch(args[0]!, args[1]!);
    },
  ],
  ['keys', mapFn('keys', (_map, key) => key)],
  ['values', mapFn('values', (map, key) => map[key]!)],
  [
    'reverse',
    one('reverse', (value, budget) => {
      const list = arrayArg('reverse', [value], 0);
      budget.step(list.length);
      return [...list].reverse();
    }),
  ],
  [
    'uniq',
    one('uniq', (value, budget) => {
      const list = arrayArg('uniq', [value], 0);
      const out: Value[] = [];
      for (const item of list) if (!out.some((seen) => equal(seen, item, budget))) out.push(item);
      return out;
    }),
  ],
  [
    'concat',
    (args, { budget }) => {
      arity('concat', args, 1, Infinity);
      return args.flatMap((_arg, i) => {
        const list = arrayArg('concat', args, i);
        budget.step(list.length);
        return list;
      });
    },
  ],
  ['flatten', one('flatten', (value, budget) => flatten(arrayArg('flatten', [value], 0), budget))],
  [
    'sort',
    (args, { budget }) => {
      arity('sort', args, 1, 2);
      const order = args.length === 2 ? stringArg('sort', args, 1) : 'asc';
      if (order !== 'asc' && order !== 'desc') fail(`invalid order ${order}, expected asc or desc`);
      const list = [...arrayArg('sort', args, 0)];
      budget.step(list.length * Math.ceil(Math.log2(list.length + 1)));
      return list.sort((a, b) => (order === 'asc' ? 1 : -1) * compare(a, b, 'sort'));
    },
  ],
]);

/** Fetch that answers nil where it would fail: expr's get, first and last recover that way. */
export function lenientFetch(object: Value, key: Value): Value {
  try {
    return fetch(object, key);
  } catch (error) {
    if (error instanceof EvalFailure && !(error instanceof LimitFailure)) return null;
    throw error;
  }
}
