// Node jobs BullMQ fails for good (stalled past its limit because their workers died, or thrown on
// their last attempt) bring no result: their nodes would stay Running forever. The reaper reads the
// pool's failed sets, reports each node of such a job as an Error result on its shard (Argo's "pod
// deleted", which retryStrategy OnError and Always retry), and only then forgets the job. It reads
// only failed jobs, never the workflows' nodes. Every scheduler runs one: a result is accepted once
// per node attempt, and one for a node that has ended is ignored, so two reapers do no harm.
import type { NodeJob } from '@regatta/engine';
import type { FailedNodeJob } from '@regatta/queue';
import { endLostNodes, type LostNodeParts } from './lost-nodes.js';

/** Failed jobs read at a time; a sweep goes on while it finds full pages. */
const PAGE = 100;

export interface LostJobReaperOptions {
  /** How often the failed sets are read. */
  intervalMs: number;
}

export class LostJobReaper {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private closed = false;

  constructor(
    private readonly parts: LostNodeParts,
    private readonly options: LostJobReaperOptions,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Reports the nodes of every failed job as Error results, then removes the jobs; returns how many jobs. */
  async sweep(): Promise<number> {
    let reaped = 0;
    for (;;) {
      const jobs = await this.parts.pool.failed(PAGE);
      if (jobs.length === 0) return reaped;
      await this.report(jobs);
      // Removed only once reported: a crash in between reports them again, which the engine ignores.
      await Promise.all(jobs.map((job) => this.parts.pool.remove(job)));
      this.parts.metrics.lostJobs.inc({ cause: 'failed' }, jobs.length);
      reaped += jobs.length;
      if (jobs.length < PAGE || this.closed) return reaped;
    }
  }

  private async report(jobs: FailedNodeJob<NodeJob>[]): Promise<void> {
    for (const { id, batch, reason } of jobs) {
      if (batch) this.parts.logger.warn({ job: id, nodes: batch.nodes.map((n) => n.job.nodeId), reason }, 'node job failed for good; its nodes end in Error');
      else this.parts.logger.error({ job: id, reason }, 'node job failed for good and its data does not decode: no node to end; dropped');
    }
    const lost = jobs.flatMap(({ batch, reason }) =>
      !batch ? [] : batch.nodes.map(({ job }) => ({ shard: batch.shard, uid: job.workflow.uid, nodeId: job.nodeId, attempt: job.attempt, message: `pod deleted (${reason})` })),
    );
    await endLostNodes(this.parts.streams, lost, this.parts.now());
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().then(
        () => undefined,
        (error: Error) => this.parts.logger.warn({ err: error }, 'reading failed node jobs failed; will retry'),
      );
      void this.sweeping.then(() => this.schedule());
    }, this.options.intervalMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }
}
