// What the report reads from the chaos run's own Redis: workflow phases, locks still held or waited
// for, and, once every workflow is deleted, the keys that remain, sorted into the global keys a Regatta
// data set always has and leftovers (anything of a workflow, a lock holder or a job).
import type { Redis } from 'ioredis';
import { LockStore, WorkflowStore } from '@regatta/store';

export interface WorkflowEnd {
  name: string;
  phase: string;
  message?: string;
}

export async function workflowPhases(redis: Redis, prefix: string): Promise<WorkflowEnd[]> {
  const summaries = await new WorkflowStore(redis, prefix).list('default');
  return summaries.map(({ name, phase, message }) => ({ name, phase: phase || 'Pending', ...(message && { message }) }));
}

export const ENDED = new Set(['Succeeded', 'Failed', 'Error']);

export interface LockState {
  /** Holders per lock name, e.g. `default/ConfigMap/chaos-limits/workers: [uid/nodeId]`. */
  holders: Record<string, string[]>;
  waiters: Record<string, string[]>;
  /** Entries of `{sync}:requests` (what each holder asked for), kept while it holds or waits. */
  requests: number;
}

export async function lockState(redis: Redis, prefix: string): Promise<LockState> {
  const store = new LockStore(redis, prefix);
  const holders: Record<string, string[]> = {};
  const waiters: Record<string, string[]> = {};
  for (const lock of await store.lockNames()) {
    const held = (await store.holders(lock)).map(LockStore.holderId);
    const waiting = await store.waiting(lock);
    if (held.length > 0) holders[lock] = held;
    if (waiting.length > 0) waiters[lock] = waiting;
  }
  return { holders, waiters, requests: await redis.hlen(`${prefix}:{sync}:requests`) };
}

export function countEntries(record: Record<string, string[]>): number {
  return Object.values(record).reduce((sum, list) => sum + list.length, 0);
}

/** BullMQ's own keys of a queue (bullmq/dist/esm/classes/queue-keys.js, 6.x), plus its metrics. */
const QUEUE_KEYS = new Set(['active', 'wait', 'waiting-children', 'paused', 'id', 'delayed', 'prioritized', 'stalled-check', 'completed', 'failed', 'stalled', 'repeat', 'limiter', 'meta', 'events', 'pc', 'marker', 'de', 'metrics:completed', 'metrics:failed', 'metrics:completed:data', 'metrics:failed:data']);
/** Lists and sets of a queue that hold job ids: empty once every workflow has ended and been deleted. */
const QUEUE_JOB_SETS = ['active', 'wait', 'waiting-children', 'paused', 'delayed', 'prioritized', 'completed', 'failed', 'stalled'];

/**
 * The keys a Regatta data set keeps with no workflow in it (`<p>` the prefix):
 * `<p>:instance`, `<p>:schedulers`; per shard `<p>:{s<n>}:events|lease|epoch|timers`; the stored
 * resources `<p>:{resources}:*` (the semaphore's ConfigMap); the lock registry `<p>:{sync}:locks` and
 * `<p>:{sync}:limits`; BullMQ's own keys of each pool queue `<p>:{pool-<pool>}:<queue>:<QUEUE_KEYS>`.
 * Everything else is a leftover: any `{wf:…}` key, a name index `<p>:names:<ns>`, `{sync}:requests`,
 * `{sync}:holders:*`, `{sync}:waiters:*`, a BullMQ job hash or its lock/logs, a memo cache.
 */
export function isGlobalKey(key: string, prefix: string): boolean {
  if (!key.startsWith(`${prefix}:`)) return false;
  const rest = key.slice(prefix.length + 1);
  if (rest === 'instance' || rest === 'schedulers') return true;
  if (/^\{s\d+\}:(events|lease|epoch|timers)$/.test(rest)) return true;
  if (rest.startsWith('{resources}:')) return true;
  if (rest === '{sync}:locks' || rest === '{sync}:limits') return true;
  const queue = /^\{pool-[^}]+\}:(nodes|node-batches):(.+)$/.exec(rest);
  return queue !== null && QUEUE_KEYS.has(queue[2]!);
}

export interface KeysAfterDelete {
  total: number;
  global: string[];
  leftover: string[];
  /** Entries still inside global keys that belong to workflows: shard stream entries, timers, job ids in queues. */
  leftoverEntries: Record<string, number>;
}

export async function keysAfterDelete(redis: Redis, prefix: string): Promise<KeysAfterDelete> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  const global = keys.filter((key) => isGlobalKey(key, prefix));
  const leftover = keys.filter((key) => !isGlobalKey(key, prefix));
  const leftoverEntries: Record<string, number> = {};
  for (const key of global) {
    const count = await entriesOf(redis, key, prefix);
    if (count > 0) leftoverEntries[key] = count;
  }
  return { total: keys.length, global, leftover, leftoverEntries };
}

async function entriesOf(redis: Redis, key: string, prefix: string): Promise<number> {
  const rest = key.slice(prefix.length + 1);
  if (/^\{s\d+\}:events$/.test(rest)) return redis.xlen(key);
  if (/^\{s\d+\}:timers$/.test(rest)) return redis.zcard(key);
  const set = /:(nodes|node-batches):([a-z-]+)$/.exec(rest)?.[2];
  if (set && QUEUE_JOB_SETS.includes(set)) {
    const type = await redis.type(key);
    if (type === 'list') return redis.llen(key);
    if (type === 'zset') return redis.zcard(key);
    if (type === 'set') return redis.scard(key);
  }
  return 0;
}
