// Node jobs on BullMQ: a workflow's large fan-out travels several nodes to a job, and a worker runs
// them within its node concurrency, handing on alone any node of a batch that fails or never started.
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';
import { until } from '../../../test/support/until.js';
import { z } from 'zod';
import { NODE_QUEUES, type NodeDispatch } from '@regatta/protocol';
import { NodeConsumer, NodePool, nodeBatches, nodeJobData, nodeJobId } from './node-pool.js';

const testJob = z.object({ name: z.string() });
type TestJob = z.infer<typeof testJob>;

const root = uniquePrefix();
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
let pools = 0;
afterAll(async () => {
  await removePrefix(root);
  redis.disconnect();
});

/** A pool of its own per test: BullMQ prefix with a hash tag, as Keys.pool makes it. */
function poolPrefix(): string {
  return `${root}:{pool-${++pools}}`;
}

function nodes(count: number, from = 0): NodeDispatch<TestJob>[] {
  return Array.from({ length: count }, (_, i) => ({ id: nodeJobId('uid', `wf-n${from + i}`, 0), job: { name: `n${from + i}` } }));
}

describe('node batches', () => {
  it('sends more than 100 nodes of a workflow ten to a job, and 100 or fewer one to a job', () => {
    const large = nodeBatches(3, nodes(205));
    expect(large.map((b) => b.nodes.length)).toEqual([...Array<number>(20).fill(10), 5]);
    expect(large.every((b) => b.shard === 3)).toBe(true);
    expect(large.flatMap((b) => b.nodes.map((n) => n.job.name))).toEqual(nodes(205).map((n) => n.job.name));
    const small = nodeBatches(3, nodes(100));
    expect(small).toHaveLength(100);
    expect(small.every((b) => b.nodes.length === 1)).toBe(true);
  });

  it('names a lone node’s job after its workflow’s uid and the node, and a batch’s after its first node and size, the same each time', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const [lone, batched] = [NODE_QUEUES.node, NODE_QUEUES.nodeBatch].map((name) => new Queue(name, { connection: redis, prefix }));
    try {
      await pool.dispatch([...nodeBatches(0, nodes(1)), ...nodeBatches(0, nodes(150, 1))]);
      // A re-driven outbox dispatches the same batches again: BullMQ keeps one job per id.
      await pool.dispatch(nodeBatches(0, nodes(150, 1)));
      expect((await lone!.getJobs(['waiting'])).map((j) => j.id)).toEqual(['uid/wf-n0/0']);
      const batches = await batched!.getJobs(['waiting']);
      expect(batches.map((j) => j.id).sort()).toEqual(Array.from({ length: 15 }, (_, k) => `uid/wf-n${1 + 10 * k}/0+10`).sort());
      expect(await pool.counts()).toMatchObject({ waiting: 16 });
    } finally {
      await pool.close();
      await Promise.all([lone!.close(), batched!.close()]);
    }
  });
});

/** A consumer of concurrency 1 whose nodes each run until `finish[i]` is called, i in start order. */
function blockingConsumer(prefix: string): { consumer: NodeConsumer<TestJob>; started: string[]; finish: (() => void)[] } {
  const started: string[] = [];
  const finish: (() => void)[] = [];
  const consumer = new NodeConsumer<TestJob>({ connection: redis, prefix, job: testJob, concurrency: 1 }, async ({ job }) => {
    started.push(job.name);
    await new Promise<void>((resolve) => finish.push(resolve));
  });
  return { consumer, started, finish };
}

describe('node consumer', () => {
  it('runs every node of its batches once, never more at a time than its concurrency', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const ran = new Map<string, number>();
    let running = 0;
    let most = 0;
    const consumer = new NodeConsumer<TestJob>({ connection: redis, prefix, job: testJob, concurrency: 4 }, async ({ shard, job }) => {
      expect(shard).toBe(2);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      ran.set(job.name, (ran.get(job.name) ?? 0) + 1);
      running--;
    });
    try {
      await pool.dispatch(nodeBatches(2, nodes(250)));
      await until('every node to run', async () => ran.size === 250);
      expect([...ran.values()].every((times) => times === 1)).toBe(true);
      expect(most).toBe(4);
    } finally {
      await consumer.close();
      await pool.close();
    }
  });

  it('hands a failed node of a batch on as a job of its own, and does not run the others again', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const ran: string[] = [];
    const consumer = new NodeConsumer<TestJob>({ connection: redis, prefix, job: testJob, concurrency: 8 }, async ({ job }, delivery) => {
      ran.push(job.name);
      // A batch's node is never on its last attempt: it fails here the first time only.
      expect(delivery.lastAttempt).toBe(false);
      if (job.name === 'n1' && ran.filter((name) => name === 'n1').length === 1) throw new Error('host problem');
    });
    try {
      await pool.dispatch([nodeJobData(0, nodes(3))]);
      await until('four runs', async () => ran.length === 4);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(ran.sort()).toEqual(['n0', 'n1', 'n1', 'n2']);
    } finally {
      await consumer.close();
      await pool.close();
    }
  });

  it('keeps of a batch no more nodes than a quarter of its concurrency (at least one), handing the rest back at once', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const batched = new Queue(NODE_QUEUES.nodeBatch, { connection: redis, prefix });
    const { consumer, started, finish } = blockingConsumer(prefix);
    try {
      await pool.dispatch([nodeJobData(0, nodes(10))]);
      await until('the first node to start', async () => started.length === 1);
      // Concurrency 1 keeps one node of each batch and takes two batches: n0 runs, n1 (from n1…n9 handed
      // back) waits for its slot, and n2…n9 wait in the queue as one job for any worker.
      // Not just any one waiting job: n1…n9 wait alone for a moment before this worker takes them.
      const waitingIds = async () => (await batched.getJobs(['waiting'])).map((job) => job.id);
      await until('n2…n9 to wait as one job', async () => (await waitingIds()).join() === 'uid/wf-n2/0+8');
      const [rest] = await batched.getJobs(['waiting']);
      expect((rest!.data as { nodes: NodeDispatch<TestJob>[] }).nodes.map((n) => n.job.name)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
      // The jobs this worker holds now carry only the nodes it kept: if BullMQ fails them (the worker
      // dies twice), the nodes handed on are not taken for lost.
      const heldNodes = async () => (await batched.getJobs(['active'])).map((job) => (job.data as { nodes: NodeDispatch<TestJob>[] }).nodes.map((n) => n.job.name).join());
      await until('the held jobs to keep only their own nodes', async () => (await heldNodes()).sort().join(' ') === 'n0 n1', 10_000);
      for (let done = 0; done < 10; done++) {
        await until(`node ${done} to start`, async () => finish.length > done);
        finish[done]!();
      }
      await until('all ten to start', async () => started.length === 10);
      expect([...started].sort()).toEqual(nodes(10).map((n) => n.job.name).sort());
    } finally {
      finish.forEach((resolve) => resolve());
      await consumer.close();
      await pool.close();
      await batched.close();
    }
  });

  it('hands on the nodes of a batch not yet started when the worker closes, and runs none of them', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const queue = new Queue(NODE_QUEUES.node, { connection: redis, prefix });
    const { consumer, started, finish } = blockingConsumer(prefix);
    try {
      await pool.dispatch([nodeJobData(0, nodes(3))]);
      await until('the first node to start', async () => started.length === 1);
      const closed = consumer.close();
      finish[0]!();
      await closed;
      // n1 waited for the slot in this worker; n2, beyond what concurrency 1 keeps, had come back as a
      // lone job that this worker had taken. Both wait in the queue again, neither having run.
      expect(started).toEqual(['n0']);
      const waiting = await queue.getJobs(['waiting']);
      expect(waiting.map((j) => j.id).sort()).toEqual(['uid/wf-n1/0', 'uid/wf-n2/0']);
      expect(waiting.map((j) => (j.data as { nodes: NodeDispatch<TestJob>[] }).nodes.map((n) => n.job.name))).toEqual(expect.arrayContaining([['n1'], ['n2']]));
    } finally {
      await pool.close();
      await queue.close();
    }
  });

  it('puts a lone node cut short by the worker’s close back in its queue, spending no attempt, even its last', async () => {
    const prefix = poolPrefix();
    const queue = new Queue(NODE_QUEUES.node, { connection: redis, prefix });
    let stop!: (error: Error) => void;
    let lastAttempt: boolean | undefined;
    const consumer = new NodeConsumer<TestJob>({ connection: redis, prefix, job: testJob, concurrency: 1 }, async (_node, delivery) => {
      lastAttempt = delivery.lastAttempt;
      await new Promise<void>((_resolve, reject) => (stop = reject));
    });
    try {
      // One attempt only: were the cut-short node's failure counted, BullMQ would fail the job for good.
      await queue.add('node', { shard: 0, nodes: nodes(1) }, { jobId: 'uid/wf-n0/0', attempts: 1 });
      await until('the node to start', async () => lastAttempt !== undefined);
      expect(lastAttempt).toBe(true);
      const closed = consumer.close();
      // What the worker's close does to a running node: its executor stops it and throws.
      stop(new Error('worker shut down while the node ran'));
      await closed;
      const job = await queue.getJob('uid/wf-n0/0');
      expect(await job!.getState()).toBe('waiting');
      expect(job!.attemptsMade).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('fails a batch whose hand-on failed only once its kept nodes have ended, never while they run', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const batched = new Queue(NODE_QUEUES.nodeBatch, { connection: redis, prefix });
    const { consumer, started, finish } = blockingConsumer(prefix);
    consumer.on('error', () => {});
    try {
      // A broken lone queue: the one node of two that concurrency 1 hands on cannot be added there.
      await redis.set(`${prefix}:${NODE_QUEUES.node}:meta`, 'broken');
      await pool.dispatch([nodeJobData(0, nodes(2))]);
      await until('the kept node to start', async () => started.length === 1);
      const job = await batched.getJob('uid/wf-n0/0+2');
      // The hand-on fails within milliseconds; the job stays with this worker while n0 runs.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await job!.getState()).toBe('active');
      finish[0]!();
      await until('the job to fail, for a retry', async () => (await job!.getState()) === 'delayed', 10_000);
    } finally {
      finish.forEach((resolve) => resolve());
      await redis.del(`${prefix}:${NODE_QUEUES.node}:meta`);
      await consumer.close();
      await pool.close();
      await batched.close();
    }
  });
  it('fails a job whose data does not decode for good, naming the field, and runs none of it', async () => {
    const prefix = poolPrefix();
    const pool = new NodePool<TestJob>({ connection: redis, prefix, job: testJob });
    const queue = new Queue(NODE_QUEUES.node, { connection: redis, prefix });
    const ran: string[] = [];
    const consumer = new NodeConsumer<TestJob>({ connection: redis, prefix, job: testJob, concurrency: 1 }, async ({ job }) => void ran.push(job.name));
    try {
      await queue.add('node', { kind: 'node', shard: 0, nodes: [{ id: 'uid/wf-n0/0', job: { name: 7 } }] }, { jobId: 'uid/wf-n0/0', attempts: 3 });
      await until('the job to fail for good', async () => (await pool.failed(10)).length === 1);
      const [failed] = await pool.failed(10);
      expect(failed!.reason).toBe('node job data nodes.0.job.name: Invalid input: expected string, received number');
      expect(failed!.batch).toBeUndefined();
      expect(ran).toEqual([]);
    } finally {
      await consumer.close();
      await pool.close();
      await queue.close();
    }
  });
});
