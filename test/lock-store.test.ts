// The lock script on real Redis: all-or-nothing, order of waiters, grants on release, idempotence, and
// grants kept as untold until their holders were told.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Keys, LockStore, type LockGrants } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
// Its own prefix for the test that reads every untold grant.
const quiet = uniquePrefix();
const redis = new Redis(REDIS_URL);
const locks = new LockStore(redis, prefix);
afterAll(async () => {
  await removePrefix(prefix);
  await removePrefix(quiet);
  redis.disconnect();
});

const holder = (uid: string, nodeId?: string) => ({ uid, shard: 0, ...(nodeId && { nodeId }) });
const holders = (grants: LockGrants) => grants.entries.map((entry) => JSON.parse(entry) as unknown);
const untold = async () => (await redis.zrange(new Keys(quiet).locks.untold, 0, -1)).map((entry) => JSON.parse(entry) as unknown);
const mutex = { name: 'default/Mutex/m', limit: 1 };
const semaphore = (limit: number) => ({ name: 'default/ConfigMap/c/k', limit });

describe('lock store', () => {
  it('grants a mutex to one holder, queues the next and hands over on release', async () => {
    const first = await locks.acquire(holder('a'), [mutex], 1);
    expect([first.acquired, holders(first.grants)]).toEqual([true, [holder('a')]]);
    expect((await locks.acquire(holder('a'), [mutex], 1)).acquired).toBe(true);
    const second = await locks.acquire(holder('b', 'n1'), [mutex], 2);
    expect([second.acquired, holders(second.grants)]).toEqual([false, []]);
    expect(await locks.waiting(mutex.name)).toEqual(['b/n1']);
    expect(holders(await locks.release(holder('a'), [mutex]))).toEqual([holder('b', 'n1')]);
    expect(await locks.holders(mutex.name)).toEqual([holder('b', 'n1')]);
    expect(holders(await locks.release(holder('b', 'n1'), [mutex]))).toEqual([]);
    expect(holders(await locks.release(holder('b', 'n1'), [mutex]))).toEqual([]);
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
    expect(holders(await locks.release(holder('s1'), [semaphore(2)]))).toEqual([holder('early')]);
    expect(holders(await locks.release(holder('x'), [other]))).toEqual([]);
    expect(holders(await locks.release(holder('s2'), [semaphore(2)]))).toEqual([holder('y')]);
    expect((await locks.holders(other.name)).map((h) => h.uid)).toEqual(['y']);
  });

  it('grants waiters when a semaphore limit is raised', async () => {
    const sem = { name: 'default/ConfigMap/c/raised', limit: 1 };
    await locks.acquire(holder('p'), [sem], 1);
    await locks.acquire(holder('q'), [sem], 2);
    expect(holders(await locks.wake([{ ...sem, limit: 2 }]))).toEqual([holder('q')]);
  });

  it('keeps the recorded limit when a release cannot say it, so a semaphore of 0 lets nobody in', async () => {
    const sem = { name: 'default/ConfigMap/c/zero', limit: 1 };
    await locks.acquire(holder('z1'), [sem], 1);
    await locks.acquire(holder('z2'), [{ ...sem, limit: 0 }], 2);
    expect(holders(await locks.release(holder('z1'), [{ name: sem.name }]))).toEqual([]);
    expect(await locks.waiting(sem.name)).toEqual(['z2']);
    await locks.release(holder('z2'), [{ name: sem.name }]);
  });

  it('keeps every grant as untold until its holder was told, and forgets it when the holder lets go', async () => {
    const locks = new LockStore(redis, quiet);
    const gate = { name: 'default/Mutex/untold', limit: 1 };
    const taken = await locks.acquire(holder('u1'), [gate], 1);
    await locks.acquire(holder('u2', 'n'), [gate], 2);
    expect(await untold()).toEqual([holder('u1')]);
    await locks.told(taken.grants);
    expect(await untold()).toEqual([]);
    // u1 gives the mutex back; u2 is granted but, as after a crash, never told.
    const granted = await locks.release(holder('u1'), [gate]);
    expect(await untold()).toEqual([holder('u2', 'n')]);
    // Not yet due for a retelling; then due at once, and taken by one claim only.
    expect(holders(await locks.untold(60_000))).toEqual([]);
    // Stamps are Redis's milliseconds: a claim in the grant's own millisecond would restamp it alike
    // (a sweep claims only grants seconds old, so it never does).
    await new Promise((resolve) => setTimeout(resolve, 5));
    const retold = await locks.untold(0);
    expect(holders(retold)).toEqual([holder('u2', 'n')]);
    expect(holders(await locks.untold(60_000))).toEqual([]);
    // The first teller's stamp is stale now: only the sweep that took the grant forgets it.
    await locks.told(granted);
    expect(await untold()).toEqual([holder('u2', 'n')]);
    await locks.told(retold);
    expect(await untold()).toEqual([]);
    // A grant given back before it was told is forgotten with it.
    await locks.acquire(holder('u3'), [gate], 3);
    await locks.release(holder('u2', 'n'), [gate]);
    expect(await untold()).toEqual([holder('u3')]);
    await locks.release(holder('u3'), [gate]);
    expect(await untold()).toEqual([]);
  });

  it('drops a waiter whose request cannot be read, instead of failing every grant of its lock', async () => {
    const gate = { name: 'default/Mutex/garbled', limit: 1 };
    const { requests } = new Keys(prefix).locks;
    await locks.acquire(holder('g1'), [gate], 1);
    await locks.acquire(holder('g2'), [gate], 2);
    await locks.acquire(holder('g3'), [gate], 3);
    await redis.hset(requests, 'g2', '{not json');
    expect(holders(await locks.release(holder('g1'), [gate]))).toEqual([holder('g3')]);
    expect(await locks.waiting(gate.name)).toEqual([]);
    expect(await redis.hexists(requests, 'g2')).toBe(0);
    await locks.release(holder('g3'), [gate]);
  });
});
