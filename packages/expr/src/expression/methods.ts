// Methods Go's expr lets expressions call on time.Time and time.Duration values (`now().Unix()`,
// `duration("90m").Hours()`); the common ones only. No method exists on any other value.
import { arity, stringArg } from './arguments.js';
import type { CallContext } from './budget.js';
import { fail } from './failure.js';
import { formatDuration } from './go-duration.js';
import { DEFAULT_LAYOUT, formatTime } from './go-layout.js';
import { GoDuration, GoTime, typeName, type Value } from './values.js';

type Method<T> = (self: T, args: Value[], context: CallContext) => Value;

function timeArgument(name: string, args: Value[]): GoTime {
  arity(name, args, 1);
  return args[0] instanceof GoTime ? args[0] : fail(`${name}: argument must be a time.Time, got ${typeName(args[0]!)}`);
}

function durationArgument(name: string, args: Value[]): GoDuration {
  arity(name, args, 1);
  return args[0] instanceof GoDuration ? args[0] : fail(`${name}: argument must be a time.Duration, got ${typeName(args[0]!)}`);
}

const field =
  (name: string, read: (date: Date) => number): Method<GoTime> =>
  (self, args) => (arity(name, args, 0), read(new Date(self.ms)));

const TIME_METHODS: ReadonlyMap<string, Method<GoTime>> = new Map<string, Method<GoTime>>([
  ['Unix', (self, args) => (arity('Unix', args, 0), Math.floor(self.ms / 1000))],
  ['UnixMilli', (self, args) => (arity('UnixMilli', args, 0), Math.floor(self.ms))],
  ['Year', field('Year', (date) => date.getUTCFullYear())],
  ['Month', field('Month', (date) => date.getUTCMonth() + 1)],
  ['Day', field('Day', (date) => date.getUTCDate())],
  ['Hour', field('Hour', (date) => date.getUTCHours())],
  ['Minute', field('Minute', (date) => date.getUTCMinutes())],
  ['Second', field('Second', (date) => date.getUTCSeconds())],
  ['Weekday', field('Weekday', (date) => date.getUTCDay())],
  ['Format', (self, args) => (arity('Format', args, 1), formatTime(self.ms, stringArg('Format', args, 0)))],
  ['String', (self, args) => (arity('String', args, 0), formatTime(self.ms, DEFAULT_LAYOUT))],
  ['UTC', (self, args) => (arity('UTC', args, 0), self)],
  ['Add', (self, args) => new GoTime(self.ms + durationArgument('Add', args).ns / 1e6)],
  ['Sub', (self, args) => new GoDuration((self.ms - timeArgument('Sub', args).ms) * 1e6)],
  ['Before', (self, args) => self.ms < timeArgument('Before', args).ms],
  ['After', (self, args) => self.ms > timeArgument('After', args).ms],
  ['Equal', (self, args) => self.ms === timeArgument('Equal', args).ms],
]);

const scaled = (name: string, unit: number, whole: boolean): Method<GoDuration> => (self, args) => {
  arity(name, args, 0);
  return whole ? Math.trunc(self.ns / unit) : self.ns / unit;
};

const DURATION_METHODS: ReadonlyMap<string, Method<GoDuration>> = new Map<string, Method<GoDuration>>([
  ['Hours', scaled('Hours', 3600e9, false)],
  ['Minutes', scaled('Minutes', 60e9, false)],
  ['Seconds', scaled('Seconds', 1e9, false)],
  ['Milliseconds', scaled('Milliseconds', 1e6, true)],
  ['Microseconds', scaled('Microseconds', 1e3, true)],
  ['Nanoseconds', scaled('Nanoseconds', 1, true)],
  ['String', (self, args) => (arity('String', args, 0), formatDuration(self.ns))],
]);

export function callMethod(object: Value, name: string, args: Value[], context: CallContext): Value {
  if (object instanceof GoTime) {
    const method = TIME_METHODS.get(name);
    if (method) return method(object, args, context);
  } else if (object instanceof GoDuration) {
    const method = DURATION_METHODS.get(name);
    if (method) return method(object, args, context);
  }
  return fail(`${typeName(object)} has no method ${name}`);
}
