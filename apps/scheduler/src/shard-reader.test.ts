// A shard reader on the real Redis, with a node pool the test holds: a failed batch waits for the
// previous batch's carry-out before recovering, and a workflow deleted while cached drops only its own
// events.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeJob } from '@regatta/engine';
import { DeadLetters, ShardStreams, ShardTimers, type NodeJobData, type NodePool } from '@regatta/queue';
import { argoTime, loadWorkflow, type WorkflowStatus } from '@regatta/spec';
import { Keys, LogStore, MemoStore, ResourceStore, WorkflowStore } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { BatchApplier } from './batch-applier.js';
import { LockBroker } from './lock-broker.js';
import { ShardReader } from './shard-reader.js';
import { WorkflowCache } from './workflow-cache.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
const keys = new Keys(prefix);
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const connections: Redis[] = [];
const UNREAD_SHARD = 99;

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
  for (const connection of connections) connection.disconnect();
});

/** A node pool whose dispatches the test can hold, recording which nodes (by id) went out and whether two ran at once. */
class HeldPool {
  readonly dispatched: string[] = [];
  overlapped = false;
  /** Makes a dispatch of these nodes fail with this error instead. */
  refuse: (ids: string[]) => Error | undefined = () => undefined;
  private running = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async dispatch(batches: NodeJobData<NodeJob>[]): Promise<void> {
    const refused = this.refuse(batches.flatMap(({ nodes }) => nodes.map(({ job }) => job.nodeId)));
    if (refused) throw refused;
    if (this.running > 0) this.overlapped = true;
    this.running++;
    for (const batch of batches) for (const { job } of batch.nodes) this.dispatched.push(job.nodeId);
    try {
      await this.gate;
    } finally {
      this.running--;
    }
  }
}

const store = new WorkflowStore(redis, prefix);
const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);

/** Stores a workflow of `shard` without announcing it there: each test appends its events itself. */
async function submit(name: string, shard: number, templates = '  - {name: main, container: {image: busybox, command: [echo, hi]}}\n'): Promise<string> {
  const workflow = loadWorkflow(`apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: ${name}}\nspec:\n  entrypoint: main\n  templates:\n${templates}`, `${name}.yaml`);
  const uid = randomUUID();
  workflow.metadata.uid = uid;
  workflow.metadata.namespace = 'default';
  // Submission announces it on the shard it is given: one no reader reads.
  await store.create(workflow, UNREAD_SHARD);
  await redis.hset(keys.workflow(uid).record, 'shard', shard);
  return uid;
}

/** Side-effect carriers a test may replace, e.g. by one that always fails. */
interface Carriers {
  timers?: ShardTimers;
  locks?: LockBroker;
  memos?: MemoStore;
  resources?: ResourceStore;
}

/** A reader of `shard`: each test has a shard of its own. */
function startReader(pool: HeldPool, shard: number, carriers: Carriers = {}): { reader: ShardReader; metrics: SchedulerMetrics; failures: () => number; stop(): Promise<void> } {
  const logger = createLogger('shard-reader-test', { level: process.env.TEST_LOG ?? 'silent' });
  const metrics = new SchedulerMetrics();
  const cache = new WorkflowCache(store);
  const timers = new ShardTimers(redis, (shard) => keys.shard(shard));
  const applier = new BatchApplier({
    store,
    cache,
    streams,
    pool: pool as unknown as NodePool<NodeJob>,
    timers: carriers.timers ?? timers,
    locks: carriers.locks ?? new LockBroker(redis, prefix, streams, logger),
    memos: carriers.memos ?? new MemoStore(redis, prefix),
    resources: carriers.resources ?? new ResourceStore(redis, prefix),
    logs: new LogStore(redis, keys),
    logger,
    metrics,
    now: () => argoTime(),
  });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(connection);
  let failures = 0;
  const reader = new ShardReader({ shard, epoch: 1, consumer: 'reader-test', batchSize: 500, blockMs: 100, maxDeliveries: 5 }, {
    connection,
    streams,
    deadLetters: new DeadLetters(redis, (shard) => keys.shard(shard)),
    timers,
    applier,
    logger,
    metrics,
    onLost: () => {},
    onFailure: () => {
      failures++;
      return cache.evictShard(shard);
    },
  });
  return {
    reader,
    metrics,
    failures: () => failures,
    stop: async () => {
      reader.stop();
      connection.disconnect();
      await reader.done;
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the shard reader', () => {
  it("recovers from a failed batch only once the previous batch's carry-out is over", async () => {
    const pool = new HeldPool();
    pool.hold();
    const first = await submit('first', 1);
    const { failures, stop } = startReader(pool, 1);
    await streams.append(1, first, { type: 'workflowSubmitted' });
    // The first batch's node job is on its way out, held by the pool.
    await until('the first dispatch', () => pool.dispatched.length === 1);

    // The next batch fails while storing: a workflow whose record does not load, until it is repaired.
    const second = await submit('second', 1);
    const record = keys.workflow(second).record;
    const resource = (await redis.hget(record, 'resource'))!;
    await redis.hset(record, 'resource', '{broken');
    await streams.append(1, second, { type: 'workflowSubmitted' });
    await until('the failed batch', () => failures() === 1);
    await redis.hset(record, 'resource', resource);

    // Recovery re-drives stored outboxes; were it not waiting, the first node would go out again now.
    await until('a second dispatch of the first node while the first is held', () => pool.overlapped, 3_000).catch(() => undefined);
    expect(pool.overlapped).toBe(false);
    pool.release();

    await until('the second workflow dispatched', () => pool.dispatched.length === 2);
    await until('every event acknowledged', async () => (await redis.xpending(keys.shard(1).events, 'schedulers'))[0] === 0);
    expect(pool.dispatched.filter((id) => id.startsWith('first'))).toEqual(['first']);
    expect(pool.overlapped).toBe(false);
    expect(await redis.llen(keys.workflow(first).outbox)).toBe(0);
    await stop();
  });

  it('drops the events of a workflow deleted while cached, and carries on with the rest of the batch', async () => {
    const pool = new HeldPool();
    const gone = await submit('gone', 2);
    const { failures, stop } = startReader(pool, 2);
    await streams.append(2, gone, { type: 'workflowSubmitted' });
    await until('its node dispatched', () => pool.dispatched.length === 1);
    const nodeId = pool.dispatched[0]!;

    expect(await store.delete('default', 'gone')).toBe(true);
    const next = await submit('next', 2);
    // A worker's results for both, in one entry: the late one for the deleted workflow comes first.
    await streams.appendBatch(2, [
      { uid: gone, event: { type: 'nodeFinished', nodeId, attempt: 0, phase: 'Succeeded' } },
      { uid: next, event: { type: 'workflowSubmitted' } },
    ]);
    await until('the next workflow dispatched', () => pool.dispatched.length === 2);
    await until('every event acknowledged', async () => (await redis.xpending(keys.shard(2).events, 'schedulers'))[0] === 0);
    expect(failures()).toBe(0);
    await stop();
  });

  it("fails the batch while Redis is away, and redoes it: the node job goes out once Redis answers", async () => {
    const pool = new HeldPool();
    let refusals = 0;
    pool.refuse = () => (refusals++ === 0 ? new Error('Connection is closed.') : undefined);
    const uid = await submit('outage', 3);
    const { failures, stop } = startReader(pool, 3);
    await streams.append(3, uid, { type: 'workflowSubmitted' });
    await until('the node dispatched after the outage', () => pool.dispatched.length === 1);
    expect(failures()).toBe(1);
    await until('every event acknowledged', async () => (await redis.xpending(keys.shard(3).events, 'schedulers'))[0] === 0);
    expect(await redis.llen(keys.workflow(uid).outbox)).toBe(0);
    await stop();
  });

  it("sets aside one workflow's node jobs that are refused for good, ending its nodes in Error, and dispatches the others", async () => {
    const pool = new HeldPool();
    pool.refuse = (ids) => (ids.some((id) => id.startsWith('refused')) ? new Error('job data refused') : undefined);
    const refused = await submit('refused', 4);
    const accepted = await submit('accepted', 4);
    const { failures, metrics, stop } = startReader(pool, 4);
    await streams.appendBatch(4, [
      { uid: refused, event: { type: 'workflowSubmitted' } },
      { uid: accepted, event: { type: 'workflowSubmitted' } },
    ]);
    await until('the accepted workflow dispatched', () => pool.dispatched.length === 1);
    expect(pool.dispatched).toEqual(['accepted']);
    const ended = await until('the refused workflow to end', async () => {
      const loaded = await store.load(refused);
      return loaded?.workflow.status.finishedAt !== undefined && loaded.workflow;
    });
    expect(ended.status.phase).toBe('Error');
    expect(ended.status.nodes['refused']).toMatchObject({ phase: 'Error', message: 'node not started: its job could not be enqueued' });
    expect(failures()).toBe(0);
    // The first try of all jobs together, then the refused workflow's three tries of its own.
    expect(await metrics.sideEffectErrors.get()).toMatchObject({ values: [{ labels: { command: 'dispatchNode' }, value: 4 }] });
    await stop();
  });
});

/** A stand-in whose every call of `method` fails with an error of its own (not Redis being away). */
function failing<T extends object>(real: T, method: keyof T & string): T {
  return new Proxy(real, {
    get: (target, key, receiver) =>
      key === method ? () => Promise.reject(new Error(`${method} refused`)) : (Reflect.get(target, key, receiver) as unknown),
  });
}

async function ended(uid: string): Promise<WorkflowStatus> {
  return until('the workflow to end', async () => {
    const loaded = await store.load(uid);
    return loaded?.workflow.status?.finishedAt !== undefined && loaded.workflow.status;
  });
}

describe('a side effect set aside for good', () => {
  it('answers a memo lookup that keeps failing as a miss: the node runs', async () => {
    const pool = new HeldPool();
    const uid = await submit('memo', 5, '  - name: main\n    memoize: {key: k, cache: {configMap: {name: memo-cache}}}\n    container: {image: busybox, command: [echo, hi]}\n');
    const { failures, metrics, stop } = startReader(pool, 5, { memos: failing(new MemoStore(redis, prefix), 'get') });
    await streams.append(5, uid, { type: 'workflowSubmitted' });
    await until('the node dispatched', () => pool.dispatched.length === 1);
    expect(failures()).toBe(0);
    expect(await metrics.sideEffectsDropped.get()).toMatchObject({ values: [{ labels: { command: 'lookupMemo' }, value: 1 }] });
    await stop();
  });

  it("ends a node whose lock request keeps failing in Error, with the reason", async () => {
    const pool = new HeldPool();
    const uid = await submit('locked', 6, '  - name: main\n    synchronization: {mutex: {name: m}}\n    container: {image: busybox, command: [echo, hi]}\n');
    const { stop } = startReader(pool, 6, { locks: failing(new LockBroker(redis, prefix, streams, createLogger('test', { level: 'silent' })), 'acquire') });
    await streams.append(6, uid, { type: 'workflowSubmitted' });
    const status = await ended(uid);
    expect(status.phase).toBe('Error');
    expect(status.nodes?.['locked']).toMatchObject({ phase: 'Error', message: 'locks could not be requested: acquire refused' });
    expect(pool.dispatched).toEqual([]);
    await stop();
  });

  it("ends a node whose input ConfigMap keeps failing to be read in Error, with the reason", async () => {
    const pool = new HeldPool();
    const input = '{name: p, valueFrom: {configMapKeyRef: {name: settings, key: k}}}';
    const uid = await submit('configured', 8, `  - name: main\n    inputs: {parameters: [${input}]}\n    container: {image: busybox, command: [echo, hi]}\n`);
    const { stop } = startReader(pool, 8, { resources: failing(new ResourceStore(redis, prefix), 'get') });
    await streams.append(8, uid, { type: 'workflowSubmitted' });
    const status = await ended(uid);
    expect(status.nodes?.['configured']).toMatchObject({ phase: 'Error', message: 'ConfigMaps could not be read: get refused' });
    expect(pool.dispatched).toEqual([]);
    await stop();
  });

  it("ends a suspend's wait now when its timer cannot be scheduled", async () => {
    const pool = new HeldPool();
    const uid = await submit('waiting', 7, '  - name: main\n    suspend: {duration: 1h}\n');
    const { stop } = startReader(pool, 7, { timers: failing(new ShardTimers(redis, (shard) => keys.shard(shard)), 'schedule') });
    await streams.append(7, uid, { type: 'workflowSubmitted' });
    expect((await ended(uid)).phase).toBe('Succeeded');
    await stop();
  });
});
