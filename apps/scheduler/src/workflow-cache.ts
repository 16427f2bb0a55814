// Workflows this scheduler is working on, kept in memory between events so an event costs only what
// it touches; finished workflows leave, and a workflow is reloaded from Redis whenever in doubt.
import { applyDefaultTtl, WorkflowState, type TtlStrategy } from '@regatta/engine';
import type { WorkflowStore } from '@regatta/store';

export interface CachedWorkflow {
  uid: string;
  shard: number;
  state: WorkflowState;
  version: number;
  /** Commands stored by an earlier owner or attempt and not yet carried out. */
  outbox: string[];
}

export class WorkflowCache {
  private readonly entries = new Map<string, CachedWorkflow>();

  constructor(
    private readonly store: WorkflowStore,
    /** The operator's default ttlStrategy, merged under each workflow's own as it is loaded. */
    private readonly defaultTtl: TtlStrategy = {},
  ) {}

  async get(uid: string): Promise<CachedWorkflow | undefined> {
    const cached = this.entries.get(uid);
    if (cached) return cached;
    const stored = await this.store.load(uid);
    if (!stored) return undefined;
    applyDefaultTtl(stored.workflow, this.defaultTtl);
    const entry = { uid, shard: stored.shard, state: new WorkflowState(stored.workflow), version: stored.version, outbox: stored.outbox };
    this.entries.set(uid, entry);
    return entry;
  }

  evict(uid: string): void {
    this.entries.delete(uid);
  }

  /** Forgets the shard's workflows; returns their uids. */
  evictShard(shard: number): string[] {
    const evicted: string[] = [];
    for (const [uid, entry] of this.entries) {
      if (entry.shard !== shard) continue;
      this.entries.delete(uid);
      evicted.push(uid);
    }
    return evicted;
  }

  /** Every cached workflow (of the shards this scheduler owns). */
  values(): Iterable<CachedWorkflow> {
    return this.entries.values();
  }

  /** Cached workflows by phase, for the workflows gauge. */
  countByPhase(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { state } of this.entries.values()) {
      const phase = state.status.phase || 'Pending';
      counts.set(phase, (counts.get(phase) ?? 0) + 1);
    }
    return counts;
  }
}
