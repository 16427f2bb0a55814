// govaluate reads a quoted string that looks like a date as that instant, in Unix seconds, so
// `'2024-01-02' > '2024-01-01'` compares numbers. This is Go's time.Parse for the ISO 8601 and
// RFC 3339 layouts govaluate tries, in UTC (the zone Argo's controller runs in). govaluate also
// tries ANSIC, UnixDate, RubyDate and Kitchen; strings in those forms stay strings here.

const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const FRACTION = String.raw`(?:[.,]\d+)?`;

/** Each yields year, month, day, hour, minute, second and zone (empty where the layout has none). */
const LAYOUTS: readonly RegExp[] = [
  // 2006-01-02
  new RegExp(String.raw`^${DATE}()()()()$`),
  // 2006-01-02 15:04
  new RegExp(String.raw`^${DATE} (\d{1,2}):(\d{2})()()$`),
  // 2006-01-02 15:04:05 and 2006-01-02 15:04:05-07:00 (Go accepts a fraction after seconds)
  new RegExp(String.raw`^${DATE} (\d{1,2}):(\d{2}):(\d{2})${FRACTION}([+-]\d{2}:\d{2})?$`),
  // RFC 3339 (zone Z07:00) and ISO 8601 with seconds (zone Z0700)
  new RegExp(String.raw`^${DATE}T(\d{1,2}):(\d{2}):(\d{2})${FRACTION}(Z|[+-]\d{2}:?\d{2})$`),
  // ISO 8601 with minutes, then with the hour only (zone Z0700)
  new RegExp(String.raw`^${DATE}T(\d{1,2}):(\d{2})()(Z|[+-]\d{4})$`),
  new RegExp(String.raw`^${DATE}T(\d{1,2})()()(Z|[+-]\d{4})$`),
];

const SECONDS_PER_DAY = 86_400;

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Seconds east of UTC, or undefined where Go rejects the offset (hours over 24, minutes over 60). */
function zoneOffset(zone: string): number | undefined {
  if (zone === '' || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 24 || minutes > 60) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 3600 + minutes * 60);
}

/** Unix seconds of `text`, or undefined when it is not a date in one of the layouts. */
export function parseTimeLiteral(text: string): number | undefined {
  for (const layout of LAYOUTS) {
    const match = layout.exec(text);
    if (!match) continue;
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const offset = zoneOffset(match[7] ?? '');
    const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59;
    if (!valid || offset === undefined) return undefined;
    return daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
  }
  return undefined;
}
