// Shard event streams: an entry holds one event or a batch of them; a batch reads back as events in
// order sharing the entry's id, is taken over whole from a dead consumer, and one ack removes it.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { DeadLetters, ShardStreams, type ShardEvent } from '@regatta/queue';
import { Keys } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const redis = new Redis(REDIS_URL);
const reader = new Redis(REDIS_URL);
const keys = new Keys(prefix);
const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
  reader.disconnect();
});

const finished = (nodeId: string): ShardEvent => ({ type: 'nodeFinished', nodeId, attempt: 0, phase: 'Succeeded' });

describe('shard streams', () => {
  it('reads a batched entry back as its events, in order, between single ones', async () => {
    await streams.ensureGroup(1);
    await streams.append(1, 'uid-a', finished('a1'));
    await streams.appendBatch(1, [
      { uid: 'uid-a', event: finished('a2') },
      { uid: 'uid-b', event: finished('b1') },
    ]);
    await streams.append(1, 'uid-b', finished('b2'));
    const { entries } = await streams.read(reader, 1, 'consumer-1', 10, 100);
    expect(entries.map(({ uid, event }) => [uid, (event as { nodeId: string }).nodeId])).toEqual([
      ['uid-a', 'a1'],
      ['uid-a', 'a2'],
      ['uid-b', 'b1'],
      ['uid-b', 'b2'],
    ]);
    expect(entries[1]!.id).toBe(entries[2]!.id);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3);
    await streams.ack(1, entries.map((e) => e.id));
    expect(await redis.xlen(keys.shard(1).events)).toBe(0);
    expect(await redis.xpending(keys.shard(1).events, 'schedulers')).toEqual([0, null, null, null]);
  });

  it('hands a dead consumer’s batched entry to the next one whole', async () => {
    await streams.ensureGroup(2);
    await streams.appendBatch(2, [
      { uid: 'uid-c', event: finished('c1') },
      { uid: 'uid-c', event: finished('c2') },
    ]);
    const taken = await streams.read(reader, 2, 'dead-consumer', 10, 100);
    expect(taken.entries).toHaveLength(2);
    const { entries: claimed } = await streams.claimPending(2, 'next-consumer');
    // Read once by the dead consumer, now claimed: its second delivery.
    expect(claimed.map((e) => e.deliveries)).toEqual([2, 2]);
    expect(claimed.map((e) => (e.event as { nodeId: string }).nodeId)).toEqual(['c1', 'c2']);
    await streams.ack(2, claimed.map((e) => e.id));
    expect(await redis.xlen(keys.shard(2).events)).toBe(0);
  });

  it('hands over 150,000 pending events, more than a call takes as arguments', async () => {
    await streams.ensureGroup(4);
    for (let entry = 0; entry < 150; entry++) {
      await streams.appendBatch(4, Array.from({ length: 1_000 }, (_, i) => ({ uid: 'uid-d', event: finished(`d${entry * 1_000 + i}`) })));
    }
    expect((await streams.read(reader, 4, 'dead-consumer', 150, 100)).entries).toHaveLength(150_000);
    const { entries: claimed } = await streams.claimPending(4, 'next-consumer');
    expect(claimed).toHaveLength(150_000);
    expect((claimed.at(-1)!.event as { nodeId: string }).nodeId).toBe('d149999');
    await streams.ack(4, claimed.map((e) => e.id));
    expect(await redis.xlen(keys.shard(4).events)).toBe(0);
  });

  it('refuses entries that do not decode, keeping the events of a batch that do, and dead-letters them', async () => {
    const stream = keys.shard(5).events;
    await streams.ensureGroup(5);
    await redis.xadd(stream, '*', 'u', 'uid-e', 'e', '{not json');
    await redis.xadd(stream, '*', 'u', 'uid-e', 'e', JSON.stringify({ type: 'nodeFinished', nodeId: 'e1', attempt: 0, phase: 'Exploded' }));
    await redis.xadd(stream, '*', 'x', 'y');
    await redis.xadd(stream, '*', 'b', JSON.stringify([['uid-e', finished('e2')], ['', finished('e3')], ['uid-e', { type: 'noSuchEvent' }]]));
    const { entries, refused } = await streams.read(reader, 5, 'consumer-1', 10, 100);
    expect(entries.map((e) => (e.event as { nodeId: string }).nodeId)).toEqual(['e2']);
    expect(refused.map(({ whole, reason }) => [whole, reason])).toEqual([
      [true, 'field e is not JSON'],
      [true, 'event phase: Invalid option: expected one of "Succeeded"|"Failed"|"Error"'],
      [true, 'no workflow uid'],
      [false, 'no workflow uid'],
      [false, expect.stringMatching(/^event type: Invalid discriminator value/)],
    ]);
    expect(refused[2]!.content).toBe('{"x":"y"}');

    const dead = new DeadLetters(redis, (shard) => keys.shard(shard));
    await dead.add(5, refused, refused.filter((r) => r.whole).map((r) => r.id));
    expect((await redis.xrange(keys.shard(5).dead, '-', '+')).map(([, fields]) => fields[3])).toEqual(refused.map((r) => r.reason));
    // The batch with a good event stays pending until its batch is acknowledged.
    expect((await redis.xpending(stream, 'schedulers')).slice(0, 3)).toEqual([1, entries[0]!.id, entries[0]!.id]);
    expect(await redis.xlen(stream)).toBe(1);
  });

  it('writes nothing for an empty batch', async () => {
    await streams.appendBatch(3, []);
    expect(await redis.exists(keys.shard(3).events)).toBe(0);
  });
});
