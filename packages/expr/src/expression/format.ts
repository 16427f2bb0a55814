// fmt.Sprintf("%v", value) as Go prints expr values: Argo's `string()`, sprig's toString and cat,
// and every value shown in an error message.
import { formatValue } from '../go-value.js';
import { Budget } from './budget.js';
import { formatDuration } from './go-duration.js';
import { DEFAULT_LAYOUT, formatTime } from './go-layout.js';
import { GoDuration, GoTime, isInt, sortedKeys, typeName, type Value } from './values.js';

/** An int prints in decimal; a float as Go's %v does (shortest digits, exponent from 1e21). */
export function formatNumber(value: number): string {
  return isInt(value) ? String(value) : formatValue(value);
}

/** %v of `value`, refusing to build a string over the budget's length cap. */
export function formatGo(value: Value, budget: Budget): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): void => {
    length += text.length;
    budget.length(length, 'formatted value');
    parts.push(text);
  };
  const visit = (item: Value): void => {
    budget.step();
    if (item === null) emit('<nil>');
    else if (typeof item === 'number') emit(formatNumber(item));
    else if (typeof item === 'string' || typeof item === 'boolean') emit(String(item));
    else if (item instanceof GoTime) emit(formatTime(item.ms, DEFAULT_LAYOUT));
    else if (item instanceof GoDuration) emit(formatDuration(item.ns));
    else if (Array.isArray(item)) {
      emit('[');
      item.forEach((element, i) => {
        if (i > 0) emit(' ');
        visit(element);
      });
      emit(']');
    } else {
      emit('map[');
      sortedKeys(item).forEach((key, i) => {
        emit(`${i > 0 ? ' ' : ''}${key}:`);
        visit(item[key]!);
      });
      emit(']');
    }
  };
  visit(value);
  return parts.join('');
}

const EXCERPT = 60;

/** A short rendering for error messages: strings quoted, long values cut. It has a small budget of
 * its own, so describing a huge value neither fails nor spends the evaluation's steps. */
export function describe(value: Value): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value.slice(0, EXCERPT + 1)) : formatGo(value, new Budget(EXCERPT * 4));
  } catch {
    return `a large ${typeName(value)}`;
  }
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}
