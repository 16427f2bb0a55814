import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLongDuration, formatTimestamp } from './humanize.js';
import { formatDuration } from './index.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatDuration (Argo’s RelativeDurationShort: the largest unit, truncated)', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [5 * s, '5s'],
    [59 * s + 999, '59s'],
    [1 * m + 3 * s, '1m'],
    [2 * m, '2m'],
    [59 * m + 59 * s, '59m'],
    [2 * h + 1 * m, '2h'],
    [23 * h, '23h'],
    [1 * d + 5 * h, '1d'],
    [3 * d, '3d'],
    [30 * d, '30d'],
    [-5 * s, '5s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatLongDuration (Argo’s humanize.Duration: two units)', () => {
  it.each([
    [0, '0 seconds'],
    [1 * s, '1 second'],
    [5 * s, '5 seconds'],
    [1 * m + 3 * s, '1 minute 3 seconds'],
    [5 * m, '5 minutes 0 seconds'],
    [1 * h + 30 * s, '1 hour 0 minutes'],
    [2 * h + 1 * m, '2 hours 1 minutes'],
    [1 * d + 2 * h, '1 day 2 hours'],
    [9 * d + 3 * h, '1 week 3 hours'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatLongDuration(ms)).toBe(text);
  });
});

describe('formatTimestamp (Argo’s humanize.Timestamp, in local time)', () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it.each([
    [0, 'now'],
    [1500, '1 second ago'],
    [5 * m + 10 * s, '5 minutes ago'],
    [3 * d, '3 days ago'],
    [-2 * h, '2 hours from now'],
  ])('%i ms later reads "%s"', (later, relative) => {
    const iso = '2020-06-02T16:04:21Z';
    const now = new Date(Date.parse(iso) + later);
    expect(formatTimestamp(iso, now)).toBe(`Tue Jun 02 12:04:21 -0400 (${relative})`);
  });
});
