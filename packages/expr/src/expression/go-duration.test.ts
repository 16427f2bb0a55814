import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './go-duration.js';

describe('time.ParseDuration', () => {
  it.each([
    ['0', 0],
    ['1h30m', 5400e9],
    ['-1.5s', -1.5e9],
    ['+2m', 120e9],
    ['300ms', 300e6],
    ['1us', 1e3],
    ['1µs', 1e3],
    ['.5h', 1800e9],
    ['1h1m1s1ms1us1ns', 3661001001001],
  ])('reads %s', (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['h', 'time: invalid duration "h"'],
    ['.s', 'time: invalid duration ".s"'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('Duration.String', () => {
  it.each([
    [0, '0s'],
    [1, '1ns'],
    [1500, '1.5µs'],
    [1.5e6, '1.5ms'],
    [1.5e9, '1.5s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [-5400.5e9, '-1h30m0.5s'],
  ])('prints %d as %s', (nanos, text) => {
    expect(formatDuration(nanos)).toBe(text);
  });
});
