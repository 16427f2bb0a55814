// Timers kept in Redis: due ones move onto the shard's event stream exactly once, later ones stay,
// and a deleted workflow's pending ones go with it.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ShardTimers } from '@regatta/queue';
import { Keys, WorkflowStore } from '@regatta/store';
import type { Workflow } from '@regatta/spec';
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

  it("lists each workflow's pending timers in its index until they are promoted", async () => {
    const keys = new Keys(prefix);
    const timers = new ShardTimers(redis, (shard) => keys.shard(shard));
    const early = { type: 'timerFired', nodeId: 'n1' } as const;
    const late = { type: 'ttlExpired' } as const;
    await timers.schedule(1, 'uid-c', early, 1_000);
    await timers.schedule(1, 'uid-c', early, 1_500);
    await timers.schedule(1, 'uid-c', late, 9_000);
    const index = keys.timerIndex(1, 'uid-c');
    expect((await redis.smembers(index)).map((member) => JSON.parse(member)).sort((a, b) => a.e.type.localeCompare(b.e.type))).toEqual([
      { u: 'uid-c', e: early },
      { u: 'uid-c', e: late },
    ]);
    expect(await timers.promoteDue(1, 2_000)).toBe(1);
    expect((await redis.smembers(index)).map((member) => JSON.parse(member))).toEqual([{ u: 'uid-c', e: late }]);
    expect(await timers.promoteDue(1, 9_000)).toBe(1);
    expect(await redis.exists(index)).toBe(0);
  });

  it("deleting a workflow removes its pending timers and their index, and no other workflow's", async () => {
    const store = new WorkflowStore(redis, prefix);
    const keys = store.keys;
    const timers = new ShardTimers(redis, (shard) => keys.shard(shard));
    const workflow = (name: string): Workflow => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { entrypoint: 'main', templates: [] } });
    await store.create(workflow('gone'), 2);
    await store.create(workflow('stays'), 2);
    await timers.schedule(2, 'uid-gone', { type: 'ttlExpired' }, 604_800_000);
    await timers.schedule(2, 'uid-gone', { type: 'timerFired', nodeId: 'n1' }, 3_600_000);
    await timers.schedule(2, 'uid-stays', { type: 'ttlExpired' }, 604_800_000);
    expect(await store.delete('default', 'gone')).toBe(true);
    expect((await redis.zrange(keys.shard(2).timers, 0, -1)).map((member) => JSON.parse(member))).toEqual([{ u: 'uid-stays', e: { type: 'ttlExpired' } }]);
    expect(await redis.exists(keys.timerIndex(2, 'uid-gone'))).toBe(0);
    expect(await redis.scard(keys.timerIndex(2, 'uid-stays'))).toBe(1);
  });
});
