// Settles submissions whose submitter died half-way (see Submissions in the store), on the shards this
// scheduler owns: one with its record and name in place is announced, any other is rolled back, so no
// workflow stays Pending unannounced and no name stays claimed by a workflow that does not exist.
import type { Submissions } from '@regatta/store';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';

const SWEEP_MS = 5_000;

export class SubmissionSweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly submissions: Submissions,
    private readonly ownedShards: () => number[],
    private readonly logger: Logger,
    private readonly metrics: SchedulerMetrics,
    private readonly intervalMs = SWEEP_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch((error: Error) => this.logger.warn({ err: error }, 'sweeping submissions failed'))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the owned shards' stale submissions. */
  async runOnce(ageMs?: number): Promise<void> {
    for (const shard of this.ownedShards()) {
      for (const uid of await this.submissions.stale(shard, ageMs)) {
        const outcome = await this.submissions.settle(uid, shard);
        if (outcome === 'none') continue;
        this.metrics.submissionsSettled.inc({ outcome });
        this.logger.warn({ uid, shard, outcome }, 'submission left half-way by its submitter settled');
      }
    }
  }
}
