// Argo's cron schedules (robfig/cron's ParseStandard): five fields, the descriptors @yearly … @hourly,
// `@every <Go duration>` and a `CRON_TZ=`/`TZ=` prefix, read in a time zone. cron-parser does the
// calendar arithmetic; this wrapper refuses what robfig refuses (six fields, `L`, `W`, `#`) and keeps
// robfig's rules where cron-parser differs: a wall time skipped by a spring-forward change is not run,
// and `@every` ticks are whole multiples of the interval since the Unix epoch, so that every scheduler
// computes the same ticks (robfig counts from when the job was added, which differs per process).
import { CronExpressionParser, type CronExpression } from 'cron-parser';

export interface CronSchedule {
  /** The latest tick at or before `ms` (Unix milliseconds). */
  latestAtOrBefore(ms: number): number | undefined;
  /** The first tick after `ms`. */
  nextAfter(ms: number): number | undefined;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Searching past a skipped wall time gives up after this many candidates (a schedule that never runs). */
const MAX_SKIPS = 1000;

export class CronScheduleError extends Error {}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

/** Parses one schedule; throws CronScheduleError saying what is wrong. `timezone` absent: the process's zone. */
export function parseCronSchedule(text: string, timezone?: string): CronSchedule {
  let expression = text.trim();
  let zone = timezone;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(expression);
  if (prefix) {
    zone = prefix[1]!;
    expression = expression.slice(prefix[0].length);
  }
  if (zone !== undefined && !isTimeZone(zone)) throw new CronScheduleError(`unknown time zone "${zone}"`);
  if (expression.startsWith('@every')) return everySchedule(expression.slice('@every'.length).trim());
  if (expression.startsWith('@')) {
    const standard = DESCRIPTORS[expression];
    if (!standard) throw new CronScheduleError(`unrecognized descriptor "${expression}"`);
    expression = standard;
  }
  checkFields(expression);
  let parsed: CronExpression;
  try {
    parsed = CronExpressionParser.parse(expression, { ...(zone !== undefined && { tz: zone }), currentDate: new Date(0) });
  } catch (error) {
    throw new CronScheduleError((error as Error).message);
  }
  return calendarSchedule(expression, zone, parsed);
}

function checkFields(expression: string): void {
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) throw new CronScheduleError(`expected exactly 5 fields, found ${fields.length}: "${expression}"`);
  for (const field of fields) {
    for (const atom of field.split(/[,/-]/)) {
      if (!(atom === '*' || atom === '?' || /^\d+$/.test(atom) || NAMES.test(atom))) {
        throw new CronScheduleError(`failed to parse "${atom}" in "${field}": expected a number, a name, * or ?`);
      }
    }
  }
}

function everySchedule(duration: string): CronSchedule {
  if (!GO_DURATION.test(duration)) throw new CronScheduleError(`failed to parse duration @every ${duration}: expected a Go duration such as 1m or 1h30m`);
  let ms = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  // As robfig: whole seconds, at least one.
  const step = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return {
    latestAtOrBefore: (at) => Math.floor(at / step) * step,
    nextAfter: (at) => (Math.floor(at / step) + 1) * step,
  };
}

function calendarSchedule(expression: string, zone: string | undefined, parsed: CronExpression): CronSchedule {
  const hours = new Set<number>(parsed.fields.hour.values as number[]);
  const minutes = new Set<number>(parsed.fields.minute.values as number[]);
  const wall = wallClock(zone);
  // cron-parser moves a wall time that a spring-forward change skips to the next hour; robfig skips it.
  const exists = (ms: number) => {
    const { hour, minute } = wall(ms);
    return hours.has(hour) && minutes.has(minute);
  };
  const walk = (from: number, direction: 'next' | 'prev'): number | undefined => {
    const iterator = CronExpressionParser.parse(expression, { ...(zone !== undefined && { tz: zone }), currentDate: new Date(from) });
    for (let i = 0; i < MAX_SKIPS; i++) {
      let tick: number;
      try {
        tick = (direction === 'next' ? iterator.next() : iterator.prev()).getTime();
      } catch {
        return undefined; // out of range: no more ticks
      }
      if (exists(tick)) return tick;
    }
    return undefined;
  };
  return {
    // Ticks fall on whole minutes; prev() answers strictly before its start, so start just after `at`'s second.
    latestAtOrBefore: (at) => walk(Math.floor(at / 1000) * 1000 + 1000, 'prev'),
    nextAfter: (at) => walk(at, 'next'),
  };
}

function wallClock(zone: string | undefined): (ms: number) => { hour: number; minute: number } {
  if (zone === undefined) {
    return (ms) => {
      const date = new Date(ms);
      return { hour: date.getHours(), minute: date.getMinutes() };
    };
  }
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
  return (ms) => {
    const parts = format.formatToParts(new Date(ms));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
    return { hour: part('hour'), minute: part('minute') };
  };
}
