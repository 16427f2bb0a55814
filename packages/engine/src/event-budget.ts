// One budget of expression steps per event, shared by all its evaluations, so a template of 1,000
// tags cannot cost 1,000 times one evaluation's budget: past it, each further evaluation fails at its
// first step and the node that needed it ends in Error, saying so. A fresh one per event keeps the
// engine a function of (state, event, now).
import { sharedBudget, type Budget } from '@regatta/expr';

/** Expression steps all evaluations of one event may take together: ten evaluations at their own
 * limit, under a second of the scheduler's time (about 70 ms per million steps). */
const EVENT_EXPRESSION_STEPS = 10_000_000;

export function eventBudget(): Budget {
  return sharedBudget(EVENT_EXPRESSION_STEPS, 'expressions of one event');
}
