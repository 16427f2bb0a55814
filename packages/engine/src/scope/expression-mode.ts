// How the engine evaluates `{{=…}}` tags: leniently while names may still be missing (a call's
// arguments before its siblings end), strictly in the last substitution before a pod runs. Either way
// `now()` is the event's time, so replaying an event gives the same values.
// Every evaluation also charges the event's shared budget (`state.expressions`, see event-budget.ts).
import type { Budget, ExpressionMode } from '@regatta/expr';
import type { WorkflowState } from '../core/state.js';

export function lenient(state: WorkflowState): ExpressionMode {
  return { strict: false, now: state.now, budget: state.expressions };
}

export function strict(state: WorkflowState): ExpressionMode {
  return { strict: true, now: state.now, budget: state.expressions };
}

/** For evaluateExpression: the event's time and shared budget. */
export function expressionOptions(state: WorkflowState): { now: Date; budget: Budget } {
  return { now: new Date(state.now), budget: state.expressions };
}
