// Archives ended workflows into the workflow archive (PostgreSQL) without ever losing one: a workflow's
// uid enters a pending set in Redis BEFORE the transition that ends it is stored, and leaves it only
// after the archive's row is committed. A crash before the store write leaves a uid whose workflow has
// not ended (looked at again later; the redone transition adds it again), a crash after it leaves one
// that the next drain, by any scheduler, archives. A TTL deletion archives first (archive before delete).
import { WorkflowArchive, type ArchiveConfig } from '@regatta/archive';
import { matchesLabelSelector, workflowEnded } from '@regatta/spec';
import { ArchivePending, connectRedis, LogStore, WorkflowStore, type TransitionWrite } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import type { Redis } from 'ioredis';

export interface WorkflowArchiverOptions {
  /** How often pending uids are drained (default 1 s). */
  intervalMs?: number;
  /** How long a pending uid whose workflow has not ended (yet) waits before it is looked at again (default 30 s). */
  recheckMs?: number;
}

/** Pending uids archived per drain step. */
const DRAIN_CHUNK = 100;
/** A uid younger than this may belong to a transition still being stored: left for the next drain. */
const SETTLE_MS = 1_000;
/** archiveTTL deletions run at most this often. */
const TTL_SWEEP_MS = 60_000;

export class WorkflowArchiver {
  private readonly store: WorkflowStore;
  private readonly logs: LogStore;
  private readonly pending: ArchivePending;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastTtlSweep = 0;
  /** What open() made and close() ends. */
  private owned?: { redis: Redis; archive: WorkflowArchive };

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly archive: WorkflowArchive,
    private readonly config: Pick<ArchiveConfig, 'labelSelector' | 'ttlMs' | 'archiveLogs'>,
    private readonly logger: Logger,
    private readonly options: WorkflowArchiverOptions = {},
  ) {
    this.store = new WorkflowStore(redis, prefix);
    this.logs = new LogStore(redis, this.store.keys);
    this.pending = new ArchivePending(redis, this.store.keys);
  }

  /** Connects to the archive and Redis and starts draining; close() lets both go. */
  static async open(config: ArchiveConfig, redisUrl: string, prefix: string, logger: Logger): Promise<WorkflowArchiver> {
    const archive = await WorkflowArchive.open({ url: config.url });
    const redis = connectRedis(redisUrl, { maxRetriesPerRequest: null });
    const archiver = new WorkflowArchiver(redis, prefix, archive, config, logger.child({ component: 'archiver' }));
    archiver.owned = { redis, archive };
    archiver.start();
    return archiver;
  }

  /** The store a scheduler writes through so that what it ends is archived (see ArchivingWorkflowStore). */
  storeFor(redis: Redis): WorkflowStore {
    return new ArchivingWorkflowStore(redis, this.prefix, this);
  }

  /** Records that `uid` is about to end; safe to repeat. */
  async markEnded(uid: string): Promise<void> {
    await this.pending.mark(uid, Date.now() + SETTLE_MS);
  }

  /**
   * Archives the workflow if it has ended and the archiveLabelSelector selects it, then drops its pending
   * uid (unless it was marked again meanwhile: a retried workflow that ended anew is archived again);
   * true when it is settled (archived, not selected, or gone), false when it has not ended.
   */
  async archiveNow(uid: string, mark?: string): Promise<boolean> {
    const seen = mark ?? (await this.pending.markOf(uid));
    const stored = await this.store.load(uid);
    if (stored && !workflowEnded(stored.workflow.status.phase)) return false;
    if (stored && matchesLabelSelector(this.config.labelSelector, stored.workflow.metadata.labels)) {
      const lines = this.keepsLogs(stored.workflow.spec.archiveLogs) ? await this.allLogs(uid) : undefined;
      await postgres(uid, async () => {
        await this.archive.archive(stored.workflow);
        if (lines) await this.archive.archiveLogs(uid, lines);
      });
      this.logger.debug({ uid }, 'workflow archived');
    }
    await this.pending.settle(uid, seen);
    return true;
  }

  /** Archives every pending uid that is due; a workflow not ended yet is looked at again later. */
  async drain(): Promise<void> {
    // Due as of the start: a uid put back for later is past this and ends the loop.
    const now = Date.now();
    const later = now + 1 + (this.options.recheckMs ?? 30_000);
    for (;;) {
      const due = await this.pending.due(now, DRAIN_CHUNK);
      if (due.length === 0) break;
      for (const { uid, mark } of due) {
        // One workflow that cannot be archived (PostgreSQL away, or a row it refuses) waits its turn
        // again later instead of holding up every uid behind it.
        const settled = await this.archiveNow(uid, mark).catch((error: Error) => {
          if (!(error instanceof ArchiveUnavailable)) throw error;
          this.logger.warn({ err: error, uid }, 'workflow not archived yet; tried again later');
          return false;
        });
        if (!settled) await this.pending.postpone(uid, later);
      }
    }
    if (this.config.ttlMs !== undefined && Date.now() - this.lastTtlSweep >= TTL_SWEEP_MS) {
      this.lastTtlSweep = Date.now();
      const deleted = await this.archive.deleteFinishedBefore(new Date(Date.now() - this.config.ttlMs));
      if (deleted > 0) this.logger.info({ deleted }, 'archived workflows past archiveTTL deleted');
    }
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drain()
        .catch((error: Error) => this.logger.warn({ err: error }, 'archiving ended workflows failed; retried at the next drain'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 1_000);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (!this.owned) return;
    await this.owned.archive.close();
    this.owned.redis.disconnect();
  }

  /** A workflow's own spec.archiveLogs wins over the configured default (Argo's rule). */
  private keepsLogs(own: unknown): boolean {
    return typeof own === 'boolean' ? own : this.config.archiveLogs;
  }

  private async allLogs(uid: string): Promise<{ nodeId: string; stream: 'stdout' | 'stderr'; line: string }[]> {
    const lines: { nodeId: string; stream: 'stdout' | 'stderr'; line: string }[] = [];
    for (let after = '0'; ; ) {
      const page = await this.logs.read(uid, after);
      if (page.lines.length === 0) return lines;
      for (const line of page.lines) lines.push(line);
      after = page.last;
    }
  }
}

/**
 * Runs a PostgreSQL step; its failure becomes an ArchiveUnavailable, never mistaken for Redis being
 * away (a refused connection looks alike): a TTL deletion that cannot archive first is then set aside
 * after its tries, keeping the workflow in Redis, instead of failing and redoing its shard's batches
 * for as long as PostgreSQL is down.
 */
async function postgres(uid: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    throw new ArchiveUnavailable(`workflow ${uid} could not be archived: ${(error as Error).message}`, { cause: error });
  }
}

class ArchiveUnavailable extends Error {
  override readonly name = 'ArchiveUnavailable';
}

/**
 * The scheduler's WorkflowStore with the archive's two hooks: a transition that ends a workflow marks it
 * pending first, and a deletion (ttlStrategy) archives it first, so neither a crash nor the TTL loses it.
 */
class ArchivingWorkflowStore extends WorkflowStore {
  constructor(
    redis: Redis,
    prefix: string,
    private readonly archiver: WorkflowArchiver,
  ) {
    super(redis, prefix);
  }

  override async apply(write: TransitionWrite): Promise<number> {
    if (write.status && workflowEnded(write.status.phase)) await this.archiver.markEnded(write.uid);
    return super.apply(write);
  }

  override async deleteByUid(uid: string, namespace: string, name: string): Promise<void> {
    await this.archiver.archiveNow(uid);
    await super.deleteByUid(uid, namespace, name);
  }
}
