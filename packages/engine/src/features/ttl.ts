// Argo's ttlStrategy: a finished workflow is deleted (record, nodes, logs) after
// secondsAfterSuccess / secondsAfterFailure, else secondsAfterCompletion, counted from its end; and
// the controller's default ttlStrategy (Argo's workflowDefaults) merged under each workflow's own.
import type { Workflow } from '@regatta/spec';
import type { Transition } from '../core/transition.js';

export interface TtlStrategy {
  secondsAfterCompletion?: number;
  secondsAfterSuccess?: number;
  secondsAfterFailure?: number;
}

/** Asks for the deletion timer of a workflow that has just ended, if its ttlStrategy gives one. */
export function scheduleTtl(t: Transition): void {
  const ttl = t.state.workflow.spec.ttlStrategy as TtlStrategy | undefined;
  if (!ttl) return;
  const seconds = t.state.status.phase === 'Succeeded' ? (ttl.secondsAfterSuccess ?? ttl.secondsAfterCompletion) : (ttl.secondsAfterFailure ?? ttl.secondsAfterCompletion);
  if (seconds === undefined || !Number.isFinite(Number(seconds))) return;
  t.commands.push({ type: 'scheduleEvent', at: new Date(Date.parse(t.now) + Number(seconds) * 1000).toISOString(), event: { type: 'ttlExpired' } });
}

/**
 * Argo's `workflowDefaults` for the ttlStrategy: the controller's fields under the workflow's own,
 * field by field (Argo's MergeTo: what the workflow sets wins, what it leaves out comes from the
 * default). Changes `workflow` in place.
 */
export function applyDefaultTtl(workflow: Workflow, defaults: TtlStrategy): void {
  if (Object.keys(defaults).length === 0) return;
  workflow.spec.ttlStrategy = { ...defaults, ...(workflow.spec.ttlStrategy as TtlStrategy | undefined) };
}
