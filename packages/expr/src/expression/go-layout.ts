// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for Time.Format, sprig's `date` and
// sprig's `toDate`. Times are in UTC, the zone Argo's controller runs in, so zone elements print
// UTC and parsed offsets are folded into the instant. Times are kept to the millisecond.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Layout elements in the order Go's nextStdChunk tries them at one position. */
const ELEMENTS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '002', '01', '02', '03', '04', '05', '06', '15', '1', '2006', '2', '__2', '_2',
  '3', '4', '5', 'PM', 'pm', '-070000', '-07:00:00', '-0700', '-07:00', '-07', 'Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07',
] as const;

type Named = (typeof ELEMENTS)[number];
/** A fractional second: `.000` prints exactly that many digits, `.999` drops trailing zeros. */
interface Fraction {
  readonly separator: string;
  readonly digits: number;
  readonly exact: boolean;
}
type Chunk = { literal: string } | { element: Named } | Fraction;

const FRACTION = /[.,](0+|9+)(?!\d)/y;

function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let literal = '';
  for (let i = 0; i < layout.length; ) {
    FRACTION.lastIndex = i;
    const fraction = FRACTION.exec(layout);
    // `_2006` is a literal underscore before the year, not `_2` followed by `006`.
    const element = fraction || layout.startsWith('_2006', i) ? undefined : ELEMENTS.find((name) => layout.startsWith(name, i));
    if (!fraction && element === undefined) {
      literal += layout[i];
      i++;
      continue;
    }
    if (literal !== '') out.push({ literal });
    literal = '';
    if (fraction) {
      const digits = fraction[1]!;
      out.push({ separator: fraction[0][0]!, digits: digits.length, exact: digits[0] === '0' });
      i += fraction[0].length;
    } else {
      out.push({ element: element! });
      i += element!.length;
    }
  }
  if (literal !== '') out.push({ literal });
  return out;
}

const pad = (value: number, width: number, fill = '0'): string => String(value).padStart(width, fill);

function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

function formatElement(name: Named, date: Date): string {
  const hour = date.getUTCHours();
  switch (name) {
    case 'January':
      return MONTHS[date.getUTCMonth()]!;
    case 'Jan':
      return MONTHS[date.getUTCMonth()]!.slice(0, 3);
    case 'Monday':
      return DAYS[date.getUTCDay()]!;
    case 'Mon':
      return DAYS[date.getUTCDay()]!.slice(0, 3);
    case 'MST':
      return 'UTC';
    case '002':
      return pad(dayOfYear(date), 3);
    case '__2':
      return pad(dayOfYear(date), 3, ' ');
    case '01':
      return pad(date.getUTCMonth() + 1, 2);
    case '1':
      return String(date.getUTCMonth() + 1);
    case '02':
      return pad(date.getUTCDate(), 2);
    case '2':
      return String(date.getUTCDate());
    case '_2':
      return pad(date.getUTCDate(), 2, ' ');
    case '2006':
      return pad(date.getUTCFullYear(), 4);
    case '06':
      return pad(date.getUTCFullYear() % 100, 2);
    case '15':
      return pad(hour, 2);
    case '03':
      return pad(hour % 12 || 12, 2);
    case '3':
      return String(hour % 12 || 12);
    case '04':
      return pad(date.getUTCMinutes(), 2);
    case '4':
      return String(date.getUTCMinutes());
    case '05':
      return pad(date.getUTCSeconds(), 2);
    case '5':
      return String(date.getUTCSeconds());
    case 'PM':
      return hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return hour >= 12 ? 'pm' : 'am';
    default:
      // Zone offsets: UTC prints `Z` in the Z forms and zeros in the others.
      return name.startsWith('Z') ? 'Z' : name.replace('-', '+').replace(/\d/g, '0');
  }
}

function formatFraction(fraction: Fraction, ms: number): string {
  const digits = pad(ms, 3).padEnd(9, '0').slice(0, fraction.digits).padEnd(fraction.digits, '0');
  if (fraction.exact) return fraction.separator + digits;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? '' : fraction.separator + trimmed;
}

/** Time.Format in UTC. */
export function formatTime(ms: number, layout: string): string {
  const date = new Date(ms);
  return chunks(layout)
    .map((chunk) => {
      if ('literal' in chunk) return chunk.literal;
      if ('element' in chunk) return formatElement(chunk.element, date);
      return formatFraction(chunk, date.getUTCMilliseconds());
    })
    .join('');
}

/** How fmt's %v prints a time.Time. */
export const DEFAULT_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

interface Fields {
  year: number;
  month: number;
  day: number;
  yearDay?: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  offsetSeconds: number;
  meridiem?: 'AM' | 'PM';
}

/** Reads a time from `value` as `layout` describes it, as Go's time.Parse; undefined when it does
 * not match (sprig's toDate then gives the zero time). */
export function parseTime(layout: string, value: string): number | undefined {
  const fields: Fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offsetSeconds: 0 };
  let rest = value;
  const number = (min: number, max: number, fixed: boolean): number | undefined => {
    const match = (fixed ? /^\d{2}/ : /^\d{1,2}/).exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    const parsed = Number(match[0]);
    return parsed >= min && parsed <= max ? parsed : undefined;
  };
  const seconds = (digits: string): number => Math.floor(Number(`0.${digits}`) * 1000);
  const list = chunks(layout);
  for (let i = 0; i < list.length; i++) {
    const chunk = list[i]!;
    if ('literal' in chunk) {
      if (!rest.startsWith(chunk.literal)) return undefined;
      rest = rest.slice(chunk.literal.length);
    } else if ('element' in chunk) {
      const read = readElement(chunk.element, fields, () => rest, (next) => (rest = next), number);
      if (!read) return undefined;
      // Go accepts a fraction after the seconds even where the layout has none.
      const next = list[i + 1];
      const fraction = /^[.,](\d+)/.exec(rest);
      if ((chunk.element === '05' || chunk.element === '5') && fraction && !(next && 'separator' in next)) {
        fields.ms = seconds(fraction[1]!);
        rest = rest.slice(fraction[0].length);
      }
    } else {
      const match = (chunk.exact ? new RegExp(`^[.,](\\d{${chunk.digits}})`) : /^[.,](\d+)/).exec(rest);
      if (match) {
        fields.ms = seconds(match[1]!);
        rest = rest.slice(match[0].length);
      } else if (chunk.exact) {
        return undefined;
      }
    }
  }
  return rest === '' ? instant(fields) : undefined;
}

type NumberReader = (min: number, max: number, fixed: boolean) => number | undefined;

function readName(names: readonly string[], length: number | undefined, rest: string): [number, number] | undefined {
  const index = names.findIndex((name) => {
    const candidate = length === undefined ? name : name.slice(0, length);
    return rest.slice(0, candidate.length).toLowerCase() === candidate.toLowerCase();
  });
  if (index < 0) return undefined;
  return [index, length ?? names[index]!.length];
}

function readElement(name: Named, fields: Fields, rest: () => string, advance: (next: string) => void, number: NumberReader): boolean {
  const set = (value: number | undefined, apply: (value: number) => void): boolean => {
    if (value === undefined) return false;
    apply(value);
    return true;
  };
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest());
    if (match) advance(rest().slice(match[0].length));
    return match?.[0];
  };
  switch (name) {
    case 'January':
    case 'Jan': {
      const found = readName(MONTHS, name === 'Jan' ? 3 : undefined, rest());
      if (found) advance(rest().slice(found[1]));
      return set(found?.[0], (month) => (fields.month = month + 1));
    }
    case 'Monday':
    case 'Mon': {
      const found = readName(DAYS, name === 'Mon' ? 3 : undefined, rest());
      if (found) advance(rest().slice(found[1]));
      return found !== undefined;
    }
    case 'MST':
      return take(/^(?:[A-Z]{3,5}|GMT[+-]\d{1,2})/) !== undefined;
    case '002':
    case '__2': {
      if (name === '__2') take(/^ {1,2}/);
      const digits = take(name === '002' ? /^\d{3}/ : /^\d{1,3}/);
      return set(digits === undefined ? undefined : Number(digits), (day) => (fields.yearDay = day));
    }
    case '01':
    case '1':
      return set(number(1, 12, name === '01'), (month) => (fields.month = month));
    case '_2':
      take(/^ /);
      return set(number(1, 31, false), (day) => (fields.day = day));
    case '02':
    case '2':
      return set(number(1, 31, name === '02'), (day) => (fields.day = day));
    case '2006': {
      const digits = take(/^\d{4}/);
      return set(digits === undefined ? undefined : Number(digits), (year) => (fields.year = year));
    }
    case '06': {
      const digits = take(/^\d{2}/);
      return set(digits === undefined ? undefined : Number(digits), (year) => (fields.year = year >= 69 ? 1900 + year : 2000 + year));
    }
    case '15':
      return set(number(0, 23, false), (hour) => (fields.hour = hour));
    case '03':
    case '3':
      return set(number(1, 12, name === '03'), (hour) => (fields.hour = hour));
    case '04':
    case '4':
      return set(number(0, 59, name === '04'), (minute) => (fields.minute = minute));
    case '05':
    case '5':
      return set(number(0, 59, name === '05'), (second) => (fields.second = second));
    case 'PM':
    case 'pm': {
      const text = take(name === 'PM' ? /^(?:AM|PM)/ : /^(?:am|pm)/);
      if (text !== undefined) fields.meridiem = text.toUpperCase() as 'AM' | 'PM';
      return text !== undefined;
    }
    default:
      return readOffset(name, fields, take);
  }
}

function readOffset(name: Named, fields: Fields, take: (pattern: RegExp) => string | undefined): boolean {
  if (name.startsWith('Z') && take(/^Z/) !== undefined) {
    fields.offsetSeconds = 0;
    return true;
  }
  const shape = name.slice(1).replace(/\d/g, '\\d');
  const text = take(new RegExp(`^[+-]${shape}`));
  if (text === undefined) return false;
  const [hours = 0, minutes = 0, seconds = 0] = (text.slice(1).match(/\d\d/g) ?? []).map(Number);
  fields.offsetSeconds = (text[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
  return true;
}

function instant(fields: Fields): number | undefined {
  let { hour } = fields;
  if (fields.meridiem === 'PM' && hour < 12) hour += 12;
  if (fields.meridiem === 'AM' && hour === 12) hour = 0;
  const date = new Date(0);
  if (fields.yearDay !== undefined) {
    date.setUTCFullYear(fields.year, 0, fields.yearDay);
    if (date.getUTCFullYear() !== fields.year) return undefined;
  } else {
    date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
    // Go refuses 31 April rather than rolling into May.
    if (date.getUTCDate() !== fields.day) return undefined;
  }
  date.setUTCHours(hour, fields.minute, fields.second, fields.ms);
  return date.getTime() - fields.offsetSeconds * 1000;
}
