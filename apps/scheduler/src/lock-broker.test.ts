// The lock broker on real Redis with a recording shard writer: grants told even when their event could
// not be written, and a sweep that drops dead waiters, skips unreadable entries and never runs twice
// at once.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ShardStreams } from '@regatta/queue';
import { Keys, LockStore, ResourceStore, type LockHolder } from '@regatta/store';
import { createLogger } from '@regatta/telemetry';
import { LockBroker } from './lock-broker.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
const logger = createLogger('lock-broker-test', { level: 'silent' });

afterAll(async () => {
  for (const prefix of prefixes) {
    await removePrefix(prefix);
  }
  redis.disconnect();
});

/** Events appended per workflow; `failNext` makes the next append throw, as a lost connection would. */
class RecordingStreams {
  readonly events: { uid: string; event: unknown }[] = [];
  failNext = false;

  async append(_shard: number, uid: string, event: unknown): Promise<void> {
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost');
    }
    this.events.push({ uid, event });
  }

  granted(): string[] {
    return this.events.filter(({ event }) => (event as { type: string }).type === 'locksAcquired').map(({ uid, event }) => {
      const { nodeId } = event as { nodeId?: string };
      return nodeId === undefined ? uid : `${uid}/${nodeId}`;
    });
  }
}

function setUp(retellAfterMs?: number) {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const streams = new RecordingStreams();
  const broker = new LockBroker(redis, prefix, streams as unknown as ShardStreams, logger, retellAfterMs);
  const keys = new Keys(prefix);
  /** A stored workflow in this phase, with its nodes' phases: what the sweep reads to tell the living. */
  const workflow = async (uid: string, phase: string, nodes: Record<string, string> = {}) => {
    await redis.hset(keys.workflow(uid).record, 'status', JSON.stringify({ phase }));
    for (const [id, nodePhase] of Object.entries(nodes)) await redis.hset(keys.workflow(uid).nodes, id, JSON.stringify({ id, phase: nodePhase }));
  };
  return { prefix, streams, broker, keys, workflow, locks: new LockStore(redis, prefix) };
}

const holder = (uid: string, nodeId?: string): LockHolder => ({ uid, shard: 0, ...(nodeId && { nodeId }) });
const mutex = (name: string) => [{ name: `default/Mutex/${name}` }];
const CREATED = '2026-01-01T00:00:00Z';

describe('lock broker', () => {
  it('tells a granted waiter at the next sweep when the event of its grant could not be written', async () => {
    const { streams, broker, workflow } = setUp(0);
    await workflow('a', 'Running');
    await workflow('b', 'Running', { n: 'Pending' });
    await broker.acquire(holder('a'), mutex('gate'), 0, CREATED);
    await broker.acquire(holder('b', 'n'), mutex('gate'), 0, CREATED);
    streams.failNext = true;
    await expect(broker.release(holder('a'), mutex('gate'))).rejects.toThrow('connection lost');
    expect(streams.granted()).toEqual(['a']);
    // The first retelling fails too: the sweep goes on, and the next one tells.
    streams.failNext = true;
    await broker.sweep();
    expect(streams.granted()).toEqual(['a']);
    await broker.sweep();
    expect(streams.granted()).toEqual(['a', 'b/n']);
    // Told once it was written: the next sweep has nothing left to tell.
    await broker.sweep();
    expect(streams.granted()).toEqual(['a', 'b/n']);
  });

  it('drops waiters whose workflow was deleted or ended, and keeps the living in order', async () => {
    const { broker, workflow, locks } = setUp();
    await workflow('holder', 'Running');
    await workflow('ended', 'Failed');
    await workflow('node', 'Running', { stopped: 'Failed', waiting: 'Pending' });
    await workflow('later', 'Pending');
    await broker.acquire(holder('holder'), mutex('queue'), 0, CREATED);
    await broker.acquire(holder('deleted'), mutex('queue'), 5, CREATED);
    await broker.acquire(holder('ended'), mutex('queue'), 4, CREATED);
    await broker.acquire(holder('node', 'stopped'), mutex('queue'), 3, CREATED);
    await broker.acquire(holder('node', 'waiting'), mutex('queue'), 2, CREATED);
    await broker.acquire(holder('later'), mutex('queue'), 1, CREATED);
    await broker.sweep();
    expect(await locks.waiting('default/Mutex/queue')).toEqual(['node/waiting', 'later']);
    expect(await locks.holders('default/Mutex/queue')).toEqual([holder('holder')]);
  });

  it('gives back the locks of a dead waiter that also waits for another lock', async () => {
    const { broker, workflow, locks } = setUp();
    await workflow('busy', 'Running');
    await broker.acquire(holder('busy'), mutex('first'), 0, CREATED);
    await broker.acquire(holder('gone'), [...mutex('first'), ...mutex('second')], 0, CREATED);
    await broker.sweep();
    expect(await locks.waiting('default/Mutex/first')).toEqual([]);
    expect(await locks.lockNames()).toEqual(['default/Mutex/first']);
  });

  it('skips and removes unreadable holders and waiters, and sweeps every other lock', async () => {
    const { broker, keys, workflow, locks, streams } = setUp();
    const warn = vi.spyOn(logger, 'warn');
    const { base, names, requests } = keys.locks;
    await redis.hset(`${base}:holders:default/Mutex/garbled`, 'x', '{not json', 'y', JSON.stringify({ uid: 'other', shard: 0 }));
    await redis.sadd(names, 'default/Mutex/garbled');
    // A readable holder whose workflow record cannot be read is left alone.
    await redis.hset(keys.workflow('odd').record, 'status', '{');
    await broker.acquire(holder('odd'), mutex('odd'), 0, CREATED);
    // A lock held by a deleted workflow, with a living waiter behind an unreadable one.
    await workflow('next', 'Pending');
    await broker.acquire(holder('deleted'), mutex('after'), 0, CREATED);
    await broker.acquire(holder('bad'), mutex('after'), 2, CREATED);
    await broker.acquire(holder('next'), mutex('after'), 1, CREATED);
    await redis.hset(requests, 'bad', JSON.stringify({ locks: ['default/Mutex/after'], meta: 'nonsense' }));
    await broker.sweep();
    expect(await locks.held('default/Mutex/garbled')).toEqual([]);
    expect(await locks.holders('default/Mutex/odd')).toEqual([holder('odd')]);
    expect(await locks.holders('default/Mutex/after')).toEqual([holder('next')]);
    expect(streams.granted()).toEqual(['odd', 'deleted', 'next']);
    expect((await locks.lockNames()).sort()).toEqual(['default/Mutex/after', 'default/Mutex/odd']);
    // The waiter first in line for `after` is unreadable: granted by the release, its grant is dropped
    // (it cannot be told), then the waiter is removed.
    expect(warn.mock.calls.map(([, message]) => message as string).sort()).toEqual([
      'lock holder state unreadable, left alone',
      'unreadable lock grant dropped',
      'unreadable lock holder or waiter removed',
      'unreadable lock holder or waiter removed',
      'unreadable lock holder or waiter removed',
    ]);
    warn.mockRestore();
  });

  it('runs one sweep at a time: a sweep asked for meanwhile joins the running one', async () => {
    const { broker } = setUp();
    const smembers = vi.spyOn(redis, 'smembers');
    await Promise.all([broker.sweep(), broker.sweep(), broker.sweep()]);
    expect(smembers).toHaveBeenCalledTimes(1);
    await broker.sweep();
    expect(smembers).toHaveBeenCalledTimes(2);
    smembers.mockRestore();
  });

  it('grants and tells a waiter once when two schedulers sweep at the same time', async () => {
    const { prefix, streams, broker, workflow, locks } = setUp();
    const other = new RecordingStreams();
    const otherRedis = new Redis(REDIS_URL);
    const second = new LockBroker(otherRedis, prefix, other as unknown as ShardStreams, logger);
    await workflow('w1', 'Pending');
    await workflow('w2', 'Pending');
    const semaphore = [{ name: 'default/ConfigMap/c/k', configMap: { namespace: 'default', name: 'c', key: 'k' } }];
    await new ResourceStore(redis, prefix).apply('ConfigMap', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: '1' } }]);
    // `dead` holds the semaphore of 1 and its workflow is gone; both sweeps see it.
    await broker.acquire(holder('dead'), semaphore, 0, CREATED);
    await broker.acquire(holder('w1'), semaphore, 1, CREATED);
    await broker.acquire(holder('w2'), semaphore, 0, CREATED);
    await Promise.all([broker.sweep(), second.sweep()]);
    expect([...streams.granted(), ...other.granted()].sort()).toEqual(['dead', 'w1']);
    expect(await locks.holders('default/ConfigMap/c/k')).toEqual([holder('w1')]);
    otherRedis.disconnect();
  });

  it('gives a semaphore of 0 back without letting a waiter in', async () => {
    const { prefix, streams, broker, workflow, locks } = setUp();
    const semaphore = [{ name: 'default/ConfigMap/zero/k', configMap: { namespace: 'default', name: 'zero', key: 'k' } }];
    const config = (k: string) => ({ apiVersion: 'v1' as const, kind: 'ConfigMap' as const, metadata: { name: 'zero', namespace: 'default' }, data: { k } });
    const resources = new ResourceStore(redis, prefix);
    await workflow('first', 'Running');
    await workflow('second', 'Pending');
    await resources.apply('ConfigMap', [config('1')]);
    await broker.acquire(holder('first'), semaphore, 0, CREATED);
    await resources.apply('ConfigMap', [config('0')]);
    await broker.acquire(holder('second'), semaphore, 0, CREATED);
    await broker.release(holder('first'), semaphore);
    expect(streams.granted()).toEqual(['first']);
    expect(await locks.waiting('default/ConfigMap/zero/k')).toEqual(['second']);
  });
});
