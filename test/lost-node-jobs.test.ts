// A node job BullMQ fails for good brings no result: stalled past its limit because its workers were
// killed, or thrown on its last attempt. Its nodes must still end (in Error, as Argo ends a node whose
// pod was deleted), so that the workflow ends, or retries them where its retryStrategy says so.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker as BullWorker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeJob } from '@regatta/engine';
import { NODE_QUEUES, NodePool, ShardStreams, nodeJobData, nodeJobId, type NodeDispatch } from '@regatta/queue';
import { nodeRunSchema } from '@regatta/protocol';
import { LostJobReaper, Scheduler } from '@regatta/scheduler';
import { Keys, WorkflowStore, ensureInstance, redisFactory } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefixes: string[] = [];
const services: ReturnType<typeof startService>[] = [];
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await Promise.all(prefixes.map(removePrefix));
  redis.disconnect();
});

function newPrefix(): string {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return prefix;
}

const STALLED = 'job stalled more than allowable limit';

/** Takes the next job of a pool's queue and fails it for good, as BullMQ does to a job stalled past its limit. */
async function failNextJob(prefix: string, queue: string): Promise<Job> {
  const worker = new BullWorker(queue, undefined, { connection: redis, prefix, autorun: false });
  try {
    const job = await until(`a job on ${queue}`, async () => (await worker.getNextJob('test', { block: false })) as Job | undefined, 15_000);
    await job.moveToFailed(new UnrecoverableError(STALLED), 'test', false);
    return job;
  } finally {
    await worker.close();
  }
}

function nodeJob(uid: string, nodeId: string): NodeJob {
  return { workflow: { name: 'wf', namespace: 'default', uid }, nodeId, nodeName: nodeId, attempt: 0, templateName: 'main', container: { image: 'busybox' } };
}

function podNodes(workflow: Workflow): NodeStatus[] {
  return Object.values(workflow.status?.nodes ?? {}).filter((node) => node.type === 'Pod');
}

describe('lost node jobs', () => {
  it('reports each node of a failed job, lone or batched, as an Error result on its shard, then forgets the job', async () => {
    const prefix = newPrefix();
    const keys = new Keys(prefix);
    const pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
    const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
    const metrics = new SchedulerMetrics();
    const reaper = new LostJobReaper({ pool, streams, logger: createLogger('test', { level: 'silent' }), metrics, now: () => '2026-01-02T03:04:05Z' }, { intervalMs: 60_000 });
    const [a, b] = [randomUUID(), randomUUID()];
    const dispatch = (job: NodeJob): NodeDispatch<NodeJob> => ({ id: nodeJobId(job.workflow.uid, job.nodeId, job.attempt), job });
    try {
      await pool.dispatch([
        nodeJobData(1, [dispatch(nodeJob(a, 'wf-1')), dispatch(nodeJob(a, 'wf-2'))]),
        nodeJobData(3, [dispatch(nodeJob(b, 'wf-3'))]),
      ]);
      await failNextJob(keys.pool('default'), NODE_QUEUES.nodeBatch);
      await failNextJob(keys.pool('default'), NODE_QUEUES.node);
      expect(await pool.counts()).toMatchObject({ failed: 2 });

      expect(await reaper.sweep()).toBe(2);
      const reported = async (shard: number) =>
        (await redis.xrange(keys.shard(shard).events, '-', '+')).flatMap(([, fields]) => JSON.parse(fields[1]!) as [string, unknown][]);
      const error = (nodeId: string) => ({ type: 'nodeFinished', nodeId, attempt: 0, phase: 'Error', message: `pod deleted (${STALLED})`, finishedAt: '2026-01-02T03:04:05Z' });
      expect(await reported(1)).toEqual([[a, error('wf-1')], [a, error('wf-2')]]);
      expect(await reported(3)).toEqual([[b, error('wf-3')]]);
      expect(await pool.counts()).toMatchObject({ failed: 0 });
      // Nothing is left to report twice.
      expect(await reaper.sweep()).toBe(0);
      expect((await metrics.lostJobs.get()).values).toMatchObject([{ labels: { cause: 'failed' }, value: 2 }]);
    } finally {
      await pool.close();
    }
  });

  it('counts a node as carried while its lone job exists or its workflow has a batch job left', async () => {
    const keys = new Keys(newPrefix());
    const pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const dispatch = (job: NodeJob): NodeDispatch<NodeJob> => ({ id: nodeJobId(job.workflow.uid, job.nodeId, job.attempt), job });
    try {
      await pool.dispatch([
        nodeJobData(0, [dispatch(nodeJob(a, 'wf-1')), dispatch(nodeJob(a, 'wf-2'))]),
        nodeJobData(0, [dispatch(nodeJob(b, 'wf-3'))]),
      ]);
      const ref = (uid: string, nodeId: string) => ({ uid, nodeId, attempt: 0 });
      // wf-9 of `a` is in no job, but `a` has a batch whose nodes are not read: it counts as carried.
      expect(await pool.carried([ref(a, 'wf-2'), ref(a, 'wf-9'), ref(b, 'wf-3'), ref(b, 'wf-4'), ref(c, 'wf-1')])).toEqual([true, true, true, false, false]);
    } finally {
      await pool.close();
    }
  });

  it('ends the workflow whose node job BullMQ failed for good, the node in Error', async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'regatta-lost-job-'));
    const file = join(dir, 'lost.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: lost}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [echo, hello]}
`,
    );
    services.push(startService(['scheduler'], prefix));
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix);
    // No worker runs it: the job is taken and failed as a job whose workers all died is.
    await failNextJob(new Keys(prefix).pool('default'), NODE_QUEUES.node);

    const result = await watched;
    expect(result.stderr).toBe('');
    const workflow = JSON.parse(result.stdout) as Workflow;
    expect(workflow.status?.phase).toBe('Error');
    expect(podNodes(workflow).map(({ phase, message }) => ({ phase, message }))).toEqual([{ phase: 'Error', message: `pod deleted (${STALLED})` }]);
  }, 60_000);

  it('retries a node whose workers were killed until BullMQ gave its job up, under retryPolicy OnError, and succeeds', async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'regatta-lost-job-'));
    // A dead worker's job goes back to the queue after 5 s, not BullMQ's 30 s (see worker-crash.test.ts);
    // the runs are counted in a host folder the workers allow as a hostPath.
    const env = { REGATTA_NODE_LOCK_MS: '5000', REGATTA_HOSTPATH_ALLOW: dir };
    const ran = join(dir, 'ran');
    const file = join(dir, 'stalled.yaml');
    // The first two runs hang until their worker is killed; the third (the retry) succeeds.
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: stalled}
spec:
  entrypoint: main
  volumes: [{name: shared, hostPath: {path: ${dir}}}]
  templates:
  - name: main
    retryStrategy: {limit: 1, retryPolicy: OnError}
    container:
      image: busybox
      command: [sh, -c, 'echo run >> /shared/ran; if [ $(wc -l < /shared/ran) -le 2 ]; then sleep 60; fi']
      volumeMounts: [{name: shared, mountPath: /shared}]
`,
    );
    const runs = () => {
      try {
        return readFileSync(ran, 'utf8').trim().split('\n').length;
      } catch {
        return 0;
      }
    };
    services.push(startService(['scheduler'], prefix, env));
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix, env);
    // BullMQ hands a stalled job on once (maxStalledCount 1); stalled a second time, it is failed.
    for (const run of [1, 2]) {
      const worker = startService(['worker'], prefix, env);
      services.push(worker);
      await until(`run ${run} to start`, async () => runs() === run, 45_000);
      worker.child.kill('SIGKILL');
    }
    services.push(startService(['worker'], prefix, env));

    const result = await watched;
    expect(result.stderr).toBe('');
    const workflow = JSON.parse(result.stdout) as Workflow;
    expect(workflow.status?.phase).toBe('Succeeded');
    const attempts = podNodes(workflow).sort((x, y) => x.name.localeCompare(y.name));
    expect(attempts.map(({ phase, message }) => ({ phase, message }))).toEqual([
      { phase: 'Error', message: `pod deleted (${STALLED})` },
      { phase: 'Succeeded', message: undefined },
    ]);
    expect(runs()).toBe(3);
  }, 150_000);

  it('ends a Running node whose job vanished without failing in Error, and retries it under retryPolicy OnError', async () => {
    const prefix = newPrefix();
    const keys = new Keys(prefix);
    const dir = mkdtempSync(join(tmpdir(), 'regatta-lost-job-'));
    const file = join(dir, 'vanished.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: vanished}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 1, retryPolicy: OnError}
    container: {image: busybox, command: [echo, hello]}
`,
    );
    await ensureInstance(redis, keys, { id: randomUUID(), shards: 4 });
    const scheduler = new Scheduler({ connect: redisFactory(REDIS_URL), keys, logger: createLogger('test', { level: 'silent' }), config: { jobAuditMs: 300 } });
    await scheduler.start();
    const queue = new Queue(NODE_QUEUES.node, { connection: redis, prefix: keys.pool('default') });
    try {
      expect((await regatta(['submit', file], prefix)).stderr).toBe('');
      // No worker: the job waits; then it is deleted with its keys, as a rollback or a cleaned queue loses it.
      const job = await until('the node job', async () => (await queue.getJobs(['waiting'])).filter(Boolean).at(0) as Job | undefined, 15_000);
      await job.remove();

      const store = new WorkflowStore(redis, prefix);
      const uid = (job.data as { nodes: { job: NodeJob }[] }).nodes[0]!.job.workflow.uid;
      const retried = await until('the lost node ended and its retry dispatched', async () => {
        const nodes = podNodes((await store.load(uid))!.workflow);
        return nodes.length === 2 && nodes;
      }, 20_000);
      const [lost, retry] = retried.sort((x, y) => x.name.localeCompare(y.name));
      expect(lost).toMatchObject({ phase: 'Error', message: 'pod deleted (its node job is gone)' });
      expect(retry!.phase).toBe('Running');
      // The retry's job is there: audits leave its node alone.
      expect(await queue.getJob(nodeJobId(uid, retry!.id, 0))).toBeTruthy();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(podNodes((await store.load(uid))!.workflow).find((node) => node.id === retry!.id)?.phase).toBe('Running');
      expect((await scheduler.metrics.lostJobs.get()).values).toMatchObject([{ labels: { cause: 'missing' }, value: 1 }]);
    } finally {
      await queue.close();
      await scheduler.close();
    }
  }, 60_000);
});
