// A scheduler that finds its Redis data set gone (Redis restarted empty) says so loudly and stops
// owning shards, rather than recreating half the state.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('Redis data loss', () => {
  it('is detected by a running scheduler, which stops owning shards', async () => {
    const scheduler = startService(['scheduler'], prefix, { REGATTA_LEASE_MS: '600' });
    services.push(scheduler);
    await expect.poll(() => scheduler.output().includes('scheduler started'), { timeout: 10_000 }).toBe(true);
    const redis = new Redis(REDIS_URL);
    try {
      // What an empty restart looks like to Regatta: its keys are gone.
      await removePrefix(prefix);
      await expect.poll(() => scheduler.output(), { timeout: 5_000 }).toContain("Redis lost Regatta's data");
      // No shard lease comes back: the scheduler refuses to work on a data set it does not know.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await redis.keys(`${prefix}:{s*}:lease`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
