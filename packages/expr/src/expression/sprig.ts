// The sprig functions Argo exposes as `sprig.<name>(…)` (sprig.GenericFuncMap), an allow-listed
// subset. Sprig's argument order puts the subject last (`sprig.replace(old, new, text)`), its
// numeric helpers coerce with spf13/cast and answer 0 rather than fail, and several functions
// swallow errors (b64dec returns the error text, toJson returns ""): all as in sprig.
import { trimSpace } from '../chars.js';
import { arity, intArg, stringArg, type Fn } from './arguments.js';
import { LimitFailure, type Budget } from './budget.js';
import { EvalFailure, fail } from './failure.js';
import { formatGo } from './format.js';
import { formatTime, parseTime } from './go-layout.js';
import { parseFloat64, parseInt64 } from './go-numbers.js';
import { fromBase64, goQuote, join, repeat, replace, split, title, toBase64, trimCutset } from './go-strings.js';
import { marshal, unmarshal } from './json.js';
import { equal, GoTime, isInt, isMap, newMap, typeName, type Value } from './values.js';

/** sprig's strval: strings as they are, anything else as %v. */
function strval(value: Value, budget: Budget): string {
  return typeof value === 'string' ? value : formatGo(value, budget);
}

/** spf13/cast's ToInt64 as sprig uses it: unparsable input is 0. */
function toInt64(value: Value): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return 0;
  // strconv.ParseInt(s, 0, 0) after cast's trimZeroDecimal: base prefixes, a leading 0 for octal, `_`.
  const text = value.replace(/^([+-]?\d+)\.0*$/, '$1');
  const match = /^([+-]?)(0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][\d_]*)$/.exec(text);
  if (!match || /__|_$/.test(match[2]!)) return 0;
  const digits = match[2]!.replace(/_/g, '');
  const magnitude = /^0\d/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const parsed = match[1] === '-' ? -magnitude : magnitude;
  return parsed >= -(2n ** 63n) && parsed < 2n ** 63n ? Number(parsed) : 0;
}

function toFloat64(value: Value): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return 0;
  const parsed = parseFloat64(value);
  return 'value' in parsed ? parsed.value : 0;
}

/** sprig's empty: nil, false, 0, and empty strings, arrays and maps. */
function empty(value: Value | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isMap(value) && Object.keys(value).length === 0;
}

/** Integer division and remainder panic on zero in Go. */
function divisor(value: Value): number {
  const divide = toInt64(value);
  if (divide === 0) fail('runtime error: integer divide by zero');
  return divide;
}

/** sprig's strslice: strings of an array's non-nil elements, or of a single value. */
function strslice(value: Value, budget: Budget): string[] {
  if (value === null) return [];
  if (!Array.isArray(value)) return [strval(value, budget)];
  return value.filter((item) => item !== null).map((item) => strval(item, budget));
}

/** A function of a fixed number of string arguments. */
function strings(name: string, count: number, run: (...texts: string[]) => Value): Fn {
  return (args) => {
    arity(`sprig.${name}`, args, count);
    return run(...args.map((_arg, i) => stringArg(`sprig.${name}`, args, i)));
  };
}

/** A function of any number of values that cannot fail on their types. */
function values(name: string, min: number, max: number, run: (args: Value[], budget: Budget) => Value): Fn {
  return (args, { budget }) => {
    arity(`sprig.${name}`, args, min, max);
    return run(args, budget);
  };
}

function indent(spaces: number, text: string, budget: Budget): string {
  const pad = repeat(' ', spaces, budget);
  return pad + replace(text, '\n', `\n${pad}`, -1, budget);
}

function timeArg(name: string, value: Value | undefined): GoTime {
  if (value instanceof GoTime) return value;
  return fail(`sprig.${name}: argument must be a time, got ${typeName(value ?? null)}`);
}

/** Swallows a failure as sprig does, but never a limit. */
function orElse<T>(run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof EvalFailure && !(error instanceof LimitFailure)) return fallback;
    throw error;
  }
}

/** Go's zero time.Time, 0001-01-01T00:00:00Z, which toDate answers for text it cannot read. */
const ZERO_TIME = -62_135_596_800_000;

/** b64dec answers the decoder's error text instead of failing. */
function b64dec(text: string): string {
  try {
    return fromBase64(text);
  } catch (error) {
    if (error instanceof EvalFailure) return error.message;
    throw error;
  }
}

const ENTRIES: [string, Fn][] = [
  ['trim', strings('trim', 1, (text) => trimSpace(text))],
  ['trimAll', strings('trimAll', 2, (cutset, text) => trimCutset(text, cutset))],
  ['trimPrefix', strings('trimPrefix', 2, (prefix, text) => (text.startsWith(prefix) ? text.slice(prefix.length) : text))],
  ['trimSuffix', strings('trimSuffix', 2, (suffix, text) => (suffix !== '' && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text))],
  ['upper', strings('upper', 1, (text) => text.toUpperCase())],
  ['lower', strings('lower', 1, (text) => text.toLowerCase())],
  ['title', strings('title', 1, title)],
  ['contains', strings('contains', 2, (part, text) => text.includes(part))],
  ['hasPrefix', strings('hasPrefix', 2, (prefix, text) => text.startsWith(prefix))],
  ['hasSuffix', strings('hasSuffix', 2, (suffix, text) => text.endsWith(suffix))],
  ['b64enc', strings('b64enc', 1, toBase64)],
  ['b64dec', strings('b64dec', 1, b64dec)],
  [
    'atoi',
    strings('atoi', 1, (text) => {
      const parsed = parseInt64(text);
      return 'value' in parsed ? parsed.value : 0;
    }),
  ],
  [
    'replace',
    (args, { budget }) => {
      arity('sprig.replace', args, 3);
      const [old, replacement, text] = [0, 1, 2].map((i) => stringArg('sprig.replace', args, i)) as [string, string, string];
      return replace(text, old, replacement, -1, budget);
    },
  ],
  [
    'split',
    (args, { budget }) => {
      arity('sprig.split', args, 2);
      const map = newMap();
      split(stringArg('sprig.split', args, 1), stringArg('sprig.split', args, 0), -1, false, budget).forEach((part, i) => (map[`_${i}`] = part));
      return map;
    },
  ],
  [
    'splitList',
    (args, { budget }) => {
      arity('sprig.splitList', args, 2);
      return split(stringArg('sprig.splitList', args, 1), stringArg('sprig.splitList', args, 0), -1, false, budget);
    },
  ],
  ['join', (args, { budget }) => (arity('sprig.join', args, 2), join(strslice(args[1]!, budget), stringArg('sprig.join', args, 0), budget))],
  ['default', values('default', 1, 2, ([fallback, given]) => (empty(given) ? fallback! : given!))],
  ['empty', values('empty', 1, 1, ([value]) => empty(value))],
  ['coalesce', values('coalesce', 0, Infinity, (args) => args.find((value) => !empty(value)) ?? null)],
  ['int', values('int', 1, 1, ([value]) => toInt64(value!))],
  ['int64', values('int64', 1, 1, ([value]) => toInt64(value!))],
  ['float64', values('float64', 1, 1, ([value]) => toFloat64(value!))],
  ['toString', values('toString', 1, 1, ([value], budget) => strval(value!, budget))],
  ['add', values('add', 0, Infinity, (args) => args.reduce<number>((total, value) => total + toInt64(value), 0))],
  ['sub', values('sub', 2, 2, ([a, b]) => toInt64(a!) - toInt64(b!))],
  ['mul', values('mul', 1, Infinity, ([first, ...rest]) => rest.reduce<number>((product, value) => product * toInt64(value), toInt64(first!)))],
  ['div', values('div', 2, 2, ([a, b]) => Math.trunc(toInt64(a!) / divisor(b!)))],
  ['mod', values('mod', 2, 2, ([a, b]) => toInt64(a!) % divisor(b!))],
  ['max', values('max', 1, Infinity, (args) => Math.max(...args.map(toInt64)))],
  ['min', values('min', 1, Infinity, (args) => Math.min(...args.map(toInt64)))],
  [
    'dict',
    values('dict', 0, Infinity, (args, budget) => {
      const map = newMap();
      for (let i = 0; i < args.length; i += 2) map[strval(args[i]!, budget)] = i + 1 < args.length ? args[i + 1]! : '';
      return map;
    }),
  ],
  ['list', values('list', 0, Infinity, (args) => args)],
  [
    'has',
    values('has', 2, 2, ([needle, haystack], budget) => {
      if (haystack === null) return false;
      if (!Array.isArray(haystack)) fail(`Cannot find has on type ${typeName(haystack!)}`);
      return haystack.some((item) => equal(item, needle!, budget));
    }),
  ],
  ['quote', values('quote', 0, Infinity, (args, budget) => join(args.filter((arg) => arg !== null).map((arg) => goQuote(strval(arg, budget))), ' ', budget))],
  ['squote', values('squote', 0, Infinity, (args, budget) => join(args.filter((arg) => arg !== null).map((arg) => `'${strval(arg, budget)}'`), ' ', budget))],
  ['cat', values('cat', 0, Infinity, (args, budget) => join(args.filter((arg) => arg !== null).map((arg) => formatGo(arg, budget)), ' ', budget))],
  ['indent', (args, { budget }) => (arity('sprig.indent', args, 2), indent(intArg('sprig.indent', args, 0), stringArg('sprig.indent', args, 1), budget))],
  ['nindent', (args, { budget }) => (arity('sprig.nindent', args, 2), `\n${indent(intArg('sprig.nindent', args, 0), stringArg('sprig.nindent', args, 1), budget)}`)],
  [
    'substr',
    (args) => {
      arity('sprig.substr', args, 3);
      const [start, end, chars] = [intArg('sprig.substr', args, 0), intArg('sprig.substr', args, 1), Array.from(stringArg('sprig.substr', args, 2))];
      const [from, to] = start < 0 ? [0, end] : end < 0 || end > chars.length ? [start, chars.length] : [start, end];
      if (from > to || to > chars.length) fail(`sprig.substr: slice bounds out of range [${from}:${to}] with length ${chars.length}`);
      return chars.slice(from, to).join('');
    },
  ],
  [
    'trunc',
    (args) => {
      arity('sprig.trunc', args, 2);
      const [count, chars] = [intArg('sprig.trunc', args, 0), Array.from(stringArg('sprig.trunc', args, 1))];
      if (count < 0 && chars.length + count > 0) return chars.slice(chars.length + count).join('');
      return count >= 0 && chars.length > count ? chars.slice(0, count).join('') : chars.join('');
    },
  ],
  ['repeat', (args, { budget }) => (arity('sprig.repeat', args, 2), repeat(stringArg('sprig.repeat', args, 1), intArg('sprig.repeat', args, 0), budget))],
  ['now', (args, { now }) => (arity('sprig.now', args, 0), new GoTime(now))],
  [
    'date',
    (args, { now }) => {
      arity('sprig.date', args, 2);
      const date = args[1]!;
      // sprig reads ints as Unix seconds and falls back to the current time for anything else.
      const ms = date instanceof GoTime ? date.ms : isInt(date) ? date * 1000 : now;
      return formatTime(ms, stringArg('sprig.date', args, 0));
    },
  ],
  ['toDate', strings('toDate', 2, (layout, text) => new GoTime(parseTime(layout, text) ?? ZERO_TIME))],
  ['unixEpoch', (args) => (arity('sprig.unixEpoch', args, 1), String(Math.floor(timeArg('unixEpoch', args[0]).ms / 1000)))],
  ['toJson', values('toJson', 1, 1, ([value], budget) => orElse(() => marshal(value!, budget), ''))],
  ['fromJson', (args, { budget }) => (arity('sprig.fromJson', args, 1), orElse(() => unmarshal(stringArg('sprig.fromJson', args, 0), budget, 'sprig.fromJson'), null))],
];

export const SPRIG: ReadonlyMap<string, Fn> = new Map(ENTRIES);
