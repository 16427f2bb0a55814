// Reports (a node's result, a daemon's start) go to the shard streams in batches: those made in the
// same turn of the event loop leave together, one stream entry per shard. A worker finishing 50 nodes
// at once then sends one XADD instead of 50, and the scheduler reads, acknowledges and deletes one
// entry. A report resolves once its entry is stored, so a node's job completes only after that.
import type { ShardEvent, ShardStreams } from '@regatta/queue';

interface QueuedReport {
  uid: string;
  event: ShardEvent;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ResultReporter {
  private queued = new Map<number, QueuedReport[]>();
  private flushScheduled = false;

  constructor(private readonly streams: ShardStreams) {}

  report(shard: number, uid: string, event: ShardEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      const reports = this.queued.get(shard);
      if (reports) reports.push({ uid, event, resolve, reject });
      else this.queued.set(shard, [{ uid, event, resolve, reject }]);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = this.queued;
    this.queued = new Map();
    for (const [shard, reports] of batches) {
      this.streams.appendBatch(shard, reports).then(
        () => reports.forEach((report) => report.resolve()),
        (error: Error) => reports.forEach((report) => report.reject(error)),
      );
    }
  }
}
