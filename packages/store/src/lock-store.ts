// Semaphores and mutexes in Redis (Argo's synchronization): one Lua script takes or queues all of a
// holder's locks at once, and a release grants the next waiters in the same step. The store answers
// who was granted; telling them (an event on their workflow's shard) is the caller's job.
import type { Redis } from 'ioredis';
import { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface LockLimit {
  name: string;
  limit: number;
}

/** Who holds or waits: a workflow (no node) or one node of it, and the shard its events go to. */
export interface LockHolder {
  uid: string;
  shard: number;
  nodeId?: string;
}

export interface HeldLock {
  lock: string;
  holder: LockHolder;
}

export class LockStore {
  private readonly keys: Keys;
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    this.script = registerScripts(redis);
  }

  static holderId(holder: LockHolder): string {
    return holder.nodeId === undefined ? holder.uid : `${holder.uid}/${holder.nodeId}`;
  }

  /** Takes every lock or none; when none, the holder waits in order of `score` (lower first). */
  async acquire(holder: LockHolder, locks: LockLimit[], score: number): Promise<{ acquired: boolean; granted: LockHolder[] }> {
    const reply = await this.run('acquire', [LockStore.holderId(holder), JSON.stringify(holder), score], locks);
    return { acquired: reply[0] === 1, granted: decode(reply) };
  }

  /** Gives back a holder's locks (or its place in line) and returns the waiters granted in its place. */
  async release(holder: LockHolder, locks: LockLimit[]): Promise<LockHolder[]> {
    return decode(await this.run('release', [LockStore.holderId(holder)], locks));
  }

  /** Grants waiters that fit now, e.g. after a semaphore's limit was raised. */
  async wake(locks: LockLimit[]): Promise<LockHolder[]> {
    return decode(await this.run('wake', [], locks));
  }

  async lockNames(): Promise<string[]> {
    return this.redis.smembers(this.keys.locks.names);
  }

  async holders(lock: string): Promise<LockHolder[]> {
    return Object.values(await this.redis.hgetall(`${this.keys.locks.base}:holders:${lock}`)).map((json) => JSON.parse(json) as LockHolder);
  }

  async waiting(lock: string): Promise<string[]> {
    return this.redis.zrange(`${this.keys.locks.base}:waiters:${lock}`, 0, -1);
  }

  private async run(mode: string, args: (string | number)[], locks: LockLimit[]): Promise<unknown[]> {
    const { requests, names, base } = this.keys.locks;
    const pairs = locks.flatMap(({ name, limit }) => [name, limit]);
    return (await this.script('locks', [requests, names], [base, mode, ...args, ...pairs])) as unknown[];
  }
}

function decode(reply: unknown[]): LockHolder[] {
  return reply.slice(1).map((meta) => JSON.parse(String(meta)) as LockHolder);
}
