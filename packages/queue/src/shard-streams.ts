// Workflow events on one Redis stream per shard, read in batches by the shard's owner through a
// consumer group: an entry is acknowledged (and deleted) only after its effects are stored.
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
      claimed.push(...decode(reply[1].filter((entry): entry is [string, string[]] => entry !== null)));
    } while (cursor !== '0-0');
    return claimed;
  }

  async ack(shard: number, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const key = this.streamKey(shard);
    await this.redis.pipeline().xack(key, CONSUMER_GROUP, ...ids).xdel(key, ...ids).exec();
  }
}

function decode(entries: [string, string[]][]): ShardEntry[] {
  return entries.map(([id, fields]) => ({ id, uid: fields[1] ?? '', event: JSON.parse(fields[3] ?? 'null') as unknown }));
}
