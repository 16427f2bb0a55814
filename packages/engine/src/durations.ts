// Argo's durations in retry backoffs, suspends and deadlines: a bare number is seconds, anything
// else a Go duration such as `1m30s`, `500ms` or `2h`.

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is neither seconds nor a Go duration. */
export function parseDuration(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^-?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const [, amount, , unit] of text.replace(/^-/, '').matchAll(/(\d+(\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * UNITS[unit!]!;
  }
  return text.startsWith('-') ? -total : total;
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
