// Argo's loops: `withItems`, `withParam` (a JSON list) and `withSequence` expand one step or task into
// one node per item, named `<name>(<index>:<item>)`, with `{{item}}` and `{{item.<key>}}` substituted.
import type { LoopFields } from '@regatta/spec';
import { substituteJson, type ExpressionMode, type Lookup } from '@regatta/expr';

/** Expansions larger than this are refused: each item becomes a node. */
export const MAX_LOOP_ITEMS = 100_000;
/** A `withSequence` format's length and padding width: each of up to 100,000 items is one formatted
 * string, so `%0999999999d` or a megabyte of format text would take gigabytes. */
const MAX_SEQUENCE_FORMAT_LENGTH = 256;
const MAX_SEQUENCE_WIDTH = 64;

/** The items of a looped call; undefined when the call has no loop, a string when the loop is invalid. */
export function loopItems(call: LoopFields): unknown[] | undefined | string {
  if (call.withItems !== undefined) return limit(call.withItems);
  if (call.withParam !== undefined) {
    try {
      const parsed: unknown = JSON.parse(call.withParam);
      return Array.isArray(parsed) ? limit(parsed) : `withParam value is not a JSON list: ${call.withParam.slice(0, 200)}`;
    } catch {
      return `withParam value could not be parsed as a JSON list: ${call.withParam.slice(0, 200)}`;
    }
  }
  if (call.withSequence !== undefined) return sequence(call.withSequence);
  return undefined;
}

function limit(items: unknown[]): unknown[] | string {
  return items.length > MAX_LOOP_ITEMS ? `loop of ${items.length} items is over the limit of ${MAX_LOOP_ITEMS}` : items;
}

function sequence(spec: NonNullable<LoopFields['withSequence']>): unknown[] | string {
  const number = (value: string | number | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  const start = number(spec.start, 0);
  const count = spec.count === undefined ? undefined : number(spec.count, 0);
  const end = count === undefined ? number(spec.end, 0) : start + count - 1;
  if (![start, end].every(Number.isInteger) || (count !== undefined && (!Number.isInteger(count) || count < 0))) {
    return `withSequence needs integers, got ${JSON.stringify(spec)}`;
  }
  const length = count ?? Math.abs(end - start) + 1;
  if (length > MAX_LOOP_ITEMS) return `withSequence of ${length} items is over the limit of ${MAX_LOOP_ITEMS}`;
  const format = spec.format;
  if (format !== undefined && format.length > MAX_SEQUENCE_FORMAT_LENGTH) {
    return `withSequence format is ${format.length} characters long, over the limit of ${MAX_SEQUENCE_FORMAT_LENGTH}`;
  }
  const width = format === undefined ? undefined : VERB.exec(format)?.[2];
  if (width !== undefined && Number(width) > MAX_SEQUENCE_WIDTH) {
    return `withSequence format width ${width} is over the limit of ${MAX_SEQUENCE_WIDTH}`;
  }
  const step = end >= start ? 1 : -1;
  return Array.from({ length }, (_, i) => formatNumber(start + i * step, format));
}

/** The one verb Argo's format fills: flag, width and kind. */
const VERB = /%(0?)(\d*)([dxX])/;

/** printf-style `%d`, `%0Nd`, `%x` as Argo's format; the number as text otherwise. */
function formatNumber(value: number, format: string | undefined): string {
  if (!format) return String(value);
  return format.replace(VERB, (_, zero: string, width: string, verb: string) => {
    const text = verb === 'd' ? String(value) : value.toString(16)[verb === 'X' ? 'toUpperCase' : 'toLowerCase']();
    return text.padStart(Number(width || 0), zero ? '0' : ' ');
  });
}

/** The node name of one expansion: Argo's `name(index:item)` with parentheses removed from the item. */
export function expandedName(name: string, index: number, item: unknown): string {
  return `${name}(${index}:${describe(item).replace(/[()]/g, '')})`;
}

function describe(item: unknown): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    return Object.keys(item)
      .sort()
      .map((key) => `${key}:${describe((item as Record<string, unknown>)[key])}`)
      .join(',');
  }
  if (Array.isArray(item)) return `[${item.map(describe).join(' ')}]`;
  return String(item);
}

/** `{{item}}` and `{{item.key}}` in a call: strings as they are, anything else as JSON text. */
export function substituteItem<T>(value: T, item: unknown, scope: Lookup, mode: ExpressionMode): T {
  const itemLookup: Lookup = (key) => {
    if (key === 'item') return itemText(item);
    if (!key.startsWith('item.') || item === null || typeof item !== 'object') return undefined;
    let current: unknown = item;
    for (const part of key.slice(5).split('.')) {
      if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
    return itemText(current);
  };
  // Expression tags may mix the item with other names ({{=item.n + inputs.parameters.x}}).
  return substituteJson(value, (key) => itemLookup(key) ?? scope(key), mode);
}

function itemText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A loop call without its loop fields, for expansion. */
export function withoutLoop<T extends LoopFields>(call: T): T {
  const { withItems: _items, withParam: _param, withSequence: _sequence, ...rest } = call;
  return rest as T;
}
