// Events due later (a retry's backoff, a suspend's duration, a deadline), kept per shard in a sorted
// set in Redis rather than in any process's memory, so a scheduler's crash loses none of them. The
// shard's owner moves due ones onto the shard's event stream, where they are applied like any other.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const PROMOTE_LUA = readFileSync(fileURLToPath(new URL('../lua/promoteTimers-2.lua', import.meta.url)), 'utf8');

export interface ShardTimerKeys {
  timers: string;
  events: string;
}

export class ShardTimers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: (shard: number) => ShardTimerKeys,
  ) {
    if (!('promoteTimers' in redis)) redis.defineCommand('promoteTimers', { numberOfKeys: 2, lua: PROMOTE_LUA });
  }

  /** The same event for the same workflow is one timer: scheduling it again only moves its time. */
  async schedule(shard: number, uid: string, event: unknown, dueMs: number): Promise<void> {
    await this.redis.zadd(this.keys(shard).timers, dueMs, JSON.stringify({ u: uid, e: event }));
  }

  /** Moves due timers onto the event stream; returns how many. */
  async promoteDue(shard: number, nowMs: number, limit = 1000): Promise<number> {
    const { timers, events } = this.keys(shard);
    const promote = (this.redis as unknown as { promoteTimers(a: string, b: string, now: number, limit: number): Promise<number> }).promoteTimers;
    return promote.call(this.redis, timers, events, nowMs, limit);
  }
}
