// The worker process: takes node jobs from its pool, runs each through an executor, and reports the
// result to the workflow's shard stream. Results carry <nodeId>/<attempt>, so a redelivered job's
// second report is ignored by the engine.
import { Redis } from 'ioredis';
import type { Executor, NodeRunRequest, NodeRunResult } from '@regatta/executors';
import { NodeConsumer, ShardStreams, type ShardJob } from '@regatta/queue';
import { Keys, LogStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import { LogBatcher } from './log-batcher.js';

export interface WorkerOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  executor: Executor;
  pool?: string;
  concurrency?: number;
}

export class Worker {
  private readonly redis: Redis;
  private readonly running = new Set<AbortController>();
  private consumer?: NodeConsumer<ShardJob<NodeRunRequest>>;
  private readonly streams: ShardStreams;
  private readonly logs: LogStore;

  constructor(private readonly options: WorkerOptions) {
    this.redis = new Redis(options.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: null });
    const keys = new Keys(options.prefix);
    this.streams = new ShardStreams(this.redis, (shard) => keys.shard(shard).events);
    this.logs = new LogStore(this.redis, keys);
  }

  start(): void {
    const keys = new Keys(this.options.prefix);
    this.consumer = new NodeConsumer<ShardJob<NodeRunRequest>>(
      { connection: this.redis, prefix: keys.pool(this.options.pool ?? 'default'), concurrency: this.options.concurrency ?? 16 },
      (data) => this.runNode(data),
    );
    this.consumer.on('error', (error) => this.options.logger.error({ err: error }, 'node queue error'));
    this.options.logger.info({ executor: this.options.executor.name }, 'worker started');
  }

  private async runNode({ shard, job }: ShardJob<NodeRunRequest>): Promise<void> {
    const logger = this.options.logger.child({ workflow: job.workflow.name, node: job.nodeId, attempt: job.attempt });
    const controller = new AbortController();
    this.running.add(controller);
    const batcher = new LogBatcher(this.logs, job.workflow.uid, job.nodeId);
    let result: NodeRunResult;
    try {
      logger.debug('node started');
      result = await this.options.executor.run(job, {
        signal: controller.signal,
        onLog: (stream, line) => batcher.push(stream, line),
      });
    } finally {
      this.running.delete(controller);
    }
    await batcher.flush();
    // A node cut short by this worker's shutdown is not a result: the job fails and BullMQ hands it on.
    if (controller.signal.aborted) throw new Error('worker shut down while the node ran');
    await this.streams.append(shard, job.workflow.uid, {
      type: 'nodeFinished',
      nodeId: job.nodeId,
      attempt: job.attempt,
      phase: result.phase,
      ...(result.message !== undefined && { message: result.message }),
      outputs: result.outputs,
      finishedAt: result.finishedAt,
    });
    logger.debug({ phase: result.phase }, 'node finished');
  }

  async close(): Promise<void> {
    for (const controller of this.running) controller.abort();
    await this.consumer?.close();
    await this.redis.quit();
  }
}
