import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isTransientRedisError } from './redis-errors.js';

const redis = () => new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0 });

describe('Redis errors', () => {
  it('that Redis replies for good are not transient: a wrong type, a script error', async () => {
    const client = redis();
    try {
      const failure = await client.eval('return redis.call("NOSUCHCOMMAND")', 0).catch((error: unknown) => error);
      expect(isTransientRedisError(failure)).toBe(false);
      expect(isTransientRedisError(new Error('ENOTDIR: not a directory'))).toBe(false);
    } finally {
      client.disconnect();
    }
  });

  it('from a connection that is gone, or a server that is loading or full, are transient', async () => {
    const client = redis();
    client.disconnect();
    const closed = await client.get('x').catch((error: unknown) => error);
    expect(isTransientRedisError(closed)).toBe(true);
    const loading = Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' });
    const full = Object.assign(new Error("OOM command not allowed when used memory > 'maxmemory'."), { name: 'ReplyError' });
    expect([loading, full].map(isTransientRedisError)).toEqual([true, true]);
    expect(isTransientRedisError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
