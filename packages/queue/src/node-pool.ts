// Node jobs for workers, on a BullMQ queue per pool. Job ids are deterministic (<uid>/<nodeId>/<attempt>)
// so a command carried out twice after a crash enqueues the node once. BullMQ's cost is per job, not
// per byte: a workflow dispatching many nodes at once sends them several to a job. Job data is the
// protocol's (@regatta/protocol NodeJobData): jobs of one node and jobs of several, which have a queue
// of their own so a worker can take fewer of them at once (NodeConsumer); it is decoded, never cast.
import { Queue, UnrecoverableError, WaitingError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { NODE_QUEUES, nodeJobDataSchema, nodeJobKind, nodeJobProblem, type NodeDispatch, type NodeJobData } from '@regatta/protocol';
import { NodeSlots } from './node-slots.js';
const DISPATCH_CHUNK = 500;
const CHUNKS_IN_FLIGHT = 2;
/**
 * A workflow dispatching more nodes than this at once sends them NODES_PER_JOB to a job; fewer travel
 * one to a job, so that a handful of long nodes spreads over every worker. `wide` (10,000 tasks) ran
 * at 0.46-0.53 of bare BullMQ's rate one to a job (three `npm run bench -- wide` runs), 0.89-1.06 ten
 * to a job (a full `npm run bench`).
 */
const BATCH_ABOVE = 100;
const NODES_PER_JOB = 10;
/**
 * Result reporting failures are retried; the node itself is never retried by BullMQ. A job BullMQ
 * fails for good stays in its failed set until the scheduler's LostJobReaper has turned its nodes into
 * Error results: a cap there (BullMQ drops the oldest) could drop one unseen, leaving its node Running.
 */
const JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: false, attempts: 3, backoff: { type: 'exponential', delay: 500 } };

export interface PoolOptions<T> {
  connection: Redis;
  /** BullMQ prefix with a hash tag, e.g. Keys.pool('default'). */
  prefix: string;
  /** The schema of one node's job (nodeRunSchema of @regatta/protocol for the engine's node jobs). */
  job: z.ZodType<T>;
}

/**
 * Node ids are made from the workflow's name, which two workflows share when they live in two
 * namespaces or one was deleted and submitted again: the uid keeps their jobs apart (BullMQ keeps one
 * job per id, so the second workflow's node would never run).
 */
export function nodeJobId(uid: string, nodeId: string, attempt: number): string {
  return `${uid}/${nodeId}/${attempt}`;
}

/** One node as a worker runs it: its job, and the shard its result goes back to. */
export interface ShardJob<T> {
  shard: number;
  job: T;
}

/** The data of a job carrying these nodes: its kind (and so its queue) follows from their number. */
export function nodeJobData<T>(shard: number, nodes: NodeDispatch<T>[], redelivered?: boolean): NodeJobData<T> {
  return { kind: nodeJobKind(nodes), shard, nodes, ...(redelivered && { redelivered: true }) };
}

/**
 * One workflow's nodes as BullMQ jobs, in the order given. The outbox keeps that order, so a re-driven
 * outbox makes the same batches with the same ids.
 */
export function nodeBatches<T>(shard: number, nodes: NodeDispatch<T>[]): NodeJobData<T>[] {
  const size = nodes.length > BATCH_ABOVE ? NODES_PER_JOB : 1;
  const batches: NodeJobData<T>[] = [];
  for (let i = 0; i < nodes.length; i += size) batches.push(nodeJobData(shard, nodes.slice(i, i + size)));
  return batches;
}

/** A lone node keeps its own id; a batch is named after its first node and its size. */
function batchJobId(batch: NodeJobData<unknown>): string {
  const [first] = batch.nodes;
  return batch.nodes.length === 1 ? first!.id : `${first!.id}+${batch.nodes.length}`;
}

/** A job BullMQ gave up on, with the nodes it carried (none when its data does not decode). */
export interface FailedNodeJob<T> {
  queue: string;
  id: string;
  batch: NodeJobData<T> | undefined;
  /** BullMQ's failedReason, e.g. "job stalled more than allowable limit". */
  reason: string;
}

/** A node whose job is looked for: the node of a workflow, at an attempt. */
export interface NodeRef {
  uid: string;
  nodeId: string;
  attempt: number;
}

/**
 * The batch queue's lists and sets that hold a job until it is removed (completed jobs are removed at
 * once). Not the failed set: its jobs are the lost-job reaper's, and it may grow while no scheduler runs.
 */
const HELD_IN = { lists: ['wait', 'active', 'paused'], sets: ['delayed', 'prioritized', 'waiting-children'] } as const;

export class NodePool<T> {
  private readonly lone: Queue;
  private readonly batched: Queue;
  private readonly connection: Redis;
  private readonly data: z.ZodType<NodeJobData<T>>;

  constructor(options: PoolOptions<T>) {
    this.connection = options.connection;
    this.data = nodeJobDataSchema(options.job);
    this.lone = new Queue(NODE_QUEUES.node, { connection: options.connection, prefix: options.prefix });
    this.batched = new Queue(NODE_QUEUES.nodeBatch, { connection: options.connection, prefix: options.prefix });
  }

  /**
   * Adds in chunks: workers start on the first chunk while later ones are still being added. Two
   * chunks are in flight, so the next is built while Redis adds the last: 10,000 loop items were all
   * dispatched in 0.93-1.07 s against 1.10-1.44 s one chunk at a time (`npm run bench -- loop`,
   * column `dispatched`, alternating runs, one node to a job).
   */
  async dispatch(batches: NodeJobData<T>[]): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const start = next;
        next += DISPATCH_CHUNK;
        const chunk = batches.slice(start, start + DISPATCH_CHUNK);
        await Promise.all([
          addJobs(this.lone, chunk.filter((b) => b.kind === 'node')),
          addJobs(this.batched, chunk.filter((b) => b.kind === 'nodeBatch')),
        ]);
      }
    };
    await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, lane));
  }

  /**
   * Up to `limit` jobs BullMQ has failed for good (stalled past its limit, or thrown on their last
   * attempt), oldest first, over both queues. Their nodes have no result coming.
   */
  async failed(limit: number): Promise<FailedNodeJob<T>[]> {
    const queues = [this.lone, this.batched];
    const jobs = (await Promise.all(queues.map((queue) => queue.getJobs(['failed'], 0, limit - 1, true)))).flat();
    return jobs
      .filter((job): job is Job & { id: string } => job?.id !== undefined)
      .sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0))
      .slice(0, limit)
      .map((job) => ({ queue: job.queueName, id: job.id, batch: this.data.safeParse(job.data).data, reason: job.failedReason ?? 'failed' }));
  }

  /**
   * For each node, whether a job may still carry it, read in one atomic step (both queues share the
   * pool's hash tag): its lone job exists, or the workflow has a job of several nodes. Job data is not
   * read, so a workflow with any batch job left counts all its nodes as carried (none is missed, one
   * lost from a batch is found once its workflow's other batches are done). A job is removed only
   * after its nodes' results are stored, so a node found without a job has its result on the way or
   * none coming.
   */
  async carried(nodes: NodeRef[]): Promise<boolean[]> {
    if (nodes.length === 0) return [];
    const multi = this.connection.multi();
    for (const { uid, nodeId, attempt } of nodes) multi.exists(this.lone.toKey(nodeJobId(uid, nodeId, attempt)));
    for (const list of HELD_IN.lists) multi.lrange(this.batched.toKey(list), 0, -1);
    for (const set of HELD_IN.sets) multi.zrange(this.batched.toKey(set), 0, -1);
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0]!;
    const batchedWorkflows = new Set(replies.slice(nodes.length).flatMap(([, ids]) => (ids as string[]).map((id) => id.slice(0, id.indexOf('/')))));
    return nodes.map(({ uid }, i) => replies[i]![1] === 1 || batchedWorkflows.has(uid));
  }

  /** Forgets a failed job once its nodes are accounted for. */
  async remove(job: FailedNodeJob<T>): Promise<void> {
    await (job.queue === NODE_QUEUES.nodeBatch ? this.batched : this.lone).remove(job.id);
  }

  /** Jobs (of one node or a batch) by state, over both queues. */
  async counts(): Promise<Record<string, number>> {
    const states = ['waiting', 'active', 'delayed', 'failed'] as const;
    const [lone, batched] = await Promise.all([this.lone.getJobCounts(...states), this.batched.getJobCounts(...states)]);
    return Object.fromEntries(states.map((state) => [state, (lone[state] ?? 0) + (batched[state] ?? 0)]));
  }

  async close(): Promise<void> {
    await Promise.all([this.lone.close(), this.batched.close()]);
  }
}

async function addJobs(queue: Queue, batches: NodeJobData<unknown>[]): Promise<void> {
  if (batches.length === 0) return;
  await queue.addBulk(batches.map((batch) => ({ name: 'node', data: batch, opts: { ...JOB_OPTIONS, jobId: batchJobId(batch) } })));
}

export interface Delivery {
  /** When the job was added (ms since the epoch), for dispatch latency. */
  enqueuedAt: number;
  /** BullMQ will not hand this job on again if this attempt throws. */
  lastAttempt: boolean;
  /**
   * BullMQ handed this job out before (an attempt threw, or its worker stopped renewing its lock: a
   * crash), or a worker handed its nodes on from such a job. Its nodes may have run to the end and
   * reported already.
   */
  redelivered: boolean;
}

export interface ConsumerOptions<T> extends PoolOptions<T> {
  /** Nodes run at once, whether they came one to a job or in batches. */
  concurrency: number;
  /** How long a job stays with a worker that stopped renewing it (a crashed one) before another takes it. */
  lockDurationMs?: number;
}

/** Why a batch's node was handed on without being run: the worker began to close first. */
const CLOSING = 'worker closing before the node started';

/**
 * Takes node jobs from both queues and runs their nodes, never more at once than `concurrency`. BullMQ
 * counts jobs, not nodes, and a job ends with its slowest node; so a worker keeps at most a quarter of
 * its concurrency of any batch (at least one node), hands the rest straight back as one job, and takes
 * only as many batches at once as fill its slots, plus one. Another worker can then take what this one
 * cannot start soon, and long nodes of a fan-out spread over every worker as lone jobs would (300
 * nodes of `sleep 0.2`, two workers of concurrency 4: 9.3-9.4 s and ~150 nodes each, as with one node
 * to a job; keeping up to twice the concurrency took 11.7-12.3 s). A worker of concurrency 40 or more
 * keeps whole batches of ten.
 */
export class NodeConsumer<T> {
  private readonly lone: Worker;
  private readonly batched: Worker;
  /** Where nodes a batch hands on go. */
  private readonly pool: NodePool<T>;
  private readonly slots: NodeSlots;
  /** The most nodes of one batch this worker keeps. */
  private readonly keptPerBatch: number;
  private readonly data: z.ZodType<NodeJobData<T>>;
  private closing = false;

  constructor(
    options: ConsumerOptions<T>,
    private readonly process: (node: ShardJob<T>, delivery: Delivery) => Promise<void>,
  ) {
    this.slots = new NodeSlots(options.concurrency);
    this.keptPerBatch = Math.max(1, Math.floor(options.concurrency / 4));
    this.pool = new NodePool<T>(options);
    this.data = nodeJobDataSchema(options.job);
    const workerOptions = {
      connection: options.connection,
      prefix: options.prefix,
      ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
    };
    this.lone = new Worker(NODE_QUEUES.node, (job: Job, token?: string) => this.runLone(job, token), {
      ...workerOptions,
      concurrency: options.concurrency,
    });
    this.batched = new Worker(NODE_QUEUES.nodeBatch, (job: Job) => this.runBatch(job), {
      ...workerOptions,
      concurrency: Math.ceil(options.concurrency / this.keptPerBatch) + 1,
    });
  }

  /**
   * A lone node's failure fails its job, for BullMQ to retry. A node the worker's close cut short, or
   * that was still waiting for a slot, goes back to the queue with no attempt spent: on its last
   * attempt it would otherwise fail for good, with no result.
   */
  private async runLone(job: Job, token: string | undefined): Promise<void> {
    const data = this.decode(job);
    const { shard, nodes } = data;
    await this.inSlot(async () => {
      if (this.closing) return backToQueue(job, token);
      try {
        await this.process({ shard, job: nodes[0]!.job }, deliveryOf(job, data));
      } catch (error) {
        if (this.closing) return backToQueue(job, token);
        throw error;
      }
    });
  }

  /**
   * A batch's nodes succeed or fail each on its own: one that throws, or has not started when the
   * worker closes, is handed on as a job of its own, so that the rest are not run again. Only if a
   * hand-on fails does the batch's job fail, and then every node of it is run again (the engine
   * applies a node's result once).
   */
  private async runBatch(job: Job): Promise<void> {
    const batch = this.decode(job);
    const delivery = deliveryOf(job, batch);
    const { shard } = batch;
    const kept = batch.nodes.slice(0, this.keptPerBatch);
    const excess = batch.nodes.slice(this.keptPerBatch);
    // No node of a batch is on its last attempt: one that fails gets attempts of its own.
    const nodeDelivery = { ...delivery, lastAttempt: false };
    const handed = (nodes: NodeDispatch<T>[]) => nodeJobData(shard, nodes, delivery.redelivered);
    const handOn: NodeJobData<T>[] = [];
    // Settled, not raced: a failed hand-on fails the job only once the kept nodes have ended, so BullMQ
    // never takes the job for lost while its nodes still run here.
    const [excessHanded] = await Promise.allSettled([
      // Once handed on, the excess is no longer this job's: if BullMQ fails the job (its workers died),
      // only the kept nodes are lost, not those running elsewhere.
      excess.length > 0 ? this.pool.dispatch([handed(excess)]).then(() => job.updateData({ ...batch, nodes: kept })) : undefined,
      ...kept.map((node) =>
        this.inSlot(() => {
          if (this.closing) throw new Error(CLOSING);
          return this.process({ shard, job: node.job }, nodeDelivery);
        }).catch(() => {
          handOn.push(handed([node]));
        }),
      ),
    ]);
    if (excessHanded.status === 'rejected') throw excessHanded.reason;
    if (handOn.length > 0) await this.pool.dispatch(handOn);
  }

  /**
   * The job's data, decoded: data that does not decode fails the job for good, with the field at
   * fault, and none of it runs (the lost-job reaper then finds no node to end and drops it).
   */
  private decode(job: Job): NodeJobData<T> {
    const decoded = this.data.safeParse(job.data);
    if (!decoded.success) throw new UnrecoverableError(nodeJobProblem(decoded.error));
    return decoded.data;
  }

  private async inSlot(run: () => Promise<void>): Promise<void> {
    await this.slots.acquire();
    try {
      await run();
    } finally {
      this.slots.release();
    }
  }

  /** Jobs waiting and running in the pool, for its depth metric. */
  counts(): Promise<Record<string, number>> {
    return this.pool.counts();
  }

  on(event: 'error', listener: (error: Error) => void): void {
    this.lone.on(event, listener);
    this.batched.on(event, listener);
  }

  /** Marks the consumer closing at once (before it resolves), so nodes cut short after the call are handed on. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([this.lone.close(), this.batched.close()]);
    await this.pool.close();
  }
}

/** Puts an active job back in its queue as it was; the WaitingError tells BullMQ to leave it there. */
async function backToQueue(job: Job, token: string | undefined): Promise<never> {
  await job.moveToWait(token);
  throw new WaitingError();
}

function deliveryOf(job: Job, data: NodeJobData<unknown>): Delivery {
  return {
    enqueuedAt: job.timestamp,
    lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    redelivered: job.attemptsMade > 0 || job.stalledCounter > 0 || data.redelivered === true,
  };
}
