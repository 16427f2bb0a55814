// encoding/json as Go's expr and Argo use it: Marshal with sorted keys, HTML-safe escapes and Go's
// float forms (Argo's `toJson`, sprig's toJson), MarshalIndent with two spaces (expr's `toJSON`), and
// Unmarshal into plain values (`fromJSON`, `jsonpath`, sprig's fromJson).
import type { Budget } from './budget.js';
import { fail } from './failure.js';
import { formatNumber } from './format.js';
import { RFC3339_NANO, formatTime } from './go-layout.js';
import { fromHost, GoDuration, GoTime, sortedKeys, type Value } from './values.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Control characters, the HTML-sensitive <, > and &, U+2028/U+2029, and lone surrogates (invalid
// UTF-8 to Go, which writes U+FFFD for them).
const SPECIAL = /["\\\u0000-\u001f<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function quoteJson(text: string): string {
  const escaped = text.replace(SPECIAL, (char) => {
    if (Object.hasOwn(ESCAPES, char)) return ESCAPES[char]!;
    if (char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdfff) return '\ufffd';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

function jsonNumber(value: number): string {
  if (!Number.isFinite(value)) fail(`json: unsupported value: ${formatNumber(value)}`);
  // JS and Go agree on the shortest digits and on when to switch to an exponent (1e-6, 1e21).
  return Object.is(value, -0) ? '-0' : String(value);
}

/** json.Marshal (indent '') or json.MarshalIndent(value, '', indent). */
export function marshal(value: Value, budget: Budget, indent = ''): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): void => {
    length += text.length;
    budget.length(length, 'JSON');
    parts.push(text);
  };
  const visit = (item: Value, depth: number): void => {
    budget.step();
    if (item === null) emit('null');
    else if (typeof item === 'boolean') emit(String(item));
    else if (typeof item === 'number') emit(jsonNumber(item));
    else if (typeof item === 'string') emit(quoteJson(item));
    else if (item instanceof GoTime) emit(quoteJson(formatTime(item.ms, RFC3339_NANO)));
    else if (item instanceof GoDuration) emit(String(item.ns));
    else {
      const keys = Array.isArray(item) ? undefined : sortedKeys(item);
      const count = keys ? keys.length : (item as Value[]).length;
      const [open, close] = keys ? ['{', '}'] : ['[', ']'];
      if (count === 0) return emit(open + close);
      const newline = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
      emit(open);
      for (let i = 0; i < count; i++) {
        emit((i > 0 ? ',' : '') + newline);
        if (keys) emit(`${quoteJson(keys[i]!)}:${indent === '' ? '' : ' '}`);
        visit(keys ? (item as Record<string, Value>)[keys[i]!]! : (item as Value[])[i]!, depth + 1);
      }
      emit((indent === '' ? '' : `\n${indent.repeat(depth)}`) + close);
    }
  };
  visit(value, 0);
  return parts.join('');
}

/** json.Unmarshal into any: numbers become floats (integral ones read back as ints here). */
export function unmarshal(text: string, budget: Budget, what: string): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`${what}: invalid JSON: ${(error as Error).message}`);
  }
  return fromHost(parsed, what, budget);
}
