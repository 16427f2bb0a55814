// Go's strconv.ParseInt / ParseFloat as Argo's asInt and asFloat and expr's int and float read
// strings: strict syntax, errors worded as Go words them.
import { fail } from './failure.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INT = /^[+-]?\d+$/;
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/** strconv.ParseInt(text, 10, 64): the value, or Go's error text. */
export function parseInt64(text: string): { value: number } | { error: string } {
  if (!DECIMAL_INT.test(text)) return { error: `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax` };
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) return { error: `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range` };
  return { value: Number(value) };
}

/** strconv.ParseFloat(text, 64), decimal forms and inf/nan. */
export function parseFloat64(text: string): { value: number } | { error: string } {
  if (SPECIAL_FLOAT.test(text)) {
    const negative = text.startsWith('-');
    return { value: /nan/i.test(text) ? NaN : negative ? -Infinity : Infinity };
  }
  if (!DECIMAL_FLOAT.test(text)) return { error: `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range` };
  return { value };
}

/** The value, or a failure carrying Go's error text after `prefix`. */
export function orFail(result: { value: number } | { error: string }, prefix = ''): number {
  if ('error' in result) fail(prefix + result.error);
  return result.value;
}
