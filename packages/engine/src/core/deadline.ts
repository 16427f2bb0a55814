// The workflow's activeDeadlineSeconds, counted from its start: past it, running nodes are stopped and
// no new node starts except exit handlers, as in Argo.
import type { WorkflowState } from './state.js';

export const DEADLINE_MESSAGE = 'Step exceeded its deadline';

function deadlineMs(state: WorkflowState): number | undefined {
  const seconds = state.workflow.spec.activeDeadlineSeconds;
  const started = state.status.startedAt;
  if (seconds === undefined || started === undefined) return undefined;
  return Date.parse(started) + Number(seconds) * 1000;
}

export function isPastDeadline(state: WorkflowState): boolean {
  const deadline = deadlineMs(state);
  return deadline !== undefined && Date.parse(state.now) >= deadline;
}

/** Seconds left before the deadline, or undefined without one. */
export function remainingSeconds(state: WorkflowState): number | undefined {
  const deadline = deadlineMs(state);
  return deadline === undefined ? undefined : (deadline - Date.parse(state.now)) / 1000;
}

/** The time the deadline's timer is due, as ISO text. */
export function deadlineAt(state: WorkflowState): string | undefined {
  const deadline = deadlineMs(state);
  return deadline === undefined ? undefined : new Date(deadline).toISOString();
}
