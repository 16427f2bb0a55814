// The scheduling decision for one CronWorkflow, as a pure function of its spec, its status and the
// time: which tick is due, and whether to fire it, skip it (suspended, missed its deadline, `when`
// false, Forbid with a child active) or replace the active children (Replace); whether the stop
// strategy holds; and which ended children fall outside the history limits. Argo's rules
// (workflow/cron/operator.go), with one tick per pass: after an outage only the most recent missed
// tick is considered, and it runs only within startingDeadlineSeconds (or, without one, on time).
import { cronSchedules, parseCronSchedule, type CronWorkflow, type CronSchedule } from '@regatta/spec';
import { evaluateExpression, evaluateWhen, substituteString, type Lookup } from '@regatta/expr';
import type { CronChild, CronState } from '@regatta/store';

/** Without startingDeadlineSeconds a tick is "on time" this long after it is due (a pass runs every second). */
export const ON_TIME_GRACE_MS = 10_000;

export type CronPlan =
  /** Nothing due. */
  | { action: 'none' }
  /** The stop strategy holds: the CronWorkflow becomes Stopped and schedules no more. */
  | { action: 'stop' }
  /** Claim `tick` and run nothing for it. */
  | { action: 'skip'; tick: number; reason: string; policy?: 'Forbid' }
  /** Claim `tick`, terminate `replace` (Replace), then submit the tick's workflow. */
  | { action: 'fire'; tick: number; replace: CronChild[]; policy?: 'Replace' };

/** Parsed schedules are kept per spec text, so a pass each second does not parse them again. */
const scheduleCache = new Map<string, CronSchedule[]>();

function schedulesOf(cron: CronWorkflow): CronSchedule[] {
  const { timezone } = cron.spec;
  const zone = timezone === undefined || timezone === '' ? undefined : timezone;
  const texts = cronSchedules(cron.spec);
  const key = JSON.stringify([zone, texts]);
  let parsed = scheduleCache.get(key);
  if (!parsed) {
    parsed = texts.map((text) => parseCronSchedule(text, zone));
    if (scheduleCache.size > 10_000) scheduleCache.clear();
    scheduleCache.set(key, parsed);
  }
  return parsed;
}

/** The latest tick of any schedule at or before `now`. */
export function latestTick(cron: CronWorkflow, now: number): number | undefined {
  let latest: number | undefined;
  for (const schedule of schedulesOf(cron)) {
    const tick = schedule.latestAtOrBefore(now);
    if (tick !== undefined && (latest === undefined || tick > latest)) latest = tick;
  }
  return latest;
}

/** The next tick of any schedule after `now` (for `cron get` and `cron list`). */
export function nextTick(cron: CronWorkflow, now: number): number | undefined {
  let next: number | undefined;
  for (const schedule of schedulesOf(cron)) {
    const tick = schedule.nextAfter(now);
    if (tick !== undefined && (next === undefined || tick < next)) next = tick;
  }
  return next;
}

/** A plan, and what went wrong on the way that the caller should report (a stop strategy that fails to evaluate). */
export function planCron(cron: CronWorkflow, state: CronState, now: number): CronPlan & { warning?: string } {
  const { spec } = cron;
  if (state.phase === 'Stopped') return { action: 'none' };
  let warning: string | undefined;
  if (spec.stopStrategy?.expression) {
    try {
      if (stopStrategyHolds(cron, state, now)) return { action: 'stop' };
    } catch (error) {
      warning = `stopStrategy: ${(error as Error).message}`;
    }
  }
  const plan = planTick(cron, state, now);
  return warning === undefined ? plan : { ...plan, warning };
}

function planTick(cron: CronWorkflow, state: CronState, now: number): CronPlan {
  const { spec } = cron;
  const tick = latestTick(cron, now);
  // A tick before the CronWorkflow existed, or one handled already, is not due.
  const created = cron.metadata.creationTimestamp ? Date.parse(cron.metadata.creationTimestamp) : -Infinity;
  if (tick === undefined || tick <= (state.handledTick ?? -Infinity) || tick < created) return { action: 'none' };
  // Suspended: the tick stays unclaimed, so a resume within the deadline still runs it.
  if (spec.suspend) return { action: 'none' };
  const deadlineMs = (spec.startingDeadlineSeconds ?? 0) * 1000;
  const late = now - tick;
  if (late > Math.max(deadlineMs, ON_TIME_GRACE_MS)) {
    const why = deadlineMs > 0 ? `missed by ${Math.round(late / 1000)}s, beyond startingDeadlineSeconds ${spec.startingDeadlineSeconds}` : `missed by ${Math.round(late / 1000)}s and startingDeadlineSeconds is not set`;
    return { action: 'skip', tick, reason: why };
  }
  if (spec.when !== undefined && spec.when !== '') {
    let holds: boolean;
    try {
      holds = whenHolds(cron, state, spec.when, now);
    } catch (error) {
      return { action: 'skip', tick, reason: `when: ${(error as Error).message}` };
    }
    if (!holds) return { action: 'skip', tick, reason: `when '${spec.when}' evaluated false` };
  }
  if (state.active.length > 0) {
    if (spec.concurrencyPolicy === 'Forbid') return { action: 'skip', tick, reason: "concurrencyPolicy Forbid and a workflow is active", policy: 'Forbid' };
    if (spec.concurrencyPolicy === 'Replace') return { action: 'fire', tick, replace: state.active, policy: 'Replace' };
  }
  return { action: 'fire', tick, replace: [] };
}

/** Argo's defaults: 3 succeeded and 1 failed workflow kept. */
export function historyLimits(cron: CronWorkflow): { succeeded: number; failed: number } {
  return { succeeded: cron.spec.successfulJobsHistoryLimit ?? 3, failed: cron.spec.failedJobsHistoryLimit ?? 1 };
}

/** `cronworkflow.*` as Argo offers them to `when` and `stopStrategy`; lastScheduledTime is a time, or nil. */
function cronVariable(cron: CronWorkflow, state: CronState, key: string): unknown {
  const { metadata } = cron;
  switch (key) {
    case 'cronworkflow.name':
      return metadata.name;
    case 'cronworkflow.namespace':
      return metadata.namespace;
    case 'cronworkflow.labels.json':
      return JSON.stringify(metadata.labels ?? {});
    case 'cronworkflow.annotations.json':
      return JSON.stringify(metadata.annotations ?? {});
    case 'cronworkflow.lastScheduledTime':
      return state.lastScheduledTime === undefined ? null : new Date(state.lastScheduledTime);
    case 'cronworkflow.failed':
      return state.failed;
    case 'cronworkflow.succeeded':
      return state.succeeded;
  }
  if (key.startsWith('cronworkflow.labels.')) return metadata.labels?.[key.slice('cronworkflow.labels.'.length)];
  if (key.startsWith('cronworkflow.annotations.')) return metadata.annotations?.[key.slice('cronworkflow.annotations.'.length)];
  return undefined;
}

/**
 * Argo's evalWhen: `{{…}}` and `{{=…}}` substituted with the cron's variables, then the condition
 * evaluated. Simple tags take text (a time as RFC 3339); expressions take the values themselves.
 */
function whenHolds(cron: CronWorkflow, state: CronState, when: string, now: number): boolean {
  const text: Lookup = (key) => {
    const value = cronVariable(cron, state, key);
    if (value === null || value === undefined) return undefined;
    return key === 'cronworkflow.lastScheduledTime' ? state.lastScheduledTime : String(value);
  };
  const values = ((key: string) => cronVariable(cron, state, key)) as Lookup;
  const substituted = substituteString(substituteString(when, text), values, { strict: true, now: new Date(now).toISOString() });
  return evaluateWhen(substituted);
}

function stopStrategyHolds(cron: CronWorkflow, state: CronState, now: number): boolean {
  const result = evaluateExpression(cron.spec.stopStrategy!.expression, (key) => cronVariable(cron, state, key), { now: new Date(now) });
  if (typeof result !== 'boolean') throw new Error(`stopStrategy.expression must evaluate to a boolean, got ${JSON.stringify(result)}`);
  return result;
}
