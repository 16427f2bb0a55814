// How the engine evaluates `{{=…}}` tags: leniently while names may still be missing (a call's
// arguments before its siblings end), strictly in the last substitution before a pod runs. Either way
// `now()` is the event's time, so replaying an event gives the same values.
import type { ExpressionMode } from '@regatta/expr';
import type { WorkflowState } from './state.js';

export function lenient(state: WorkflowState): ExpressionMode {
  return { strict: false, now: state.now };
}

export function strict(state: WorkflowState): ExpressionMode {
  return { strict: true, now: state.now };
}
