// Workflow events on one Redis stream per shard, read in batches by the shard's owner through a
// consumer group: an entry is acknowledged (and deleted) only after its effects are stored. An entry
// holds one event or, from a busy worker, several: one XADD, read, ack and delete for many results.
// Events are the protocol's (@regatta/protocol), which encodes and decodes the entries: what does not
// decode comes back refused, for the reader to dead-letter.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { fnv1a32 } from '@regatta/spec';
import { decodeEntries, encodeBatch, encodeEntry, type DecodedEntries, type ShardEvent, type WorkflowEvent } from '@regatta/protocol';

export const CONSUMER_GROUP = 'schedulers';

const ENSURE_GROUP_LUA = readFileSync(fileURLToPath(new URL('../lua/ensureGroup-1.lua', import.meta.url)), 'utf8');

export function shardOf(uid: string, shards: number): number {
  return fnv1a32(uid) % shards;
}

export class ShardStreams {
  constructor(
    private readonly redis: Redis,
    private readonly streamKey: (shard: number) => string,
  ) {
    // Defined before first use: an auto-pipelined cluster client only knows commands defined up front.
    if (!('ensureGroup' in redis)) redis.defineCommand('ensureGroup', { numberOfKeys: 1, lua: ENSURE_GROUP_LUA });
  }

  async append(shard: number, uid: string, event: ShardEvent): Promise<void> {
    await this.redis.xadd(this.streamKey(shard), '*', ...encodeEntry(uid, event));
  }

  /** Several events in one entry, kept in order; they are read back as entries sharing its id. */
  async appendBatch(shard: number, events: readonly WorkflowEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.redis.xadd(this.streamKey(shard), '*', ...encodeBatch(events));
  }

  async ensureGroup(shard: number): Promise<void> {
    const ensureGroup = (this.redis as unknown as { ensureGroup(key: string, group: string): Promise<number> }).ensureGroup;
    await ensureGroup.call(this.redis, this.streamKey(shard), CONSUMER_GROUP);
  }

  /** New entries for this consumer; `connection` should be a dedicated one when blocking. */
  async read(connection: Redis, shard: number, consumer: string, count: number, blockMs: number): Promise<DecodedEntries> {
    const reply = (await connection.call(
      'XREADGROUP', 'GROUP', CONSUMER_GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs,
      'STREAMS', this.streamKey(shard), '>',
    )) as [string, [string, string[]][]][] | null;
    return decodeEntries(reply?.[0]?.[1] ?? [], () => 1);
  }

  /**
   * Takes over every entry delivered but not acknowledged, e.g. by a scheduler that died or by this
   * one's failed batch, with how often each has been delivered (XPENDING counts them).
   */
  async claimPending(shard: number, consumer: string): Promise<DecodedEntries> {
    const key = this.streamKey(shard);
    const claimed: DecodedEntries = { entries: [], refused: [] };
    let cursor = '0-0';
    do {
      const reply = (await this.redis.call('XAUTOCLAIM', key, CONSUMER_GROUP, consumer, 0, cursor, 'COUNT', 1000)) as [string, ([string, string[]] | null)[]];
      cursor = reply[0];
      const entries = reply[1].filter((e): e is [string, string[]] => e !== null);
      if (entries.length === 0) continue;
      const pending = (await this.redis.call(
        'XPENDING', key, CONSUMER_GROUP, entries[0]![0], entries.at(-1)![0], entries.length, consumer,
      )) as [string, string, number, number][];
      const deliveries = new Map(pending.map(([id, , , count]) => [id, count]));
      const decoded = decodeEntries(entries, (id) => deliveries.get(id) ?? 1);
      // Appended one by one: 1,000 entries of batched results can be more events than a call takes as arguments.
      for (const entry of decoded.entries) claimed.entries.push(entry);
      claimed.refused.push(...decoded.refused);
    } while (cursor !== '0-0');
    return claimed;
  }

  /** Acknowledges and deletes the entries of these events (a batched entry's id may come many times). */
  async ack(shard: number, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const key = this.streamKey(shard);
    const unique = [...new Set(ids)];
    await this.redis.pipeline().xack(key, CONSUMER_GROUP, ...unique).xdel(key, ...unique).exec();
  }
}
