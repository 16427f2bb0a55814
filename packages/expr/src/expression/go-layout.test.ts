import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, formatTime, parseTime, RFC3339_NANO } from './go-layout.js';

const instant = Date.UTC(2024, 1, 5, 15, 4, 5, 120);

describe('Time.Format', () => {
  it.each([
    ['2006-01-02T15:04:05Z07:00', '2024-02-05T15:04:05Z'],
    ['Mon Jan _2 3:04PM', 'Mon Feb  5 3:04PM'],
    ['Monday, January 2, 2006', 'Monday, February 5, 2024'],
    ['06/1/2 03:4:5 pm -0700 MST', '24/2/5 03:4:5 pm +0000 UTC'],
    ['15:04:05.000', '15:04:05.120'],
    ['15:04:05.999', '15:04:05.12'],
    ['002 __2', '036  36'],
    ['_2006', '_2024'],
  ])('formats %s', (layout, text) => {
    expect(formatTime(instant, layout)).toBe(text);
  });

  it('prints times as fmt %v and RFC 3339 with fractions trimmed', () => {
    expect(formatTime(instant, DEFAULT_LAYOUT)).toBe('2024-02-05 15:04:05.12 +0000 UTC');
    expect(formatTime(Date.UTC(2024, 0, 1), RFC3339_NANO)).toBe('2024-01-01T00:00:00Z');
  });
});

describe('time.Parse', () => {
  it.each([
    ['2006-01-02', '2024-02-05', Date.UTC(2024, 1, 5)],
    ['2006-01-02T15:04:05Z07:00', '2024-02-05T15:04:05+02:00', Date.UTC(2024, 1, 5, 13, 4, 5)],
    ['2006-01-02 15:04:05', '2024-02-05 15:04:05.25', Date.UTC(2024, 1, 5, 15, 4, 5, 250)],
    ['Jan 2 2006 3:04 PM', 'feb 5 2024 3:04 PM', Date.UTC(2024, 1, 5, 15, 4)],
    ['02/01/06', '05/02/24', Date.UTC(2024, 1, 5)],
  ])('reads %s', (layout, text, ms) => {
    expect(parseTime(layout, text)).toBe(ms);
  });

  it.each([
    ['2006-01-02', '2024-02-30'],
    ['2006-01-02', '2024-2-05'],
    ['2006-01-02', '2024-02-05x'],
    ['15:04', '24:00'],
  ])('refuses %s for %s', (layout, text) => {
    expect(parseTime(layout, text)).toBeUndefined();
  });
});
