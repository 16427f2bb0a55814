// Argo's durations in retry backoffs, suspends, deadlines and memo ages: a bare number is seconds,
// anything else a Go duration such as `1m30s`, `500ms` or `2h` (parsed as Go does, by @regatta/expr).
import { parseGoDuration } from '@regatta/expr';

/** Milliseconds, or undefined when the text is neither seconds nor a Go duration. */
export function parseDuration(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  try {
    return parseGoDuration(text) / 1e6;
  } catch {
    return undefined;
  }
}

/** Argo's humanized durations in node messages: `2 seconds`, `1 minute 5 seconds`. */
export function humanizeDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const parts: string[] = [];
  const add = (count: number, unit: string) => {
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
  };
  add(Math.floor(seconds / 3600), 'hour');
  add(Math.floor((seconds % 3600) / 60), 'minute');
  add(seconds % 60, 'second');
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}
