// Go's strings, strconv and encoding/base64 behaviour that expr's and sprig's string functions
// inherit: Trim with a cutset, Split and SplitAfter with a limit, Replace with a count, Title,
// %q quoting and strict standard base64. Results are sized before they are built.
import type { Budget } from './budget.js';
import { fail } from './failure.js';

/** strings.Trim / TrimLeft / TrimRight: drops leading and trailing code points found in `cutset`. */
export function trimCutset(text: string, cutset: string, left = true, right = true): string {
  const chars = Array.from(text);
  const set = new Set(cutset);
  let start = 0;
  let end = chars.length;
  while (left && start < end && set.has(chars[start]!)) start++;
  while (right && end > start && set.has(chars[end - 1]!)) end--;
  return chars.slice(start, end).join('');
}

/** strings.SplitN (and SplitAfterN when `after`); `limit` < 0 means no limit, 0 gives nothing. */
export function split(text: string, separator: string, limit: number, after: boolean, budget: Budget): string[] {
  if (limit === 0) return [];
  if (separator === '') {
    const chars = Array.from(text);
    budget.step(chars.length);
    if (limit < 0 || limit >= chars.length) return chars;
    return [...chars.slice(0, limit - 1), chars.slice(limit - 1).join('')];
  }
  const parts: string[] = [];
  let rest = text;
  while (limit < 0 || parts.length < limit - 1) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    budget.step();
    parts.push(rest.slice(0, at + (after ? separator.length : 0)));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}

/** strings.Replace: the first `limit` occurrences (all when negative). An empty `old` matches
 * before every character and at the end. */
export function replace(text: string, old: string, replacement: string, limit: number, budget: Budget): string {
  if (old === replacement || limit === 0) return text;
  if (old === '') {
    const chars = Array.from(text);
    const count = limit < 0 || limit > chars.length + 1 ? chars.length + 1 : limit;
    budget.length(text.length + count * replacement.length, 'replace result');
    budget.step(count);
    let out = '';
    for (let i = 0; i < count; i++) out += (i > 0 ? chars[i - 1] : '') + replacement;
    return out + chars.slice(Math.max(count - 1, 0)).join('');
  }
  const positions: number[] = [];
  for (let at = text.indexOf(old); at >= 0 && (limit < 0 || positions.length < limit); at = text.indexOf(old, at + old.length)) {
    positions.push(at);
  }
  budget.step(positions.length);
  budget.length(text.length + positions.length * (replacement.length - old.length), 'replace result');
  let out = '';
  let copied = 0;
  for (const at of positions) {
    out += text.slice(copied, at) + replacement;
    copied = at + old.length;
  }
  return out + text.slice(copied);
}

/** strings.Repeat, refusing a negative count or a result over the length cap. */
export function repeat(text: string, count: number, budget: Budget): string {
  if (count < 0) fail(`negative repeat count ${count}`);
  budget.length(text.length * count, 'repeat result');
  return text.repeat(count);
}

/** strings.Join of strings, sized first. */
export function join(items: string[], separator: string, budget: Budget): string {
  budget.step(items.length);
  budget.length(items.reduce((total, item) => total + item.length, 0) + Math.max(items.length - 1, 0) * separator.length, 'join result');
  return items.join(separator);
}

/** Offsets in code points, as the string functions count characters. */
export function codePointIndex(text: string, unitIndex: number): number {
  return unitIndex < 0 ? -1 : Array.from(text.slice(0, unitIndex)).length;
}

/** strings.Title's word boundary: ASCII letters, digits and `_` join words, other ASCII separates;
 * beyond ASCII, letters and digits join and spaces separate. */
function isSeparator(char: string): boolean {
  if (char.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(char);
  return !/[\p{L}\p{Nd}]/u.test(char) && /\s/u.test(char);
}

/** strings.Title: upper-cases the first letter of each word. */
export function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const char of text) {
    out += isSeparator(previous) ? char.toUpperCase() : char;
    previous = char;
  }
  return out;
}

const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote (fmt's %q): Go escapes, non-printable characters as \x, \u or \U. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (Object.hasOwn(QUOTE_ESCAPES, char)) out += QUOTE_ESCAPES[char];
    else if (PRINTABLE.test(char)) out += char;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64.StdEncoding.EncodeToString of the UTF-8 bytes. */
export function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const group = (a << 16) | (b << 8) | c;
    const count = Math.min(bytes.length - i, 3) + 1;
    for (let k = 0; k < 4; k++) out += k < count ? ALPHABET[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

/** base64.StdEncoding.DecodeString as UTF-8 text: padding required, CR and LF ignored, and Go's
 * "illegal base64 data at input byte N" for anything else. */
export function fromBase64(text: string): string {
  const illegal = (at: number): never => fail(`illegal base64 data at input byte ${at}`);
  const bytes: number[] = [];
  let quantum: number[] = [];
  let quantumStart = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\r' || char === '\n') continue;
    if (padding > 0 && char !== '=') illegal(i);
    if (quantum.length === 0 && padding === 0) quantumStart = i;
    if (char === '=') {
      if (quantum.length < 2 || quantum.length + padding >= 4) illegal(i);
      padding++;
      continue;
    }
    const value = ALPHABET.indexOf(char);
    if (value < 0) illegal(i);
    quantum.push(value);
    if (quantum.length === 4) {
      const group = quantum.reduce((acc, digit) => (acc << 6) | digit, 0);
      bytes.push((group >> 16) & 255, (group >> 8) & 255, group & 255);
      quantum = [];
    }
  }
  if (quantum.length > 0) {
    if (quantum.length + padding !== 4) illegal(padding > 0 ? text.length : quantumStart);
    const group = quantum.reduce((acc, digit) => (acc << 6) | digit, 0) << (6 * padding);
    bytes.push(...[(group >> 16) & 255, (group >> 8) & 255, group & 255].slice(0, quantum.length - 1));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
