// A ttlStrategy deletion is carried out after its transition was stored; by then the workflow may
// have been deleted by hand and its name given to a new one, which the deletion must leave alone.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeJob } from '@regatta/engine';
import { NodePool, ShardStreams, ShardTimers } from '@regatta/queue';
import { nodeRunSchema } from '@regatta/protocol';
import type { Workflow } from '@regatta/spec';
import { Keys, LogStore, MemoStore, ResourceStore, WorkflowStore } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { BatchApplier } from './batch-applier.js';
import { LockBroker } from './lock-broker.js';
import { WorkflowCache } from './workflow-cache.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
const keys = new Keys(prefix);
let redis: Redis;
let pool: NodePool<NodeJob>;

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
});

afterAll(async () => {
  await pool.close();
  await removePrefix(prefix);
  redis.disconnect();
});

function finished(name: string): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default', uid: randomUUID() },
    spec: { entrypoint: 'main', templates: [], ttlStrategy: { secondsAfterCompletion: 5 } },
    status: { phase: 'Succeeded', finishedAt: '2026-01-01T00:00:00Z', nodes: {} },
  } as Workflow;
}

describe('ttlStrategy deletion', () => {
  it('deletes the workflow it fired for, not a newer one that took its name after a delete', async () => {
    const store = new WorkflowStore(redis, prefix);
    const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
    await streams.ensureGroup(0);
    const logger = createLogger('ttl-delete-test', { level: 'silent' });
    const applier = new BatchApplier({
      store, cache: new WorkflowCache(store), streams, pool, timers: new ShardTimers(redis, (shard) => keys.shard(shard)),
      locks: new LockBroker(redis, prefix, streams), memos: new MemoStore(redis, prefix), resources: new ResourceStore(redis, prefix), logs: new LogStore(redis, keys), logger, metrics: new SchedulerMetrics(),
      now: () => '2026-01-01T00:00:05Z',
    });
    const old = finished('same-name');
    await store.create(old, 0);
    const context = { shard: 0, epoch: 1 };
    const stored = await applier.persist(context, [{ id: '0-1', uid: old.metadata.uid!, event: { type: 'ttlExpired' } }]);
    // Between storing the deletion and carrying it out: `delete same-name`, then a new `same-name`.
    await store.delete('default', 'same-name');
    const newer = finished('same-name');
    await store.create(newer, 0);
    await applier.finish(context, stored!);
    expect(await store.uidOf('default', 'same-name')).toBe(newer.metadata.uid);
    expect(await store.load(newer.metadata.uid!)).toBeDefined();
    expect(await redis.keys(`${prefix}:{wf:${old.metadata.uid}}:*`)).toEqual([]);
  });
});
