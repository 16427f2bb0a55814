// One owned shard's event loop: first the entries a previous owner (or a failed batch) left
// unacknowledged, then new entries as they arrive (a blocking read; the timeout only lets the loop
// notice a lost lease). Entries that do not decode, and entries whose processing fails every time they
// are delivered, go to the shard's dead-letter stream, so that no entry can stop the shard.
import type { Redis } from 'ioredis';
import type { DeadLetters, RefusedEntry, ShardEntry, ShardStreams, ShardTimers } from '@regatta/queue';
import { isTransientRedisError } from '@regatta/store';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';
import type { BatchApplier, BatchContext } from './batch-applier.js';

/** How often due timers are looked for: the most a retry's backoff can overrun by. */
const TIMER_POLL_MS = 250;
/** Pause after a failed batch before its entries are claimed again. */
const RETRY_PAUSE_MS = 500;
/**
 * Claimed entries delivered this often have failed as a batch at least once since their first
 * delivery: they are then applied one entry at a time, so an entry that keeps failing fails alone.
 */
const RETRIED_DELIVERIES = 3;

export interface ShardReaderOptions {
  shard: number;
  epoch: number;
  consumer: string;
  batchSize: number;
  blockMs: number;
  /** An entry delivered this often whose processing still fails on its own is dead-lettered. */
  maxDeliveries: number;
}

export interface ShardReaderParts {
  connection: Redis;
  streams: ShardStreams;
  deadLetters: DeadLetters;
  timers: ShardTimers;
  applier: BatchApplier;
  logger: Logger;
  metrics: SchedulerMetrics;
  onLost: () => void;
  /** After a failure: forget cached workflows of this shard, so they are reloaded with their outbox; returns their uids. */
  onFailure: () => string[];
}

export class ShardReader {
  private stopped = false;
  private resyncAsked = false;
  readonly done: Promise<void>;

  constructor(
    private readonly options: ShardReaderOptions,
    private readonly parts: ShardReaderParts,
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
   * Redis may have rolled back under this reader (it restarted from a file missing the last writes):
   * at its next turn it forgets its cached workflows, applies its pending entries again and re-drives
   * the outboxes of every workflow it held, so a lost node job or a lost clear is redone.
   */
  resync(): void {
    this.resyncAsked = true;
  }

  /**
   * Reading and storing the next batch overlaps with carrying out the previous one (at most one in
   * flight, in order), so dispatching a large fan-out does not hold back the results coming in.
   */
  private async run(): Promise<void> {
    const { shard, epoch, consumer, batchSize, blockMs } = this.options;
    const { streams, applier, logger } = this.parts;
    const context = { shard, epoch };
    let recover = true;
    let inFlight: Promise<void> = Promise.resolve();
    let inFlightFailed = false;
    let redrive: string[] = [];
    while (!this.stopped) {
      try {
        if (this.resyncAsked) {
          this.resyncAsked = false;
          await inFlight.catch(() => {});
          inFlight = Promise.resolve();
          inFlightFailed = false;
          redrive = [...new Set([...redrive, ...this.parts.onFailure()])];
          recover = true;
        }
        if (recover) {
          await streams.ensureGroup(shard);
          if (!(await this.recover(context))) return this.lost();
          recover = false;
        }
        if (redrive.length > 0) {
          await applier.redrive(context, redrive);
          redrive = [];
        }
        const { entries, refused } = await streams.read(this.parts.connection, shard, consumer, batchSize, blockMs);
        if (this.stopped) break;
        await this.refuse(refused);
        if (entries.length === 0) {
          // An idle shard redoes a failed carry-out now, not whenever its next event comes.
          if (inFlightFailed) await inFlight;
          continue;
        }
        const stored = await applier.persist(context, entries);
        if (!stored) return this.lost();
        await inFlight;
        const finishing = applier.finish(context, stored);
        inFlight = finishing;
        inFlightFailed = false;
        // Surfaces a failed carry-out at the next batch's await, or at the next idle read.
        finishing.catch(() => {
          if (inFlight === finishing) inFlightFailed = true;
        });
      } catch (error) {
        if (this.stopped) break;
        logger.error({ err: error, shard }, 'shard batch failed; retrying from unacknowledged events');
        this.parts.onFailure();
        // Recovery re-drives the stored outboxes: the previous batch's carry-out must be over first, or
        // its side effects run twice at once and its clear races the recovery's.
        await inFlight.catch(() => {});
        inFlight = Promise.resolve();
        inFlightFailed = false;
        recover = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
    await inFlight.catch(() => {});
  }

  /**
   * Applies the entries left pending: as one batch, unless they have failed as one before; then one
   * entry at a time, and an entry that fails alone on its last allowed delivery is dead-lettered.
   * False when the shard's lease was lost.
   */
  private async recover(context: BatchContext): Promise<boolean> {
    const { entries, refused } = await this.parts.streams.claimPending(context.shard, this.options.consumer);
    await this.refuse(refused);
    if (entries.length === 0) return true;
    if (!entries.some((entry) => entry.deliveries >= RETRIED_DELIVERIES)) return this.parts.applier.apply(context, entries);
    for (const group of byEntry(entries)) {
      try {
        if (!(await this.parts.applier.apply(context, group))) return false;
      } catch (error) {
        // Redis being away is no fault of the entry's; order is kept by trying it again before the rest.
        if (group[0]!.deliveries < this.options.maxDeliveries || isTransientRedisError(error)) throw error;
        this.parts.onFailure();
        await this.deadLetter(context.shard, group, error as Error);
      }
    }
    return true;
  }

  private async deadLetter(shard: number, group: ShardEntry[], error: Error): Promise<void> {
    const { id, deliveries } = group[0]!;
    const content = JSON.stringify(group.map(({ uid, event }) => [uid, event]));
    await this.parts.deadLetters.add(shard, [{ id, content, reason: error.message, deliveries }], [id]);
    this.parts.metrics.deadLetters.inc({ reason: 'failing' });
    const uids = [...new Set(group.map(({ uid }) => uid))];
    this.parts.logger.error({ err: error, shard, id, uids, deliveries }, 'shard entry dead-lettered: it failed on every delivery');
  }

  /** Entries (or events of a batched entry) that do not decode: dead-lettered, never applied. */
  private async refuse(refused: RefusedEntry[]): Promise<void> {
    if (refused.length === 0) return;
    const { shard } = this.options;
    await this.parts.deadLetters.add(shard, refused, refused.filter(({ whole }) => whole).map(({ id }) => id));
    this.parts.metrics.deadLetters.inc({ reason: 'undecodable' }, refused.length);
    for (const { id, reason } of refused) this.parts.logger.error({ shard, id, reason }, 'shard entry dead-lettered: it does not decode');
  }

  /** Moves due timers onto the stream, where the blocked read picks them up like any event. */
  private async promoteTimers(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.parts.timers.promoteDue(this.options.shard, Date.now());
      } catch (error) {
        if (!this.stopped) this.parts.logger.warn({ err: error, shard: this.options.shard }, 'moving due timers failed; will retry');
      }
      await new Promise((resolve) => setTimeout(resolve, TIMER_POLL_MS));
    }
  }

  private lost(): void {
    this.parts.logger.warn({ shard: this.options.shard }, 'shard lease lost to a newer owner');
    this.stopped = true;
    this.parts.onLost();
  }
}

/** Events grouped by their stream entry (a batched entry's events share its id), in order. */
function byEntry(entries: ShardEntry[]): ShardEntry[][] {
  const groups: ShardEntry[][] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last?.[0]!.id === entry.id) last.push(entry);
    else groups.push([entry]);
  }
  return groups;
}
