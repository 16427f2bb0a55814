// The values a govaluate expression computes, as Go holds them (float64, string, bool, nil,
// []interface{}, *regexp.Regexp), and how Go's `%v` prints them: Argo's `when` messages and
// govaluate's string concatenation both go through `%v`.
import { CompiledPattern } from './regex.js';

export type Value = string | number | boolean | null | CompiledPattern | Value[];

/** strconv.FormatFloat(x, 'g', -1, 64): shortest digits, exponent form below 1e-4 or from 1e6. */
function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(x);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** fmt.Sprintf("%v", value). */
export function formatValue(value: Value): string {
  if (value === null) return '<nil>';
  if (typeof value === 'number') return formatFloat(value);
  if (value instanceof CompiledPattern) return value.source;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  return String(value);
}

/** reflect.DeepEqual, which `==` and `!=` use. */
export function deepEqual(left: Value, right: Value): boolean {
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => deepEqual(item, right[i]!));
  }
  if (left instanceof CompiledPattern && right instanceof CompiledPattern) return left.source === right.source;
  return left === right;
}

/** Go's `<` on strings compares UTF-8 bytes, which orders by code point (JS compares UTF-16 units). */
export function compareStrings(left: string, right: string): number {
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left.codePointAt(i)!;
    const b = right.codePointAt(j)!;
    if (a !== b) return a - b;
    i += a > 0xffff ? 2 : 1;
    j += b > 0xffff ? 2 : 1;
  }
  return (left.length - i) - (right.length - j);
}
