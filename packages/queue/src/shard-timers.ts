// Events due later (a retry's backoff, a suspend's duration, a deadline), kept per shard in a sorted
// set in Redis rather than in any process's memory, so a scheduler's crash loses none of them. The
// shard's owner moves due ones onto the shard's event stream, where they are applied like any other.
// Each workflow's pending timers are also listed in an index beside the set (`<timers>:<uid>`, the
// same slot), kept in step by the scripts, so deleting a workflow removes its timers at once rather
// than leaving them in Redis until due (a TTL timer is days out).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { ShardEvent } from '@regatta/protocol';

const lua = (file: string) => readFileSync(fileURLToPath(new URL(`../lua/${file}`, import.meta.url)), 'utf8');
const SCHEDULE_LUA = lua('scheduleTimer-2.lua');
const PROMOTE_LUA = lua('promoteTimers-2.lua');

export interface ShardTimerKeys {
  timers: string;
  events: string;
}

/** A workflow's timer index; promoteTimers-2.lua derives the same name, and @regatta/store's Keys.timerIndex. */
const timerIndexKey = (timers: string, uid: string): string => `${timers}:${uid}`;

interface TimerCommands {
  scheduleTimer(timers: string, index: string, dueMs: number, member: string): Promise<number>;
  promoteTimers(timers: string, events: string, now: number, limit: number): Promise<number>;
}

export class ShardTimers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: (shard: number) => ShardTimerKeys,
  ) {
    if (!('scheduleTimer' in redis)) redis.defineCommand('scheduleTimer', { numberOfKeys: 2, lua: SCHEDULE_LUA });
    if (!('promoteTimers' in redis)) redis.defineCommand('promoteTimers', { numberOfKeys: 2, lua: PROMOTE_LUA });
  }

  private get commands(): TimerCommands {
    return this.redis as unknown as TimerCommands;
  }

  /** The same event for the same workflow is one timer: scheduling it again only moves its time. */
  async schedule(shard: number, uid: string, event: ShardEvent, dueMs: number): Promise<void> {
    const { timers } = this.keys(shard);
    await this.commands.scheduleTimer(timers, timerIndexKey(timers, uid), dueMs, JSON.stringify({ u: uid, e: event }));
  }

  /** Moves due timers onto the event stream; returns how many. */
  async promoteDue(shard: number, nowMs: number, limit = 1000): Promise<number> {
    const { timers, events } = this.keys(shard);
    return this.commands.promoteTimers(timers, events, nowMs, limit);
  }
}
