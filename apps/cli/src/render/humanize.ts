// Times as `argo get` words them (argoproj/pkg/humanize over go-humanize's magnitude tables), so
// our durations and timestamps read exactly like Argo's.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;

/** go-humanize's `RelTimeMagnitude`: a span shorter than `below` prints `format`, `%d` being span / `unit`. */
type Magnitude = readonly [below: number, format: string, unit: number];

/** `RelativeDurationShort`: one unit, for the tree's DURATION column. */
const SHORT: readonly Magnitude[] = [
  [SECOND, '0s', SECOND],
  [2 * SECOND, '1s', 1],
  [MINUTE, '%ds', SECOND],
  [2 * MINUTE, '1m', 1],
  [HOUR, '%dm', MINUTE],
  [2 * HOUR, '1h', 1],
  [DAY, '%dh', HOUR],
  [2 * DAY, '1d', 1],
  [WEEK, '%dd', DAY],
];

/** `TruncatedDuration` and go-humanize's `Time` (which says `now` instead of `0 seconds`). */
const LONG: readonly Magnitude[] = [
  [SECOND, '0 seconds', SECOND],
  [2 * SECOND, '1 second', 1],
  [MINUTE, '%d seconds', SECOND],
  [2 * MINUTE, '1 minute', 1],
  [HOUR, '%d minutes', MINUTE],
  [2 * HOUR, '1 hour', 1],
  [DAY, '%d hours', HOUR],
  [2 * DAY, '1 day', 1],
  [WEEK, '%d days', DAY],
  [2 * WEEK, '1 week', 1],
  [MONTH, '%d weeks', WEEK],
  [2 * MONTH, '1 month', 1],
  [YEAR, '%d months', MONTH],
  [18 * MONTH, '1 year', 1],
  [2 * YEAR, '2 years', 1],
  [37 * YEAR, '%d years', YEAR],
  [Infinity, 'a long while', 1],
];

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** go-humanize's `CustomRelTime`: the first magnitude the span is shorter than, else the last. */
function phrase(ms: number, table: readonly Magnitude[]): string {
  const span = Math.abs(ms);
  const [, format, unit] = table.find(([below]) => span < below) ?? table[table.length - 1]!;
  return format.replace('%d', String(Math.floor(span / unit)));
}

/** The tree's and `argo list`'s duration: the largest unit only, truncated (`0s`, `59s`, `1m`, `2h`, `3d`). */
export function formatDuration(ms: number): string {
  return phrase(ms, SHORT);
}

/** The header's `Duration:`: the largest unit and the next one (`5 seconds`, `1 minute 3 seconds`). */
export function formatLongDuration(ms: number): string {
  if (ms < MINUTE) return phrase(ms, LONG);
  if (ms < HOUR) return `${phrase(ms, LONG)} ${Math.floor((ms % MINUTE) / SECOND)} seconds`;
  if (ms < DAY) return `${phrase(ms, LONG)} ${Math.floor((ms % HOUR) / MINUTE)} minutes`;
  return `${phrase(ms, LONG)} ${Math.floor((ms % DAY) / HOUR)} hours`;
}

/** The header's `Created:`/`Started:`/`Finished:`, in local time: `Tue Jun 02 16:04:21 +0000 (5 minutes ago)`. */
export function formatTimestamp(iso: string, now: Date): string {
  const t = new Date(iso);
  const offset = -t.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  return `${WEEKDAYS[t.getDay()]} ${MONTHS[t.getMonth()]} ${pad(t.getDate())} ${clock} ${zone} (${relativeTime(t, now)})`;
}

function relativeTime(then: Date, now: Date): string {
  const diff = now.getTime() - then.getTime();
  if (Math.abs(diff) < SECOND) return 'now';
  return `${phrase(diff, LONG)} ${diff < 0 ? 'from now' : 'ago'}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
