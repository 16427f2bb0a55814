// Delays longer than one Node timer keeps (24.8 days) must still wait their full length.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { longDelay, MAX_TIMER_MS, setLongTimeout } from './long-timeout.js';

const DAY_MS = 24 * 3600 * 1000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('setLongTimeout', () => {
  it('fires a 30-day timer after 30 days, not at once as a plain setTimeout does', () => {
    const fired = vi.fn();
    setLongTimeout(fired, 30 * DAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * DAY_MS - MAX_TIMER_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('fires a short timer on time', () => {
    const fired = vi.fn();
    setLongTimeout(fired, 1500);
    vi.advanceTimersByTime(1499);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('never fires once cleared, in any link of the chain', () => {
    const fired = vi.fn();
    const timeout = setLongTimeout(fired, 3 * MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS + 5);
    timeout.clear();
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe('longDelay', () => {
  it('resolves after a delay past the limit of one timer', async () => {
    let done = false;
    void longDelay(MAX_TIMER_MS + 1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(true);
  });

  it('resolves as soon as its signal aborts, and at once when it had already', async () => {
    const controller = new AbortController();
    let done = false;
    void longDelay(40 * DAY_MS, controller.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(done).toBe(false);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await expect(longDelay(DAY_MS, controller.signal)).resolves.toBeUndefined();
  });
});
