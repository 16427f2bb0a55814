// Semaphores and mutexes in Redis (Argo's synchronization): one Lua script takes or queues all of a
// holder's locks at once, and a release grants the next waiters in the same step. The store answers
// who was granted; telling them (an event on their workflow's shard, another slot) is the caller's
// job, so every grant stays recorded as untold until the caller says it told it (`told`).
import type { Redis } from 'ioredis';
import { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface LockLimit {
  name: string;
  /** Without one (it could not be read), the limit Redis last recorded stays. */
  limit?: number;
}

/** Who holds or waits: a workflow (no node) or one node of it, and the shard its events go to. */
export interface LockHolder {
  uid: string;
  shard: number;
  nodeId?: string;
}

/** Holders granted their locks in one step, to be told; each entry is a holder's JSON as recorded. */
export interface LockGrants {
  /** When they were granted or last taken for telling (ms, Redis's clock); `told` matches on it. */
  at: number;
  entries: string[];
}

/** A holder or waiter of a lock as recorded; `holder` is missing where the record cannot be read. */
export interface LockEntry {
  id: string;
  holder?: LockHolder;
  /** Every lock it holds or waits for, as far as this lock's record tells. */
  locks: string[];
}

/** At most this many untold grants are taken per call, so a sweep stays short. */
const UNTOLD_PER_CALL = 500;

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
  async acquire(holder: LockHolder, locks: LockLimit[], score: number): Promise<{ acquired: boolean; grants: LockGrants }> {
    const reply = await this.run('acquire', [LockStore.holderId(holder), JSON.stringify(holder), score], locks);
    return { acquired: reply[0] === 1, grants: grantsOf(reply.slice(1)) };
  }

  /** Gives back a holder's locks (or its place in line) and returns the waiters granted in its place. */
  async release(holder: LockHolder | string, locks: LockLimit[]): Promise<LockGrants> {
    const id = typeof holder === 'string' ? holder : LockStore.holderId(holder);
    return grantsOf((await this.run('release', [id], locks)).slice(1));
  }

  /** Grants waiters that fit now, e.g. after a semaphore's limit was raised. */
  async wake(locks: LockLimit[]): Promise<LockGrants> {
    return grantsOf((await this.run('wake', [], locks)).slice(1));
  }

  /** Takes grants left untold for `afterMs` (their granter died or failed), to be told again. */
  async untold(afterMs: number): Promise<LockGrants> {
    return grantsOf((await this.script('claimUntold', [this.keys.locks.untold], [afterMs, UNTOLD_PER_CALL])) as unknown[]);
  }

  /** Forgets grants whose holders were told, unless taken or granted again since. */
  async told(grants: LockGrants): Promise<void> {
    if (grants.entries.length > 0) await this.script('forgetTold', [this.keys.locks.untold], [grants.at, ...grants.entries]);
  }

  async lockNames(): Promise<string[]> {
    return this.redis.smembers(this.keys.locks.names);
  }

  /** Holders of a lock that can be read. */
  async holders(lock: string): Promise<LockHolder[]> {
    return (await this.held(lock)).flatMap(({ holder }) => (holder ? [holder] : []));
  }

  /** Every holder of a lock, readable or not. */
  async held(lock: string): Promise<LockEntry[]> {
    const entries = Object.entries(await this.redis.hgetall(`${this.keys.locks.base}:holders:${lock}`));
    return entries.map(([id, json]) => ({ id, ...holderOf(id, json), locks: [lock] }));
  }

  async waiting(lock: string): Promise<string[]> {
    return this.redis.zrange(`${this.keys.locks.base}:waiters:${lock}`, 0, -1);
  }

  /** Every waiter of a lock in order, with all the locks it waits for; one without a request is left out. */
  async waiters(lock: string): Promise<LockEntry[]> {
    const ids = await this.waiting(lock);
    if (ids.length === 0) return [];
    const requests = await this.redis.hmget(this.keys.locks.requests, ...ids);
    return ids.flatMap((id, i) => {
      const json = requests[i];
      if (json === null || json === undefined) return [];
      const request = parse(json) as { locks?: unknown; meta?: unknown } | undefined;
      const locks = Array.isArray(request?.locks) && request.locks.every((l) => typeof l === 'string') ? (request.locks as string[]) : undefined;
      const holder = typeof request?.meta === 'string' && locks ? holderOf(id, request.meta) : {};
      return [{ id, ...holder, locks: locks ?? [lock] }];
    });
  }

  private async run(mode: string, args: (string | number)[], locks: LockLimit[]): Promise<unknown[]> {
    const { requests, names, untold, base } = this.keys.locks;
    const pairs = locks.flatMap(({ name, limit }) => [name, limit ?? -1]);
    return (await this.script('locks', [requests, names, untold], [base, mode, ...args, ...pairs])) as unknown[];
  }
}

/** A recorded holder, checked: a record of another shape or of another holder id is not read as one. */
export function readHolder(json: string, id?: string): LockHolder | undefined {
  const value = parse(json) as Partial<LockHolder> | undefined;
  if (typeof value?.uid !== 'string' || !Number.isInteger(value.shard) || (value.shard as number) < 0) return undefined;
  if (value.nodeId !== undefined && typeof value.nodeId !== 'string') return undefined;
  const holder: LockHolder = { uid: value.uid, shard: value.shard as number, ...(value.nodeId !== undefined && { nodeId: value.nodeId }) };
  return id === undefined || LockStore.holderId(holder) === id ? holder : undefined;
}

function holderOf(id: string, json: string): { holder?: LockHolder } {
  const holder = readHolder(json, id);
  return holder ? { holder } : {};
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function grantsOf(reply: unknown[]): LockGrants {
  return { at: Number(reply[0]), entries: reply.slice(1).map(String) };
}
