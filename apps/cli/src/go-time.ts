// Times written with a Go layout (`Mon, 02 Jan 2006 15:04:05 MST`), as Argo's flags take formats
// (`cron backfill --format`): the reference time's parts, in UTC.
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const TOKENS: Record<string, (t: Date) => string> = {
  '2006': (t) => String(t.getUTCFullYear()),
  January: (t) => MONTHS[t.getUTCMonth()]!,
  Monday: (t) => DAYS[t.getUTCDay()]!,
  'Z07:00': () => 'Z',
  '-07:00': () => '+00:00',
  '-0700': () => '+0000',
  Z0700: () => 'Z',
  Jan: (t) => MONTHS[t.getUTCMonth()]!.slice(0, 3),
  Mon: (t) => DAYS[t.getUTCDay()]!.slice(0, 3),
  MST: () => 'UTC',
  '.000': (t) => `.${pad(t.getUTCMilliseconds(), 3)}`,
  '06': (t) => pad(t.getUTCFullYear() % 100),
  '01': (t) => pad(t.getUTCMonth() + 1),
  '02': (t) => pad(t.getUTCDate()),
  _2: (t) => String(t.getUTCDate()).padStart(2, ' '),
  '15': (t) => pad(t.getUTCHours()),
  '03': (t) => pad(t.getUTCHours() % 12 || 12),
  '04': (t) => pad(t.getUTCMinutes()),
  '05': (t) => pad(t.getUTCSeconds()),
  PM: (t) => (t.getUTCHours() < 12 ? 'AM' : 'PM'),
  '1': (t) => String(t.getUTCMonth() + 1),
  '2': (t) => String(t.getUTCDate()),
  '3': (t) => String(t.getUTCHours() % 12 || 12),
  '4': (t) => String(t.getUTCMinutes()),
  '5': (t) => String(t.getUTCSeconds()),
};

// Longest first, as Go reads a layout: `2006` before `2`, `January` before `Jan`.
const PATTERN = new RegExp(
  Object.keys(TOKENS)
    .sort((a, b) => b.length - a.length)
    .map((token) => token.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
    .join('|'),
  'g',
);

export function formatGoTime(time: Date, layout: string): string {
  return layout.replace(PATTERN, (token) => TOKENS[token]!(time));
}
