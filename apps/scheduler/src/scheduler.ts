// The scheduler process: holds leases on shards, runs one reader per owned shard, and renews or
// drops leases as they change hands. Wiring only; the work is in BatchApplier and the engine. Everything
// it uses from outside comes in one SchedulerResources object.
import type { VolumeClaims } from './volume-claims.js';
import { argoTime } from '@regatta/spec';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { nodeRunSchema } from '@regatta/protocol';
import { DeadLetters, NodePool, ShardStreams, ShardTimers } from '@regatta/queue';
import { Keys, LogStore, MemoStore, ResourceStore, ShardLease, StoreError, WorkflowStore, readInstance, verifyInstance, type InstanceInfo, type RedisFactory } from '@regatta/store';
import { SchedulerMetrics, type Logger } from '@regatta/telemetry';
import { BatchApplier } from './batch-applier.js';
import type { NodeJob, TtlStrategy } from '@regatta/engine';
import { ShardReader } from './shard-reader.js';
import { LockBroker } from './lock-broker.js';
import { LostJobReaper } from './lost-job-reaper.js';
import { JobAudit } from './job-audit.js';
import { SubmissionSweep } from './submission-sweep.js';
import { WorkflowCache } from './workflow-cache.js';
import { RedisRestarts } from './redis-restarts.js';
import type { WorkflowArchiver } from './workflow-archiver.js';
import type { ArtifactDeleter } from '@regatta/client';

/** What a scheduler is given: its connections, keys, logger, metrics and settings. */
export interface SchedulerResources {
  /** Every connection the scheduler opens comes from here. */
  connect: RedisFactory;
  keys: Keys;
  logger: Logger;
  metrics?: SchedulerMetrics;
  /** Where the workflows' own volume claims are deleted when they end; without it they are left. */
  volumeClaims?: VolumeClaims;
  /** Where artifactGC deletes artifacts (the artifact stores); without it every deletion fails, recorded on its workflow. */
  artifacts?: ArtifactDeleter;
  /** Archives what this scheduler ends (ARCHIVE_DATABASE_URL); started and closed by whoever made it. */
  archiver?: WorkflowArchiver;
  config?: SchedulerSettings;
}

export interface SchedulerSettings {
  pool?: string;
  leaseMs?: number;
  batchSize?: number;
  blockMs?: number;
  /** How often locks of ended or deleted holders are given back (a safety net: holders release their own). */
  lockSweepMs?: number;
  /** How often node jobs BullMQ failed for good are looked for, to end their nodes in Error. */
  lostJobSweepMs?: number;
  /** How often Running nodes of held workflows are checked for a job that vanished (JobAudit). */
  jobAuditMs?: number;
  /** Argo's workflowDefaults ttlStrategy: how long finished workflows are kept when they do not say. */
  defaultTtlStrategy?: TtlStrategy;
  /** Deliveries after which a shard entry that still fails on its own is dead-lettered (default 5). */
  maxDeliveries?: number;
}

const LOCK_SWEEP_MS = 1_000;
const LOST_JOB_SWEEP_MS = 2_000;
/** A job lost without failing is rare (a rollback, a hand-cleaned queue): found within two minutes. */
const JOB_AUDIT_MS = 60_000;

export class Scheduler {
  readonly id = `scheduler-${randomUUID()}`;
  private readonly redis: Redis;
  private readonly readers = new Map<number, { reader: ShardReader; connection: Redis }>();
  private renewTimer?: NodeJS.Timeout;
  private closing = false;
  private claiming = false;
  private lease!: ShardLease;
  private streams!: ShardStreams;
  private deadLetters!: DeadLetters;
  private timers!: ShardTimers;
  private locks!: LockBroker;
  private sweepTimer?: NodeJS.Timeout;
  private reaper?: LostJobReaper;
  private audit?: JobAudit;
  private submissionSweep?: SubmissionSweep;
  private applier!: BatchApplier;
  private cache!: WorkflowCache;
  private pool!: NodePool<NodeJob>;
  private shards = 0;
  private readonly keys: Keys;
  private instance!: InstanceInfo;
  private restarts!: RedisRestarts;
  readonly metrics: SchedulerMetrics;
  private readonly options: SchedulerSettings;

  constructor(private readonly resources: SchedulerResources) {
    this.redis = resources.connect({ enableAutoPipelining: true, maxRetriesPerRequest: null });
    this.metrics = resources.metrics ?? new SchedulerMetrics();
    this.options = resources.config ?? {};
    this.keys = resources.keys;
  }

  async start(): Promise<void> {
    const { logger, keys } = this.resources;
    const { prefix } = keys;
    this.instance = await readInstance(this.redis, keys);
    this.restarts = new RedisRestarts(this.redis);
    await this.redisRestarted();
    this.shards = this.instance.shards;
    const store = this.resources.archiver?.storeFor(this.redis) ?? new WorkflowStore(this.redis, prefix);
    this.cache = new WorkflowCache(store, this.options.defaultTtlStrategy);
    this.streams = new ShardStreams(this.redis, (shard) => keys.shard(shard).events);
    this.deadLetters = new DeadLetters(this.redis, (shard) => keys.shard(shard));
    this.pool = new NodePool<NodeJob>({ connection: this.redis, prefix: keys.pool(this.options.pool ?? 'default'), job: nodeRunSchema });
    this.timers = new ShardTimers(this.redis, (shard) => keys.shard(shard));
    this.locks = new LockBroker(this.redis, prefix, this.streams, logger);
    const memos = new MemoStore(this.redis, prefix);
    const logs = new LogStore(this.redis, keys);
    this.applier = new BatchApplier({
      store,
      cache: this.cache,
      streams: this.streams,
      pool: this.pool,
      timers: this.timers,
      locks: this.locks,
      memos,
      resources: new ResourceStore(this.redis, prefix),
      logs,
      logger,
      metrics: this.metrics,
      now: () => argoTime(),
      volumeClaims: this.resources.volumeClaims,
      artifacts: this.resources.artifacts,
    });
    this.lease = new ShardLease(this.redis, keys, this.id, this.options.leaseMs ?? 10_000);
    await this.claimShards();
    // Renewal at a third of the lease keeps it safe; at most a second apart so a new scheduler gets its share soon.
    this.renewTimer = setInterval(() => void this.claimShards(), Math.max(100, Math.min(1000, this.lease.durationMs / 3)));
    this.sweepTimer = setInterval(() => {
      this.locks.sweep().catch((error: Error) => logger.warn({ err: error }, 'sweeping locks failed'));
    }, this.options.lockSweepMs ?? LOCK_SWEEP_MS);
    const lostNodeParts = { pool: this.pool, streams: this.streams, logger, metrics: this.metrics, now: () => argoTime() };
    this.reaper = new LostJobReaper(lostNodeParts, { intervalMs: this.options.lostJobSweepMs ?? LOST_JOB_SWEEP_MS });
    this.reaper.start();
    this.audit = new JobAudit({ ...lostNodeParts, cache: this.cache }, { intervalMs: this.options.jobAuditMs ?? JOB_AUDIT_MS });
    this.audit.start();
    this.submissionSweep = new SubmissionSweep(store.submissions, () => [...this.readers.keys()], logger, this.metrics);
    this.submissionSweep.start();
    logger.info({ id: this.id, pid: process.pid, shards: this.shards, owned: [...this.readers.keys()] }, 'scheduler started');
  }

  /**
   * Renews held shards, drops lost ones, hands back shards above this scheduler's fair share (so a new
   * scheduler gets its part), and takes free shards up to that share (a dead owner's, after expiry).
   */
  private async claimShards(): Promise<void> {
    if (this.closing || this.claiming) return;
    this.claiming = true;
    try {
      await verifyInstance(this.redis, this.keys, this.instance);
      if (await this.redisRestarted()) {
        this.resources.logger.warn({ owned: [...this.readers.keys()] }, 'Redis restarted: its last writes may be lost; owned shards reload their workflows and redo their outboxes');
        for (const { reader } of this.readers.values()) reader.resync();
      }
      const share = Math.ceil(this.shards / Math.max(1, await this.lease.heartbeat(true)));
      for (const [shard, held] of this.readers) {
        if (!(await this.lease.renew(shard, held.reader.epoch))) this.dropShard(shard);
      }
      for (const shard of [...this.readers.keys()].slice(share)) await this.handBack(shard);
      for (let shard = 0; shard < this.shards && this.readers.size < share && !this.closing; shard++) {
        if (this.readers.has(shard)) continue;
        const epoch = await this.lease.acquire(shard);
        if (epoch > 0 && !this.closing) this.startReader(shard, epoch);
      }
      await this.updateGauges();
    } catch (error) {
      if (error instanceof StoreError && error.code === 'DATA_LOST') {
        // Never rebuild state over a Redis that lost it: stop owning anything and say so loudly.
        this.resources.logger.fatal({ err: error }, error.message);
        for (const shard of [...this.readers.keys()]) this.dropShard(shard);
        this.closing = true;
        return;
      }
      this.resources.logger.error({ err: error }, 'shard lease renewal failed');
    } finally {
      this.claiming = false;
    }
  }

  /** Whether Redis restarted since the last look; a refused INFO (an ACL without it) must not stop lease renewal. */
  private async redisRestarted(): Promise<boolean> {
    try {
      return await this.restarts.changed();
    } catch (error) {
      this.resources.logger.warn({ err: error }, 'reading the Redis server run_id failed; a restart goes unnoticed until it answers');
      return false;
    }
  }

  private startReader(shard: number, epoch: number): void {
    const connection = this.resources.connect({ maxRetriesPerRequest: null });
    const { batchSize = 500, blockMs = 2_000, maxDeliveries = 5 } = this.options;
    const reader = new ShardReader({ shard, epoch, consumer: this.id, batchSize, blockMs, maxDeliveries }, {
      connection,
      streams: this.streams,
      deadLetters: this.deadLetters,
      timers: this.timers,
      applier: this.applier,
      logger: this.resources.logger.child({ shard }),
      metrics: this.metrics,
      onLost: () => this.dropShard(shard),
      onFailure: () => this.cache.evictShard(shard),
    });
    this.readers.set(shard, { reader, connection });
  }

  private async updateGauges(): Promise<void> {
    const { metrics } = this;
    metrics.shardsOwned.set(this.readers.size);
    metrics.workflows.reset();
    for (const [phase, count] of this.cache.countByPhase()) metrics.workflows.set({ phase }, count);
    metrics.queueDepth.reset();
    const shards = [...this.readers.keys()];
    const lengths = await Promise.all(shards.map((shard) => this.redis.xlen(this.keys.shard(shard).events)));
    shards.forEach((shard, i) => metrics.queueDepth.set({ queue: `shard-${shard}` }, lengths[i]!));
  }

  private async handBack(shard: number): Promise<void> {
    const held = this.readers.get(shard);
    if (!held) return;
    this.dropShard(shard);
    await held.reader.done;
    await this.lease.release(shard, held.reader.epoch);
  }

  private dropShard(shard: number): void {
    const held = this.readers.get(shard);
    if (!held) return;
    this.readers.delete(shard);
    held.reader.stop();
    // Ends a blocked read at once; entries it had taken stay pending for the next owner to claim.
    held.connection.disconnect();
    this.cache.evictShard(shard);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.renewTimer);
    clearInterval(this.sweepTimer);
    await this.reaper?.close();
    await this.audit?.close();
    await this.submissionSweep?.close();
    const held = [...this.readers];
    for (const [, { reader, connection }] of held) {
      reader.stop();
      // A blocked read would hold the close for up to blockMs.
      connection.disconnect();
    }
    await Promise.all(held.map(([, { reader }]) => reader.done));
    await Promise.all(held.map(([shard, { reader }]) => this.lease.release(shard, reader.epoch)));
    await this.lease.heartbeat(false);
    this.readers.clear();
    await this.pool.close();
    await this.redis.quit();
  }
}
