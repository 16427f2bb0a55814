// The scheduler's CronWorkflow pass, once a second: for each CronWorkflow, note which of its children
// ended (counted once, kept by outcome), delete the oldest beyond the history limits, then ask the
// planner what the time calls for and carry it out. A tick is claimed in Redis before anything is done
// for it, so with several schedulers each tick is handled by exactly one. A tick that fires is claimed
// together with its child (uid and name decided beforehand, active and pending from then on), and the
// child is submitted after: a scheduler that dies in between leaves it pending, and a later pass
// submits it again - idempotently, as the same uid - so no tick is lost and no child goes untracked.
// All decisions are in cron-planner.ts; this class only reads, claims and writes.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ShardStreams } from '@regatta/queue';
import { argoTime, cronChildName, workflowEnded, workflowFromCron, type CronWorkflow, type Workflow } from '@regatta/spec';
import { CronStore, WorkflowStore, type CronPending, type CronState } from '@regatta/store';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';
import { historyLimits, planCron } from './cron-planner.js';

/**
 * Submits a workflow as `regatta submit` does (checks, resolves references, stores, announces) with
 * this uid; submitting the same uid again must be harmless (the store's submission is).
 */
export type CronSubmit = (workflow: Workflow, uid: string) => Promise<void>;

/** A pending child this much older than its claim lost its claimer (a submission takes milliseconds). */
export const RESUME_PENDING_MS = 10_000;

export interface CronLoopOptions {
  redis: Redis;
  prefix: string;
  logger: Logger;
  submit: CronSubmit;
  metrics?: SchedulerMetrics;
  /** The clock, Unix ms; injectable so tests drive time. */
  now?: () => number;
  intervalMs?: number;
}

export class CronLoop {
  private readonly crons: CronStore;
  private readonly workflows: WorkflowStore;
  private readonly streams: ShardStreams;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** The last warning logged per CronWorkflow, so one that repeats every pass is logged once. */
  private readonly warned = new Map<string, string>();

  constructor(private readonly options: CronLoopOptions) {
    this.crons = new CronStore(options.redis, options.prefix);
    this.workflows = new WorkflowStore(options.redis, options.prefix);
    this.streams = new ShardStreams(options.redis, (shard) => this.crons.keys.shard(shard).events);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => {
      // A pass that takes longer than the interval is not overlapped by the next.
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 1000);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every CronWorkflow. */
  async runOnce(): Promise<void> {
    let crons: CronWorkflow[];
    try {
      crons = await this.crons.all();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'reading CronWorkflows failed');
      return;
    }
    for (const cron of crons) {
      try {
        await this.handle(cron);
      } catch (error) {
        this.options.logger.error({ err: error, cronWorkflow: cron.metadata.name, namespace: cron.metadata.namespace }, 'CronWorkflow pass failed');
      }
    }
  }

  private async handle(cron: CronWorkflow): Promise<void> {
    const { namespace = 'default', name = '' } = cron.metadata;
    const log = this.options.logger.child({ cronWorkflow: name, namespace });
    let state = await this.crons.state(namespace, name);
    const now = this.now();
    const orphans = state.pending.filter((child) => now - child.claimedAt > RESUME_PENDING_MS);
    for (const child of orphans) await this.submitChild(cron, child, state, log);
    if (orphans.length > 0) state = await this.crons.state(namespace, name);
    if (await this.reconcile(namespace, name, state)) state = await this.crons.state(namespace, name);
    await this.enforceHistory(cron, log);
    const plan = planCron(cron, state, now);
    this.warnOnce(`${namespace}/${name}`, plan.warning, log);
    if (plan.action === 'none') return;
    if (plan.action === 'stop') {
      await this.crons.setPhase(namespace, name, 'Stopped');
      log.info('stop strategy holds: CronWorkflow Stopped');
      return;
    }
    const scheduled = argoTime(new Date(plan.tick));
    const child: CronPending | undefined =
      plan.action === 'fire' ? { uid: randomUUID(), name: cronChildName(name, plan.tick), tick: plan.tick, replace: plan.replace.map((c) => c.uid), claimedAt: now } : undefined;
    if ((await this.crons.claimTick(namespace, name, plan.tick, child && { child, scheduledTime: scheduled })) !== 'claimed') return;
    if (plan.policy) this.options.metrics?.cronPolicy.inc({ name, namespace, concurrency_policy: plan.policy });
    if (!child) {
      log.info({ scheduledTime: scheduled, reason: plan.action === 'skip' ? plan.reason : undefined }, 'tick skipped');
      return;
    }
    await this.submitChild(cron, child, state, log);
  }

  /** Terminates what the child replaces, then submits it; a refusal is kept as the SubmissionError condition. */
  private async submitChild(cron: CronWorkflow, child: CronPending, state: CronState, log: Logger): Promise<void> {
    const { namespace = 'default', name = '' } = cron.metadata;
    const scheduled = argoTime(new Date(child.tick));
    for (const uid of child.replace) await this.terminate(uid, log);
    try {
      await this.options.submit(workflowFromCron(cron, child.tick, child.name), child.uid);
    } catch (error) {
      this.options.metrics?.errors.inc({ cause: 'CronWorkflowSubmissionError' });
      const message = `Failed to submit Workflow: ${(error as Error).message}`;
      await this.crons.setSubmissionError(namespace, name, message);
      await this.crons.dropChild(namespace, name, child.uid);
      log.error({ err: error, scheduledTime: scheduled }, message);
      return;
    }
    await this.crons.settlePending(namespace, name, child.uid);
    if (state.submissionError !== undefined) await this.crons.setSubmissionError(namespace, name, undefined);
    this.options.metrics?.cronTriggered.inc({ name, namespace });
    log.info({ workflow: child.name, scheduledTime: scheduled }, 'workflow submitted');
  }

  /** Moves children that ended or were deleted out of the active set; says whether any did. */
  private async reconcile(namespace: string, name: string, state: CronState): Promise<boolean> {
    let changed = false;
    const pending = new Set(state.pending.map((child) => child.uid));
    for (const child of state.active) {
      const stored = await this.workflows.phaseAndShard(child.uid);
      // A pending child may not be stored yet: it is resumed, not forgotten.
      if (!stored && pending.has(child.uid)) continue;
      if (!stored) {
        await this.crons.dropChild(namespace, name, child.uid);
        changed = true;
      } else if (workflowEnded(stored.phase)) {
        await this.crons.endChild(namespace, name, child, stored.phase === 'Succeeded' ? 'succeeded' : 'failed', this.now());
        changed = true;
      }
    }
    return changed;
  }

  private async enforceHistory(cron: CronWorkflow, log: Logger): Promise<void> {
    const { namespace = 'default', name = '' } = cron.metadata;
    const limits = historyLimits(cron);
    for (const outcome of ['succeeded', 'failed'] as const) {
      for (const child of await this.crons.trimHistory(namespace, name, outcome, limits[outcome])) {
        await this.workflows.deleteByUid(child.uid, namespace, child.name);
        log.info({ workflow: child.name }, `deleted workflow beyond the ${outcome === 'succeeded' ? 'successful' : 'failed'} jobs history limit`);
      }
    }
  }

  /** Replace: the active child is terminated, as `regatta terminate` does it. */
  private async terminate(uid: string, log: Logger): Promise<void> {
    const stored = await this.workflows.phaseAndShard(uid);
    if (!stored || workflowEnded(stored.phase)) return;
    await this.streams.append(stored.shard, uid, { type: 'control', control: { action: 'terminate' } });
    log.info({ uid }, 'concurrencyPolicy Replace: active workflow terminated');
  }

  private warnOnce(key: string, warning: string | undefined, log: Logger): void {
    if (warning === undefined) {
      this.warned.delete(key);
      return;
    }
    if (this.warned.get(key) === warning) return;
    this.warned.set(key, warning);
    log.warn(warning);
  }
}
