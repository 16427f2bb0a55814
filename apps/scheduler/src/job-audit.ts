// A node job can vanish without failing: Redis restored from a file that lost the job but kept the
// node Running (a cluster's nodes roll back each on its own), or an operator cleaned the queue. No
// result comes for it and BullMQ has nothing to fail, so the LostJobReaper never sees it. The audit
// looks, now and then, at the Running nodes of the workflows this scheduler holds (in memory, no
// scan of Redis), asks the pool in one atomic read whether a job still carries each, and ends a node
// found without one at two audits in a row in Error, as Argo ends a node whose pod was deleted.
import type { NodeRef } from '@regatta/queue';
import { endLostNodes, type LostNode, type LostNodeParts } from './lost-nodes.js';
import type { WorkflowCache } from './workflow-cache.js';

/** Nodes looked up per audit at most, oldest dispatch first (one EXISTS each): one audit stays one bounded read. */
const AUDITED = 10_000;
export const MISSING_JOB = 'pod deleted (its node job is gone)';

export interface JobAuditOptions {
  /** Time between audits; a node dispatched less than this long ago is not audited yet. */
  intervalMs: number;
}

interface Suspect extends NodeRef {
  shard: number;
  startedAt: number;
}

export class JobAudit {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;
  /** Nodes found without a job at the last audit (`uid/nodeId/attempt`). */
  private missing = new Set<string>();

  constructor(
    private readonly parts: LostNodeParts & { cache: WorkflowCache },
    private readonly options: JobAuditOptions,
  ) {}

  start(): void {
    this.schedule();
  }

  /** One audit; returns how many nodes it ended. */
  async audit(nowMs = Date.now()): Promise<number> {
    const suspects = this.suspects(nowMs);
    const carried = await this.parts.pool.carried(suspects);
    const missing = new Set<string>();
    const lost: LostNode[] = [];
    suspects.forEach((node, i) => {
      if (carried[i]) return;
      const key = `${node.uid}/${node.nodeId}/${node.attempt}`;
      missing.add(key);
      // Seen once, it may be a dispatch still on its way out; seen twice an interval apart, it is lost.
      if (!this.missing.has(key)) return;
      lost.push({ shard: node.shard, uid: node.uid, nodeId: node.nodeId, attempt: node.attempt, message: MISSING_JOB });
    });
    this.missing = missing;
    // Appended after the look: a result stored before its job was removed comes first and is kept.
    await endLostNodes(this.parts.streams, lost, this.parts.now());
    if (lost.length > 0) {
      this.parts.metrics.lostJobs.inc({ cause: 'missing' }, lost.length);
      this.parts.logger.warn({ nodes: lost.map(({ uid, nodeId }) => `${uid}/${nodeId}`) }, 'node jobs gone without a result; their nodes end in Error');
    }
    return lost.length;
  }

  /** Running nodes of held workflows with nothing left in their outbox, dispatched at least an interval ago. */
  private suspects(nowMs: number): Suspect[] {
    const suspects: Suspect[] = [];
    for (const { uid, shard, state, outbox } of this.parts.cache.values()) {
      if (outbox.length > 0) continue;
      for (const node of Object.values(state.status.nodes)) {
        if ((node.type !== 'Pod' && node.type !== 'HTTP') || node.phase !== 'Running') continue;
        const startedAt = Date.parse(node.startedAt ?? '');
        if (!(nowMs - startedAt >= this.options.intervalMs)) continue;
        // The engine dispatches every node at attempt 0 (a retry is a node of its own).
        suspects.push({ uid, shard, nodeId: node.id, attempt: 0, startedAt });
      }
    }
    return suspects.sort((a, b) => a.startedAt - b.startedAt).slice(0, AUDITED);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.running = this.audit().then(
        () => undefined,
        (error: Error) => this.parts.logger.warn({ err: error }, 'auditing node jobs failed; will retry'),
      );
      void this.running.then(() => this.schedule());
    }, this.options.intervalMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
