// Ended workflows reach the archive whatever crashes in between, and before their TTL deletes them.
import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowArchive } from '@regatta/archive';
import type { NodeJob } from '@regatta/engine';
import { nodeRunSchema } from '@regatta/protocol';
import { NodePool, ShardStreams, ShardTimers } from '@regatta/queue';
import { parseLabelSelector, type Workflow, type WorkflowStatus } from '@regatta/spec';
import { ArchivePending, Keys, LogStore, MemoStore, ResourceStore, WorkflowStore } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { BatchApplier } from './batch-applier.js';
import { LockBroker } from './lock-broker.js';
import { WorkflowArchiver } from './workflow-archiver.js';
import { WorkflowCache } from './workflow-cache.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';
import { ARCHIVE_DATABASE_URL, dropSchema, uniqueSchema } from '../../../test/support/postgres.js';

const prefix = uniquePrefix();
const schema = uniqueSchema();
const keys = new Keys(prefix);
const logger = createLogger('archiver-test', { level: 'silent' });
let redis: Redis;
let archive: WorkflowArchive;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  archive = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
});

afterAll(async () => {
  await archive?.close();
  await dropSchema(schema);
  await removePrefix(prefix);
  redis?.disconnect();
});

/** A new archiver each time stands for a scheduler process (re)started: nothing carried in memory. */
function archiver(options: { selector?: string; archiveLogs?: boolean } = {}): WorkflowArchiver {
  const config = { labelSelector: parseLabelSelector(options.selector ?? ''), archiveLogs: options.archiveLogs ?? false };
  return new WorkflowArchiver(redis, prefix, archive, config, logger, { recheckMs: 0 });
}

function workflow(name: string, status: WorkflowStatus, extra: Partial<Workflow['spec']> = {}, labels: Record<string, string> = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default', uid: randomUUID(), labels },
    spec: { entrypoint: 'main', templates: [], ...extra },
    status: { nodes: {}, ...status },
  } as Workflow;
}

const succeeded: WorkflowStatus = { phase: 'Succeeded', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:05Z' };

/** Stores the transition that ends `running` through the archiver's store, as the scheduler does. */
async function end(store: WorkflowStore, uid: string): Promise<void> {
  const { version } = (await store.load(uid))!;
  await store.apply({ uid, epoch: 1, version, status: succeeded, nodes: [], commands: [] });
}

function pending(): Promise<string[]> {
  return new ArchivePending(redis, keys).all();
}

/** Lets the pending uids' settle time pass. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
}

describe('WorkflowArchiver', () => {
  it('archives a workflow that ended just before its scheduler crashed, at the next drain', async () => {
    const running = workflow('crash-after-end', { phase: 'Running', startedAt: '2026-01-01T00:00:00Z' });
    const uid = running.metadata.uid!;
    const first = archiver();
    const store = first.storeFor(redis);
    await store.create(running, 0);
    await end(store, uid);
    // The process dies here: nothing was archived yet.
    expect(await archive.get(uid)).toBeUndefined();
    await settle();
    await archiver().drain();
    expect((await archive.get(uid))?.status?.phase).toBe('Succeeded');
    expect(await pending()).not.toContain(uid);
  });

  it('keeps a uid marked before a crash lost the store write, and archives the workflow once it really ends', async () => {
    const running = workflow('crash-before-store', { phase: 'Running', startedAt: '2026-01-01T00:00:00Z' });
    const uid = running.metadata.uid!;
    const scheduler = archiver();
    const store = scheduler.storeFor(redis);
    await store.create(running, 0);
    await scheduler.markEnded(uid);
    await settle();
    await scheduler.drain();
    expect(await archive.get(uid)).toBeUndefined();
    expect(await pending()).toContain(uid);
    // The redone transition ends it.
    await end(store, uid);
    await settle();
    await scheduler.drain();
    expect(await archive.get(uid)).toBeDefined();
    expect(await pending()).not.toContain(uid);
  });

  it('archives a workflow before its ttlStrategy deletes it from Redis, with its logs when spec.archiveLogs says so', async () => {
    const ended = workflow('ttl', succeeded, { ttlStrategy: { secondsAfterCompletion: 1 }, archiveLogs: true });
    const uid = ended.metadata.uid!;
    const scheduler = archiver();
    const store = scheduler.storeFor(redis);
    await store.create(ended, 0);
    const logs = new LogStore(redis, keys);
    await logs.append(uid, [{ nodeId: 'n1', stream: 'stdout', line: 'hello' }]);
    const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
    await streams.ensureGroup(0);
    const pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
    try {
      const applier = new BatchApplier({
        store, cache: new WorkflowCache(store), streams, pool, timers: new ShardTimers(redis, (shard) => keys.shard(shard)),
        locks: new LockBroker(redis, prefix, streams), memos: new MemoStore(redis, prefix), resources: new ResourceStore(redis, prefix), logs: logs, logger, metrics: new SchedulerMetrics(),
        now: () => '2026-01-01T00:00:10Z',
      });
      await applier.apply({ shard: 0, epoch: 1 }, [{ id: '0-1', uid, event: { type: 'ttlExpired' } }]);
    } finally {
      await pool.close();
    }
    expect(await store.load(uid)).toBeUndefined();
    expect((await archive.get(uid))?.metadata.name).toBe('ttl');
    expect(await archive.logs(uid)).toEqual([{ nodeId: 'n1', stream: 'stdout', line: 'hello' }]);
  });

  it('keeps a workflow in Redis when its TTL fires while the archive is away, without failing the batch', async () => {
    const ended = workflow('ttl-archive-away', succeeded, { ttlStrategy: { secondsAfterCompletion: 1 } });
    const uid = ended.metadata.uid!;
    // Through a proxy that then goes: the archive's next connection is refused (ECONNREFUSED), the
    // very error a Redis outage gives, which must not pass for one.
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const outbound = connect(5432, '127.0.0.1');
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const url = new URL(ARCHIVE_DATABASE_URL);
    url.host = `127.0.0.1:${port}`;
    url.search = `?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const away = await WorkflowArchive.open({ url: url.toString() });
    // Listening stops at once; the open connections go with their sockets.
    proxy.close();
    for (const socket of sockets) socket.destroy();
    const scheduler = new WorkflowArchiver(redis, prefix, away, { labelSelector: [], archiveLogs: false }, logger);
    const store = scheduler.storeFor(redis);
    await store.create(ended, 0);
    const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
    await streams.ensureGroup(0);
    const pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
    try {
      const applier = new BatchApplier({
        store, cache: new WorkflowCache(store), streams, pool, timers: new ShardTimers(redis, (shard) => keys.shard(shard)),
        locks: new LockBroker(redis, prefix, streams), memos: new MemoStore(redis, prefix), resources: new ResourceStore(redis, prefix), logs: new LogStore(redis, keys), logger, metrics: new SchedulerMetrics(),
        now: () => '2026-01-01T00:00:10Z',
      });
      await expect(applier.apply({ shard: 0, epoch: 1 }, [{ id: '0-2', uid, event: { type: 'ttlExpired' } }])).resolves.toBe(true);
    } finally {
      await pool.close();
    }
    expect(await store.load(uid)).toBeDefined();
    await away.close();
  });

  it('postpones what it cannot archive and goes on with the rest, keeping every uid pending', async () => {
    const away = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
    await away.close();
    const scheduler = new WorkflowArchiver(redis, prefix, away, { labelSelector: [], archiveLogs: false }, logger, { recheckMs: 60_000 });
    const uids: string[] = [];
    for (const name of ['away-1', 'away-2']) {
      const ended = workflow(name, succeeded);
      await scheduler.storeFor(redis).create(ended, 0);
      await scheduler.markEnded(ended.metadata.uid!);
      uids.push(ended.metadata.uid!);
    }
    await settle();
    await expect(scheduler.drain()).resolves.toBeUndefined();
    const pendingSet = new ArchivePending(redis, keys);
    for (const uid of uids) expect(Number(await pendingSet.markOf(uid))).toBeGreaterThan(Date.now() + 30_000);
    // Cleared, so that the tests after this one find only their own uids pending.
    for (const uid of uids) await pendingSet.settle(uid, await pendingSet.markOf(uid));
  });

  it('keeps a mark made again while the workflow was being archived (retried and ended anew)', async () => {
    const ended = workflow('marked-again', succeeded);
    const uid = ended.metadata.uid!;
    const scheduler = archiver();
    await scheduler.storeFor(redis).create(ended, 0);
    await scheduler.markEnded(uid);
    const stale = await new ArchivePending(redis, keys).markOf(uid);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.markEnded(uid);
    // Archived as read under the first mark: the second one stays for the next drain.
    expect(await scheduler.archiveNow(uid, stale)).toBe(true);
    expect(await pending()).toContain(uid);
    await settle();
    await scheduler.drain();
    expect(await pending()).not.toContain(uid);
  });

  it('archives only what archiveLabelSelector selects, and settles the rest', async () => {
    const kept = workflow('selected', succeeded, {}, { archive: 'yes' });
    const skipped = workflow('not-selected', succeeded);
    const scheduler = archiver({ selector: 'archive=yes' });
    const store = scheduler.storeFor(redis);
    for (const wf of [kept, skipped]) {
      await store.create(wf, 0);
      await scheduler.markEnded(wf.metadata.uid!);
    }
    await settle();
    await scheduler.drain();
    expect(await archive.get(kept.metadata.uid!)).toBeDefined();
    expect(await archive.get(skipped.metadata.uid!)).toBeUndefined();
    expect(await pending()).toEqual([]);
  });
});
