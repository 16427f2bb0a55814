// The status of CronWorkflows in Redis, kept beside their specs (which the ResourceStore holds) under
// the same {resources} hash tag: the last tick handled (claimed atomically, so several schedulers fire
// each tick once), when a workflow was last scheduled, the active children, the ended ones by outcome
// (for the history limits) and Argo's succeeded/failed counts and phase.
import type { Redis } from 'ioredis';
import type { CronWorkflow, CronWorkflowStatus } from '@regatta/spec';
import { Keys, type CronStatusKeys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface CronChild {
  uid: string;
  name: string;
}

export type CronOutcome = 'succeeded' | 'failed';

/** A child recorded with the claim of its tick, to be submitted (again, after a crash) until it is known to be. */
export interface CronPending extends CronChild {
  /** The tick, Unix ms. */
  tick: number;
  /** Active children to terminate first (concurrencyPolicy Replace). */
  replace: string[];
  /** When it was claimed, Unix ms by the claimer's clock. */
  claimedAt: number;
}

/** What the scheduler reads of a CronWorkflow's status on each pass. */
export interface CronState {
  /** The last tick claimed, handled or skipped (Unix ms). */
  handledTick?: number;
  lastScheduledTime?: string;
  succeeded: number;
  failed: number;
  phase: 'Active' | 'Stopped';
  active: CronChild[];
  /** Children claimed and not yet known to be submitted: a pass resumes those its claimer left long enough ago. */
  pending: CronPending[];
  /** Why the last submission was refused (Argo's SubmissionError condition); cleared by the next success. */
  submissionError?: string;
}

export type ClaimOutcome = 'claimed' | 'handled' | 'gone';

export class CronStore {
  readonly keys: Keys;
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    this.script = registerScripts(redis);
  }

  /** Every CronWorkflow of every namespace. */
  async all(): Promise<CronWorkflow[]> {
    const found = new Map<string, CronWorkflow>();
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.keys.resources.cronWorkflows, cursor, 'COUNT', 500);
      for (let i = 0; i + 1 < entries.length; i += 2) found.set(entries[i]!, JSON.parse(entries[i + 1]!) as CronWorkflow);
      cursor = next;
    } while (cursor !== '0');
    return [...found.values()];
  }

  async state(namespace: string, name: string): Promise<CronState> {
    const keys = this.keys.cronStatus(namespace, name);
    const [status, active, pending] = await Promise.all([this.redis.hgetall(keys.status), this.redis.hgetall(keys.active), this.redis.hvals(keys.pending)]);
    return {
      ...(status.handledTick !== undefined && { handledTick: Number(status.handledTick) }),
      ...(status.lastScheduledTime !== undefined && { lastScheduledTime: status.lastScheduledTime }),
      succeeded: Number(status.succeeded ?? 0),
      failed: Number(status.failed ?? 0),
      phase: status.phase === 'Stopped' ? 'Stopped' : 'Active',
      active: Object.entries(active).map(([uid, child]) => ({ uid, name: child })),
      pending: pending.map((json) => JSON.parse(json) as CronPending),
      ...(status.submissionError !== undefined && { submissionError: status.submissionError }),
    };
  }

  /** The CronWorkflow with its status as Argo shows it (`cron get -o yaml`). */
  async withStatus(cron: CronWorkflow): Promise<CronWorkflow> {
    const { namespace = 'default', name = '' } = cron.metadata;
    const state = await this.state(namespace, name);
    const status: CronWorkflowStatus = {
      active: state.active.map((child) => ({ kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1', name: child.name, namespace, uid: child.uid })),
      ...(state.lastScheduledTime !== undefined && { lastScheduledTime: state.lastScheduledTime }),
      succeeded: state.succeeded,
      failed: state.failed,
      phase: state.phase,
      ...(state.submissionError !== undefined && { conditions: [{ type: 'SubmissionError', status: 'True', message: state.submissionError }] }),
    };
    return { ...cron, status };
  }

  /**
   * Claims `tickMs` for the caller: only one caller ever gets 'claimed' for a tick, and never for an
   * older one. With a child, the tick fires it: the child becomes active and pending in the same step,
   * with `scheduledTime` (RFC 3339) as the last scheduled time.
   */
  async claimTick(namespace: string, name: string, tickMs: number, fire?: { child: CronPending; scheduledTime: string }): Promise<ClaimOutcome> {
    const keys = this.keys.cronStatus(namespace, name);
    const child = fire ? [fire.child.uid, fire.child.name, fire.scheduledTime, JSON.stringify(fire.child)] : [''];
    const result = Number(await this.script('claimCronTick', [this.keys.resources.cronWorkflows, keys.status, keys.active, keys.pending], [`${namespace}/${name}`, tickMs, ...child]));
    return result === 1 ? 'claimed' : result === 0 ? 'handled' : 'gone';
  }

  /** The pending child is submitted (or refused for good): it is no longer to be resumed. */
  async settlePending(namespace: string, name: string, uid: string): Promise<void> {
    await this.redis.hdel(this.keys.cronStatus(namespace, name).pending, uid);
  }

  /** Records a child that was submitted; `scheduledTime` (RFC 3339) for a scheduled one, not for `submit --from`. */
  async addChild(namespace: string, name: string, child: CronChild, scheduledTime?: string): Promise<void> {
    const keys = this.keys.cronStatus(namespace, name);
    const multi = this.redis.multi().hset(keys.active, child.uid, child.name);
    if (scheduledTime !== undefined) multi.hset(keys.status, 'lastScheduledTime', scheduledTime);
    await multi.exec();
  }

  /** Moves an ended child to the history of its outcome and counts it; false if another caller did. */
  async endChild(namespace: string, name: string, child: CronChild, outcome: CronOutcome, atMs: number): Promise<boolean> {
    const keys = this.keys.cronStatus(namespace, name);
    const moved = await this.script('endCronChild', [keys.status, keys.active, keys.succeeded, keys.failed], [child.uid, child.name, outcome, atMs]);
    // A child that ended was submitted: a claimer that died before saying so must not have it resumed.
    await this.redis.hdel(keys.pending, child.uid);
    return Number(moved) === 1;
  }

  /** Forgets an active child that no longer exists (deleted by hand, or refused at submission); not counted. */
  async dropChild(namespace: string, name: string, uid: string): Promise<void> {
    const keys = this.keys.cronStatus(namespace, name);
    await this.redis.multi().hdel(keys.active, uid).hdel(keys.pending, uid).exec();
  }

  /**
   * Takes the oldest ended children of an outcome beyond `keep` out of the history and returns them;
   * each is returned to one caller only, which deletes the workflow.
   */
  async trimHistory(namespace: string, name: string, outcome: CronOutcome, keep: number): Promise<CronChild[]> {
    const key = this.keys.cronStatus(namespace, name)[outcome];
    const excess = (await this.redis.zcard(key)) - keep;
    if (excess <= 0) return [];
    const oldest = await this.redis.zrange(key, 0, excess - 1);
    const taken: CronChild[] = [];
    for (const member of oldest) {
      if ((await this.redis.zrem(key, member)) === 1) taken.push(parseMember(member));
    }
    return taken;
  }

  /** Records why a submission was refused, or clears it (`undefined`). */
  async setSubmissionError(namespace: string, name: string, message: string | undefined): Promise<void> {
    const key = this.keys.cronStatus(namespace, name).status;
    if (message === undefined) await this.redis.hdel(key, 'submissionError');
    else await this.redis.hset(key, 'submissionError', message);
  }

  async setPhase(namespace: string, name: string, phase: 'Active' | 'Stopped'): Promise<void> {
    await this.redis.hset(this.keys.cronStatus(namespace, name).status, 'phase', phase);
  }

  /** Removes the status of a deleted CronWorkflow and returns all its children, active and ended, to delete. */
  async remove(namespace: string, name: string): Promise<CronChild[]> {
    const keys: CronStatusKeys = this.keys.cronStatus(namespace, name);
    const [active, succeeded, failed] = await Promise.all([this.redis.hgetall(keys.active), this.redis.zrange(keys.succeeded, 0, -1), this.redis.zrange(keys.failed, 0, -1)]);
    await this.redis.del(keys.status, keys.active, keys.pending, keys.succeeded, keys.failed);
    return [...Object.entries(active).map(([uid, child]) => ({ uid, name: child })), ...[...succeeded, ...failed].map(parseMember)];
  }
}

function parseMember(member: string): CronChild {
  const space = member.indexOf(' ');
  return { uid: member.slice(0, space), name: member.slice(space + 1) };
}
