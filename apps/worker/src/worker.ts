// The worker process: takes node jobs from its pool, runs each through an executor, and reports the
// result (and a daemon's start) to the workflow's shard stream. Results carry <nodeId>/<attempt>, so a
// redelivered job's second report is ignored by the engine. Everything it uses from outside comes in one
// WorkerResources object.
import { argoTime, nodeEnded, setLongTimeout } from '@regatta/spec';
import type { Redis } from 'ioredis';
import type { Executor, NodeRunRequest, NodeRunResult } from '@regatta/executors';
import { nodeRunSchema } from '@regatta/protocol';
import { NodeConsumer, ShardStreams, type Delivery, type ShardJob } from '@regatta/queue';
import { Keys, LogStore, WorkflowStore, type RedisFactory } from '@regatta/store';
import { WorkerMetrics, type Logger } from '@regatta/telemetry';
import { LogBatcher } from './log-batcher.js';
import { NodeCancellation } from './node-cancellation.js';
import { ResultReporter } from './result-reporter.js';

/** What a worker is given: its connections, keys, logger, metrics, executor and settings. */
export interface WorkerResources {
  /** Every connection the worker opens comes from here. */
  connect: RedisFactory;
  keys: Keys;
  logger: Logger;
  executor: Executor;
  metrics?: WorkerMetrics;
  config?: WorkerSettings;
}

export interface WorkerSettings {
  pool?: string;
  concurrency?: number;
  /** See ConsumerOptions.lockDurationMs; BullMQ's 30 s unless set. */
  lockDurationMs?: number;
  /** Bytes of output lines kept per node and per workflow; the stores' defaults unless set. */
  logLimits?: { nodeBytes?: number; workflowBytes?: number };
  /** How long a closing worker lets running nodes finish before it stops them and hands them on (default 0). */
  shutdownGraceMs?: number;
}

/** An abort reason for nodes whose result nobody wants: deleted workflows, nodes a stop already ended. */
const CANCELLED = 'cancelled';

/** Argo's message for a pod that outlived its activeDeadlineSeconds. */
const DEADLINE_EXCEEDED = 'Pod was active on the node longer than the specified deadline';

/** Nodes still running when the worker closes: not a result; the consumer hands them on (see NodeConsumer). */
const SHUT_DOWN = 'worker shut down while the node ran';

/** How often the pool's queue depth is read for the metrics. */
const DEPTH_INTERVAL_MS = 5_000;

export class Worker {
  private readonly redis: Redis;
  /** Running nodes' cancellations, by workflow uid, then node id. */
  private readonly running = new Map<string, Map<string, NodeCancellation>>();
  private subscriber?: Redis;
  private consumer?: NodeConsumer<NodeRunRequest>;
  private readonly reporter: ResultReporter;
  private readonly logs: LogStore;
  private readonly workflows: WorkflowStore;
  private depthTimer?: NodeJS.Timeout;
  readonly metrics: WorkerMetrics;
  private readonly options: WorkerSettings;
  private readonly logger: Logger;
  private readonly keys: Keys;

  constructor(private readonly resources: WorkerResources) {
    this.options = resources.config ?? {};
    this.logger = resources.logger;
    this.keys = resources.keys;
    // Not auto-pipelined: BullMQ's job loop then sends each command at once, as a bare BullMQ worker
    // does. Draining 10,000 noop jobs (`npm run bench -- drain`) ran at 0.55-0.58 of a bare worker's
    // rate auto-pipelined, 0.74-0.79 without. Results are batched by the reporter instead.
    this.redis = resources.connect({ maxRetriesPerRequest: null });
    const { keys } = this;
    this.reporter = new ResultReporter(new ShardStreams(this.redis, (shard) => keys.shard(shard).events));
    this.logs = new LogStore(this.redis, keys, this.options.logLimits?.workflowBytes);
    this.workflows = new WorkflowStore(this.redis, keys.prefix);
    this.metrics = resources.metrics ?? new WorkerMetrics();
  }

  start(): void {
    const { keys } = this;
    const poolName = this.options.pool ?? 'default';
    const concurrency = this.options.concurrency ?? 16;
    this.metrics.concurrency.set(concurrency);
    const consumer = (this.consumer = new NodeConsumer<NodeRunRequest>(
      { connection: this.redis, prefix: keys.pool(poolName), job: nodeRunSchema, concurrency, lockDurationMs: this.options.lockDurationMs },
      (data, delivery) => this.runNode(data, delivery),
    ));
    if (this.resources.metrics) {
      this.depthTimer = setInterval(() => {
        consumer.counts().then(
          (counts) => Object.entries(counts).forEach(([state, n]) => this.metrics.poolDepth.set({ pool: poolName, state }, n)),
          (error: Error) => this.logger.warn({ err: error }, 'reading the pool depth failed'),
        );
      }, DEPTH_INTERVAL_MS);
    }
    consumer.on('error', (error) => this.logger.error({ err: error }, 'node queue error'));
    // A deleted workflow's nodes are stopped where they run; their jobs then end without a result.
    const subscriber = (this.subscriber = this.resources.connect({ maxRetriesPerRequest: null }));
    subscriber.on('message', (_channel: string, message: string) => this.cancel(message));
    void subscriber.subscribe(keys.cancellations).catch((error: Error) => this.logger.error({ err: error }, 'subscribing to cancellations failed'));
    this.logger.info({ executor: this.resources.executor.name }, 'worker started');
  }

  /** A cancellation names a workflow, and maybe some of its nodes: their processes are stopped. */
  private cancel(message: string): void {
    let request: { uid?: string; nodes?: string[] };
    try {
      request = JSON.parse(message) as typeof request;
    } catch {
      this.logger.warn({ message }, 'ignoring a malformed cancellation');
      return;
    }
    const running = this.running.get(request.uid ?? '');
    if (!running) return;
    for (const [nodeId, cancellation] of running) if (!request.nodes || request.nodes.includes(nodeId)) cancellation.abort(CANCELLED);
  }

  private async runNode({ shard, job }: ShardJob<NodeRunRequest>, delivery: Delivery): Promise<void> {
    if (delivery.redelivered && (await this.alreadyEnded(job))) {
      this.logger.info({ workflow: job.workflow.name, node: job.nodeId }, 'redelivered node already ended; not run again');
      return;
    }
    this.metrics.dispatchLatency.observe(Math.max(0, Date.now() - delivery.enqueuedAt) / 1000);
    const stopTimer = this.metrics.nodeDuration.startTimer();
    this.metrics.running.inc();
    // A child logger per node only when something will be logged: creating one costs more than a noop node.
    const logger = this.logger.isLevelEnabled('debug')
      ? this.logger.child({ workflow: job.workflow.name, node: job.nodeId, attempt: job.attempt })
      : undefined;
    const cancellation = new NodeCancellation();
    const running = this.running.get(job.workflow.uid) ?? new Map<string, NodeCancellation>();
    this.running.set(job.workflow.uid, running.set(job.nodeId, cancellation));
    // A long timer: a deadline past 24.8 days would otherwise fire after 1 ms.
    const deadline =
      job.activeDeadlineSeconds === undefined ? undefined : setLongTimeout(() => cancellation.abort(DEADLINE_EXCEEDED), job.activeDeadlineSeconds * 1000);
    // Made on the first line: most noop and quiet nodes never log.
    let batcher: LogBatcher | undefined;
    // A daemon is reported once its process runs, so that its steps or DAG go on; it runs until it exits
    // or the scheduler cancels it. BullMQ renews the job's lock for as long as this function is pending.
    let daemoned: Promise<void> | undefined;
    const onStarted = () => {
      daemoned = this.reporter.report(shard, job.workflow.uid, { type: 'nodeDaemoned', nodeId: job.nodeId, attempt: job.attempt }).then(
        () => logger?.debug('node daemoned'),
        (error: Error) => this.logger.error({ err: error, node: job.nodeId }, 'reporting a daemon started failed'),
      );
    };
    let result: NodeRunResult;
    try {
      logger?.debug('node started');
      result = await this.resources.executor.run(job, {
        get signal() {
          return cancellation.signal;
        },
        onLog: (stream, line) => (batcher ??= new LogBatcher(this.logs, job.workflow.uid, job.nodeId, this.options.logLimits?.nodeBytes)).push(stream, line),
        onStarted: job.daemon ? onStarted : undefined,
      });
    } catch (error) {
      // A host problem (no work folder, launcher missing): another attempt may land on a healthier
      // worker; after the last one the node ends in Error instead of staying Running forever.
      if (cancellation.reason === CANCELLED) return;
      if (!delivery.lastAttempt || cancellation.reason === SHUT_DOWN) throw error;
      const now = argoTime();
      result = { phase: 'Error', message: `worker could not run the node: ${(error as Error).message}`, outputs: {}, startedAt: now, finishedAt: now };
    } finally {
      deadline?.clear();
      running.delete(job.nodeId);
      if (running.size === 0) this.running.delete(job.workflow.uid);
      this.metrics.running.dec();
    }
    stopTimer({ phase: result.phase });
    // A daemon that exited by itself reports its end after its start.
    if (batcher || daemoned) await Promise.all([batcher?.flush(), daemoned]);
    // A deleted workflow has nowhere to report to, nor a daemon the scheduler stopped; a node cut short by
    // this worker's shutdown is not a result: that job fails and BullMQ hands it on.
    if (cancellation.reason === CANCELLED) return;
    if (cancellation.reason === SHUT_DOWN) throw new Error(SHUT_DOWN);
    await this.reporter.report(shard, job.workflow.uid, {
      type: 'nodeFinished',
      nodeId: job.nodeId,
      attempt: job.attempt,
      phase: result.phase,
      ...(result.message !== undefined && { message: result.message }),
      outputs: result.outputs,
      finishedAt: result.finishedAt,
      ...(result.containers && { containers: result.containers }),
      ...(result.hostNodeName && { hostNodeName: result.hostNodeName }),
    });
    logger?.debug({ phase: result.phase }, 'node finished');
  }

  /**
   * Whether a redelivered node has ended already: its worker died after reporting it, or while running
   * other nodes of its batch. The engine would ignore a second result, so it is not run again.
   */
  private async alreadyEnded(job: NodeRunRequest): Promise<boolean> {
    const phase = await this.workflows.nodePhase(job.workflow.uid, job.nodeId);
    return phase !== undefined && nodeEnded(phase);
  }

  /**
   * Takes no more jobs at once (nodes not started yet go back to the queue); running nodes go on for up
   * to shutdownGraceMs, reporting as usual, and those still running then are stopped and handed on.
   * Cancellations keep arriving meanwhile.
   */
  async close(): Promise<void> {
    clearInterval(this.depthTimer);
    // The consumer knows it is closing before any node is cut short, so it hands those nodes on
    // without spending an attempt of their jobs.
    const closed = this.consumer?.close();
    const graceMs = this.options.shutdownGraceMs ?? 0;
    if (closed && graceMs > 0 && this.running.size > 0) {
      this.logger.info({ nodes: this.runningNodes(), graceMs }, 'letting running nodes finish');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    if (this.running.size > 0) this.logger.info({ nodes: this.runningNodes() }, 'stopping running nodes; they are handed on');
    for (const cancellations of this.running.values()) for (const cancellation of cancellations.values()) cancellation.abort(SHUT_DOWN);
    await closed;
    this.subscriber?.disconnect();
    await this.redis.quit();
  }

  private runningNodes(): number {
    let count = 0;
    for (const nodes of this.running.values()) count += nodes.size;
    return count;
  }
}
