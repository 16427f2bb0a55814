import { describe, expect, it } from 'vitest';
import { humanizeDuration, parseDuration } from './durations.js';

describe('durations', () => {
  it('reads bare numbers as seconds and Go durations by their units', () => {
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration(2)).toBe(2000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('ten')).toBeUndefined();
    expect(parseDuration('5 s')).toBeUndefined();
  });

  it('words durations as Argo does in messages', () => {
    expect(humanizeDuration(1000)).toBe('1 second');
    expect(humanizeDuration(2000)).toBe('2 seconds');
    expect(humanizeDuration(65_000)).toBe('1 minute 5 seconds');
  });
});
