// Uids of ended workflows not yet in the workflow archive: a sorted set scored by when to look at each
// next. A uid is marked before the transition that ends its workflow is stored, and settled only once
// the archive's row is committed, so a crash between the two loses no workflow (see the scheduler's
// WorkflowArchiver).
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export class ArchivePending {
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {
    this.script = registerScripts(redis);
  }

  /** Marks `uid` to be looked at from `at` (ms); a later mark replaces an earlier one. */
  async mark(uid: string, at: number): Promise<void> {
    await this.redis.zadd(this.keys.archivePending, at, uid);
  }

  /** Up to `count` uids due at `now` (ms), each with its mark as read (for settle). */
  async due(now: number, count: number): Promise<{ uid: string; mark: string }[]> {
    const flat = await this.redis.zrangebyscore(this.keys.archivePending, '-inf', now, 'WITHSCORES', 'LIMIT', 0, count);
    const due: { uid: string; mark: string }[] = [];
    for (let i = 0; i < flat.length; i += 2) due.push({ uid: flat[i]!, mark: flat[i + 1]! });
    return due;
  }

  /** The uid's mark, or undefined when it is not pending. */
  async markOf(uid: string): Promise<string | undefined> {
    return (await this.redis.zscore(this.keys.archivePending, uid)) ?? undefined;
  }

  /** Looks at `uid` again from `at` (ms), if it is still pending. */
  async postpone(uid: string, at: number): Promise<void> {
    await this.redis.zadd(this.keys.archivePending, 'XX', at, uid);
  }

  /** Drops `uid` unless it was marked again since `mark` was read; true when dropped. */
  async settle(uid: string, mark: string | undefined): Promise<boolean> {
    return (await this.script('settleArchivePending', [this.keys.archivePending], [uid, mark ?? ''])) === 1;
  }

  /** Every pending uid (for tests and inspection). */
  all(): Promise<string[]> {
    return this.redis.zrange(this.keys.archivePending, 0, -1);
  }
}
