// The client-side token bucket: a burst goes at once, what follows waits its turn at the rate.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets a burst through at once, then spaces requests at qps, in the order asked', async () => {
    const limiter = new RateLimiter(10, 3);
    const start = Date.now();
    const order: number[] = [];
    const times = await Promise.all([0, 1, 2, 3, 4].map((index) => limiter.take().then(() => (order.push(index), Date.now() - start))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // The two beyond the burst wait a tenth of a second each, at the least.
    expect(times[3]).toBeGreaterThanOrEqual(95);
    expect(times[4]).toBeGreaterThanOrEqual(195);
  });

  it('refuses a rate that is no rate, naming both settings', () => {
    expect(() => new RateLimiter(0, 30)).toThrow('rate limit: qps must be above 0 and burst at least 1 (got qps 0, burst 30)');
  });
});
