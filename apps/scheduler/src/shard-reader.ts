// One owned shard's event loop: first the entries a previous owner left unacknowledged, then new
// entries as they arrive (a blocking read; the timeout only lets the loop notice a lost lease).
import type { Redis } from 'ioredis';
import type { ShardStreams } from '@regatta/queue';
import type { Logger } from '@regatta/telemetry';
import type { BatchApplier } from './batch-applier.js';

export interface ShardReaderOptions {
  shard: number;
  epoch: number;
  consumer: string;
  batchSize: number;
  blockMs: number;
}

export class ShardReader {
  private stopped = false;
  readonly done: Promise<void>;

  constructor(
    private readonly options: ShardReaderOptions,
    private readonly connection: Redis,
    private readonly streams: ShardStreams,
    private readonly applier: BatchApplier,
    private readonly logger: Logger,
    private readonly onLost: () => void,
  ) {
    this.done = this.run();
  }

  get epoch(): number {
    return this.options.epoch;
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    const { shard, epoch, consumer, batchSize, blockMs } = this.options;
    let recover = true;
    while (!this.stopped) {
      try {
        if (recover) {
          await this.streams.ensureGroup(shard);
          const pending = await this.streams.claimPending(shard, consumer);
          if (pending.length > 0 && !(await this.applier.apply({ shard, epoch }, pending))) return this.lost();
          recover = false;
        }
        const entries = await this.streams.read(this.connection, shard, consumer, batchSize, blockMs);
        if (this.stopped) return;
        if (entries.length > 0 && !(await this.applier.apply({ shard, epoch }, entries))) return this.lost();
      } catch (error) {
        if (this.stopped) return;
        this.logger.error({ err: error, shard }, 'shard batch failed; retrying from unacknowledged events');
        recover = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private lost(): void {
    this.logger.warn({ shard: this.options.shard }, 'shard lease lost to a newer owner');
    this.stopped = true;
    this.onLost();
  }
}
