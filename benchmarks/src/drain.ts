// `drain`: the worker alone. The jobs the scheduler would add for `wide` wait in a paused queue;
// then one `regatta worker` (noop) drains them, against a bare BullMQ Worker draining the same jobs,
// added the same way, in the same run. No scheduler reads the results, so this is the worker's own
// cost per node next to BullMQ's.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { applyEvent, WorkflowState, type NodeJob } from '@regatta/engine';
import { NODE_QUEUES, NodePool, nodeBatches, nodeJobId, type NodeJobData, type NodeDispatch } from '@regatta/queue';
import { nodeRunSchema } from '@regatta/protocol';
import { loadWorkflow } from '@regatta/spec';
import { Keys } from '@regatta/store';
import { BARE_WORKER } from './baseline.js';
import { cpuSecondsOf, removePrefix, round } from './system.js';
import { wide } from './workloads.js';

const CLI = fileURLToPath(new URL('../../apps/cli/bin/regatta.js', import.meta.url));
const POLL_MS = 2;

export interface DrainResult {
  nodes: number;
  seconds: number;
  bullmqSeconds: number;
  ratioToBullmq: number;
  cpuSeconds: { worker: number; bullmqWorker: number };
}

export async function drain(redis: Redis, redisUrl: string, nodes: number): Promise<DrainResult> {
  const prefix = `regatta-bench-${randomUUID().slice(0, 8)}`;
  const all = nodeJobs(nodes + nodes / 10);
  const warmup = nodeBatches(0, all.splice(0, nodes / 10));
  const jobs = nodeBatches(0, all);
  try {
    const bareKeys = new Keys(`${prefix}-bare`);
    // Every job of `wide` is a batch: the bare worker drains that queue.
    const bare = fork(BARE_WORKER, [redisUrl, bareKeys.pool('default'), NODE_QUEUES.nodeBatch, String(warmup.length), String(jobs.length)]);
    await new Promise((resolve) => bare.once('message', resolve));
    const bullmq = await drained(redis, bareKeys.pool('default'), bare, warmup, jobs);
    bare.kill();
    const env = { ...process.env, REDIS_URL: redisUrl, REGATTA_PREFIX: prefix, LOG_LEVEL: 'warn' };
    await redis.hset(`${prefix}:instance`, { id: randomUUID(), shards: 16 });
    const worker = spawn(process.execPath, [CLI, 'worker', '--executor', 'noop', '--concurrency', '50'], { env, stdio: 'inherit' });
    const regatta = await drained(redis, new Keys(prefix).pool('default'), worker, warmup, jobs);
    await new Promise((resolve) => {
      worker.once('exit', resolve);
      worker.kill('SIGTERM');
    });
    return {
      nodes,
      seconds: round(regatta.seconds, 3),
      bullmqSeconds: round(bullmq.seconds, 3),
      ratioToBullmq: round(bullmq.seconds / regatta.seconds, 2),
      cpuSeconds: { worker: regatta.cpuSeconds, bullmqWorker: bullmq.cpuSeconds },
    };
  } finally {
    await removePrefix(redis, prefix);
  }
}

/** The node jobs of a `wide` workflow of `nodes` tasks, as the engine makes them. */
function nodeJobs(nodes: number): NodeDispatch<NodeJob>[] {
  const workflow = loadWorkflow(wide(nodes).yaml, 'drain.yaml');
  workflow.metadata = { name: 'drain', namespace: 'default', uid: randomUUID() };
  const { commands } = applyEvent(new WorkflowState(workflow), { type: 'workflowSubmitted' }, new Date().toISOString());
  return commands.flatMap((c) => (c.type === 'dispatchNode' ? [{ id: nodeJobId(c.job.workflow.uid, c.job.nodeId, c.job.attempt), job: c.job }] : []));
}

/** Warms the consumer up on `warmup`, then times it draining `jobs` added to the paused queues. */
async function drained(redis: Redis, poolPrefix: string, consumer: ChildProcess, warmup: Jobs, jobs: Jobs): Promise<{ seconds: number; cpuSeconds: number }> {
  const pool = new NodePool<NodeJob>({ connection: redis, prefix: poolPrefix, job: nodeRunSchema });
  const queues = Object.values(NODE_QUEUES).map((name) => new Queue(name, { connection: redis, prefix: poolPrefix }));
  try {
    await pool.dispatch(warmup);
    await empty(queues);
    await Promise.all(queues.map((queue) => queue.pause()));
    await pool.dispatch(jobs);
    const cpuBefore = cpuSecondsOf(consumer);
    const started = performance.now();
    await Promise.all(queues.map((queue) => queue.resume()));
    await empty(queues);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: round(cpuSecondsOf(consumer) - cpuBefore, 2) };
  } finally {
    await Promise.all(queues.map((queue) => queue.obliterate({ force: true })));
    await Promise.all([...queues.map((queue) => queue.close()), pool.close()]);
  }
}

type Jobs = NodeJobData<NodeJob>[];

async function empty(queues: Queue[]): Promise<void> {
  for (;;) {
    const counts = await Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'prioritized')));
    if (counts.every((byState) => Object.values(byState).every((n) => n === 0))) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
