// Workflow events on one Redis stream per shard, read in batches by the shard's owner through a
// consumer group: an entry is acknowledged (and deleted) only after its effects are stored. An entry
// holds one event ('u', 'e') or, from a busy worker, several ('b'): one XADD, read, ack and delete for
// many results.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { fnv1a32 } from '@regatta/spec';

export const CONSUMER_GROUP = 'schedulers';

const ENSURE_GROUP_LUA = readFileSync(fileURLToPath(new URL('../lua/ensureGroup-1.lua', import.meta.url)), 'utf8');

export interface ShardEntry {
  id: string;
  uid: string;
  event: unknown;
}

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

  async append(shard: number, uid: string, event: unknown): Promise<void> {
    await this.redis.xadd(this.streamKey(shard), '*', 'u', uid, 'e', JSON.stringify(event));
  }

  /** Several events in one entry, kept in order; they are read back as entries sharing its id. */
  async appendBatch(shard: number, events: { uid: string; event: unknown }[]): Promise<void> {
    if (events.length === 0) return;
    const batch: BatchedEvent[] = events.map(({ uid, event }) => [uid, event]);
    await this.redis.xadd(this.streamKey(shard), '*', 'b', JSON.stringify(batch));
  }

  async ensureGroup(shard: number): Promise<void> {
    const ensureGroup = (this.redis as unknown as { ensureGroup(key: string, group: string): Promise<number> }).ensureGroup;
    await ensureGroup.call(this.redis, this.streamKey(shard), CONSUMER_GROUP);
  }

  /** New entries for this consumer; `connection` should be a dedicated one when blocking. */
  async read(connection: Redis, shard: number, consumer: string, count: number, blockMs: number): Promise<ShardEntry[]> {
    const reply = (await connection.call(
      'XREADGROUP', 'GROUP', CONSUMER_GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs,
      'STREAMS', this.streamKey(shard), '>',
    )) as [string, [string, string[]][]][] | null;
    return decode(reply?.[0]?.[1] ?? []);
  }

  /** Takes over every entry delivered but not acknowledged, e.g. by a scheduler that died. */
  async claimPending(shard: number, consumer: string): Promise<ShardEntry[]> {
    const claimed: ShardEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = (await this.redis.call(
        'XAUTOCLAIM', this.streamKey(shard), CONSUMER_GROUP, consumer, 0, cursor, 'COUNT', 1000,
      )) as [string, ([string, string[]] | null)[]];
      cursor = reply[0];
      // Appended one by one: 1,000 entries of batched results can be more events than a call takes as arguments.
      for (const entry of decode(reply[1].filter((e): e is [string, string[]] => e !== null))) claimed.push(entry);
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

type BatchedEvent = [uid: string, event: unknown];

function decode(entries: [string, string[]][]): ShardEntry[] {
  const decoded: ShardEntry[] = [];
  for (const [id, fields] of entries) {
    if (fields[0] === 'b') {
      for (const [uid, event] of JSON.parse(fields[1] ?? '[]') as BatchedEvent[]) decoded.push({ id, uid, event });
    } else {
      decoded.push({ id, uid: fields[1] ?? '', event: JSON.parse(fields[3] ?? 'null') as unknown });
    }
  }
  return decoded;
}
