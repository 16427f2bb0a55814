// Go's time.ParseDuration and Duration.String, for expr's `duration()` and for printing durations:
// only Go's units (ns, us/µs, ms, s, m, h), with a sign and fractions, as Argo users write them.
import { fail } from './failure.js';

const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const MAX_NANOS = 2 ** 63 - 1;
const PART = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/** Nanoseconds of a Go duration string such as `1h30m` or `-1.5s`. */
export function parseDuration(text: string): number {
  const invalid = (): never => fail(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') invalid();
  let total = 0;
  while (rest !== '') {
    const match = PART.exec(rest)!;
    const [whole, digits = '', fraction = '', unit = ''] = match;
    if (digits === '' && fraction === '') invalid();
    if (unit === '') fail(`time: missing unit in duration ${JSON.stringify(text)}`);
    const scale = Object.hasOwn(UNITS, unit) ? UNITS[unit]! : fail(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    total += Number(`${digits || '0'}.${fraction || '0'}`) * scale;
    if (total > MAX_NANOS) invalid();
    rest = rest.slice(whole.length);
  }
  return sign * Math.trunc(total);
}

/** `value` scaled down by 10^digits, as Go prints it: no trailing zeros, no point when whole. */
function scaled(value: number, digits: number): string {
  const unit = 10 ** digits;
  const fraction = String(value % unit).padStart(digits, '0').replace(/0+$/, '');
  return String(Math.floor(value / unit)) + (fraction === '' ? '' : `.${fraction}`);
}

/** Duration.String: `1h0m0s`, `1m30s`, `1.5s`, `150ms`, `0s`. */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  const value = Math.abs(nanos);
  if (value < 1e3) return `${sign}${value}ns`;
  if (value < 1e6) return `${sign}${scaled(value, 3)}µs`;
  if (value < 1e9) return `${sign}${scaled(value, 6)}ms`;
  const minutes = Math.floor(value / 60e9);
  const seconds = `${scaled(value % 60e9, 9)}s`;
  if (minutes === 0) return sign + seconds;
  const hours = Math.floor(minutes / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ''}${minutes % 60}m${seconds}`;
}
