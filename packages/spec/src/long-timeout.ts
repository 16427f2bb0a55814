// Timers for delays of any length. Node fires a timer of more than 2^31-1 ms (24.8 days) after 1 ms,
// with only a warning: an activeDeadlineSeconds of 30 days would kill every pod at once. A long
// delay is waited out as a chain of timers no longer than that.

/** The longest delay one Node timer keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

/** Like setTimeout, for any delay in milliseconds. */
export function setLongTimeout(callback: () => void, ms: number): LongTimeout {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (left: number): void => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : callback()), Math.min(left, MAX_TIMER_MS));
  };
  arm(ms);
  return { clear: () => clearTimeout(timer) };
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function longDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      timeout.clear();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timeout = setLongTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
