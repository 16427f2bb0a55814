// The lock script on real Redis: all-or-nothing, order of waiters, grants on release, idempotence.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { LockStore } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const redis = new Redis(REDIS_URL);
const locks = new LockStore(redis, prefix);
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

const holder = (uid: string, nodeId?: string) => ({ uid, shard: 0, ...(nodeId && { nodeId }) });
const mutex = { name: 'default/Mutex/m', limit: 1 };
const semaphore = (limit: number) => ({ name: 'default/ConfigMap/c/k', limit });

describe('lock store', () => {
  it('grants a mutex to one holder, queues the next and hands over on release', async () => {
    expect(await locks.acquire(holder('a'), [mutex], 1)).toEqual({ acquired: true, granted: [] });
    expect((await locks.acquire(holder('a'), [mutex], 1)).acquired).toBe(true);
    expect((await locks.acquire(holder('b', 'n1'), [mutex], 2)).acquired).toBe(false);
    expect(await locks.waiting(mutex.name)).toEqual(['b/n1']);
    expect(await locks.release(holder('a'), [mutex])).toEqual([holder('b', 'n1')]);
    expect(await locks.holders(mutex.name)).toEqual([holder('b', 'n1')]);
    expect(await locks.release(holder('b', 'n1'), [mutex])).toEqual([]);
    expect(await locks.release(holder('b', 'n1'), [mutex])).toEqual([]);
    expect(await locks.lockNames()).not.toContain(mutex.name);
  });

  it('takes several locks all or none, and grants waiters by score, passing over a blocked one', async () => {
    const other = { name: 'default/Mutex/other', limit: 1 };
    await locks.acquire(holder('x'), [other], 1);
    expect((await locks.acquire(holder('y'), [semaphore(2), other], 1)).acquired).toBe(false);
    expect(await locks.holders(semaphore(2).name)).toEqual([]);
    await locks.acquire(holder('s1'), [semaphore(2)], 1);
    await locks.acquire(holder('s2'), [semaphore(2)], 2);
    expect((await locks.acquire(holder('late'), [semaphore(2)], 9)).acquired).toBe(false);
    expect((await locks.acquire(holder('early'), [semaphore(2)], 3)).acquired).toBe(false);
    // y (score 1) is first in line but still blocked by `other`: early goes ahead of late.
    expect(await locks.release(holder('s1'), [semaphore(2)])).toEqual([holder('early')]);
    expect(await locks.release(holder('x'), [other])).toEqual([]);
    expect(await locks.release(holder('s2'), [semaphore(2)])).toEqual([holder('y')]);
    expect((await locks.holders(other.name)).map((h) => h.uid)).toEqual(['y']);
  });

  it('grants waiters when a semaphore limit is raised', async () => {
    const sem = { name: 'default/ConfigMap/c/raised', limit: 1 };
    await locks.acquire(holder('p'), [sem], 1);
    await locks.acquire(holder('q'), [sem], 2);
    expect(await locks.wake([{ ...sem, limit: 2 }])).toEqual([holder('q')]);
  });
});
