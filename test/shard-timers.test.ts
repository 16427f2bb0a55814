// Timers kept in Redis: due ones move onto the shard's event stream exactly once, later ones stay.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ShardTimers } from '@regatta/queue';
import { Keys } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const redis = new Redis(REDIS_URL);
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

describe('shard timers', () => {
  it('moves due timers onto the event stream once and keeps later ones', async () => {
    const keys = new Keys(prefix);
    const timers = new ShardTimers(redis, (shard) => keys.shard(shard));
    await timers.schedule(0, 'uid-a', { type: 'timerFired', nodeId: 'n1' }, 1_000);
    await timers.schedule(0, 'uid-a', { type: 'timerFired', nodeId: 'n1' }, 1_500);
    await timers.schedule(0, 'uid-b', { type: 'timerFired', nodeId: 'n2' }, 5_000);
    expect(await timers.promoteDue(0, 2_000)).toBe(1);
    expect(await timers.promoteDue(0, 2_000)).toBe(0);
    const entries = await redis.xrange(keys.shard(0).events, '-', '+');
    expect(entries.map(([, fields]) => [fields[1], JSON.parse(fields[3]!)])).toEqual([['uid-a', { type: 'timerFired', nodeId: 'n1' }]]);
    expect(await redis.zcard(keys.shard(0).timers)).toBe(1);
    expect(await timers.promoteDue(0, 5_000)).toBe(1);
    expect(await redis.zcard(keys.shard(0).timers)).toBe(0);
  });
});
