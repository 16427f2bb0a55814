// One owned shard's event loop: first the entries a previous owner left unacknowledged, then new
// entries as they arrive (a blocking read; the timeout only lets the loop notice a lost lease).
import type { Redis } from 'ioredis';
import type { ShardStreams, ShardTimers } from '@regatta/queue';

/** How often due timers are looked for: the most a retry's backoff can overrun by. */
const TIMER_POLL_MS = 250;
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
    private readonly timers: ShardTimers,
    private readonly applier: BatchApplier,
    private readonly logger: Logger,
    private readonly onLost: () => void,
    /** After a failure: forget cached workflows of this shard, so they are reloaded with their outbox. */
    private readonly onFailure: () => void,
  ) {
    this.done = Promise.all([this.run(), this.promoteTimers()]).then(() => undefined);
  }

  get epoch(): number {
    return this.options.epoch;
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * Reading and storing the next batch overlaps with carrying out the previous one (at most one in
   * flight, in order), so dispatching a large fan-out does not hold back the results coming in.
   */
  private async run(): Promise<void> {
    const { shard, epoch, consumer, batchSize, blockMs } = this.options;
    const context = { shard, epoch };
    let recover = true;
    let inFlight: Promise<void> = Promise.resolve();
    while (!this.stopped) {
      try {
        if (recover) {
          await inFlight;
          await this.streams.ensureGroup(shard);
          const pending = await this.streams.claimPending(shard, consumer);
          if (pending.length > 0 && !(await this.applier.apply(context, pending))) return this.lost();
          recover = false;
        }
        const entries = await this.streams.read(this.connection, shard, consumer, batchSize, blockMs);
        if (this.stopped) break;
        if (entries.length === 0) continue;
        const stored = await this.applier.persist(context, entries);
        if (!stored) return this.lost();
        await inFlight;
        inFlight = this.applier.finish(context, stored);
        // Surfaces a failed carry-out at the next await, whichever comes first.
        inFlight.catch(() => {});
      } catch (error) {
        if (this.stopped) break;
        this.logger.error({ err: error, shard }, 'shard batch failed; retrying from unacknowledged events');
        inFlight = Promise.resolve();
        this.onFailure();
        recover = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    await inFlight.catch(() => {});
  }

  /** Moves due timers onto the stream, where the blocked read picks them up like any event. */
  private async promoteTimers(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.timers.promoteDue(this.options.shard, Date.now());
      } catch (error) {
        if (!this.stopped) this.logger.warn({ err: error, shard: this.options.shard }, 'moving due timers failed; will retry');
      }
      await new Promise((resolve) => setTimeout(resolve, TIMER_POLL_MS));
    }
  }

  private lost(): void {
    this.logger.warn({ shard: this.options.shard }, 'shard lease lost to a newer owner');
    this.stopped = true;
    this.onLost();
  }
}
