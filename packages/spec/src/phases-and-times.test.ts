import { describe, expect, it } from 'vitest';
import { argoTime } from './phases-and-times.js';

describe('argoTime', () => {
  it('writes RFC 3339 at second precision, dropping the milliseconds', () => {
    expect(argoTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z');
    expect(argoTime(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02T03:04:05Z');
    expect(argoTime(new Date('2026-01-02T03:04:06.001Z'))).toBe('2026-01-02T03:04:06Z');
    expect(argoTime(new Date('1969-12-31T23:59:59.500Z'))).toBe('1969-12-31T23:59:59Z');
  });

  it('writes now without an argument', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const written = Date.parse(argoTime());
    expect(written).toBeGreaterThanOrEqual(before);
    expect(written).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => argoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
