// The expression steps an event may take: all evaluations of one event share one budget, so a template
// of 1,000 tags cannot cost 1,000 times one evaluation's budget, and a workflow's events draw it from an
// allowance refilled with the events' time, so a burst of its events in one batch (results of a wide
// fan-out, each starting costly tags) cannot cost a batch's worth of full budgets either. Past it, each
// further evaluation fails at its first step and the node that needed it ends in Error, saying so.
// The refill is computed from the event's `now`, so the engine stays a function of its inputs; the
// allowance lives in memory only, and a reloaded workflow starts with a full one.
import { sharedBudget, type Budget } from '@regatta/expr';

/** Expression steps all evaluations of one event may take together: ten evaluations at their own
 * limit, about a second of the scheduler's time. */
const EVENT_EXPRESSION_STEPS = 10_000_000;
/** What a workflow's allowance regains per second of event time, up to one event's budget. */
const WORKFLOW_STEPS_PER_SECOND = 2_000_000;

export class ExpressionAllowance {
  private level = EVENT_EXPRESSION_STEPS;
  private at: number | undefined;
  private last: Budget | undefined;

  /** The budget of an event at `now` (RFC 3339); what the previous event spent is paid first. */
  forEvent(now: string): Budget {
    this.level -= this.last?.spent ?? 0;
    const time = Date.parse(now);
    // A scheduler whose clock is behind the last one's refills nothing until it catches up.
    if (this.at !== undefined && time > this.at) this.level = Math.min(EVENT_EXPRESSION_STEPS, this.level + ((time - this.at) / 1000) * WORKFLOW_STEPS_PER_SECOND);
    if (this.at === undefined || time > this.at) this.at = time;
    const steps = Math.floor(this.level);
    const what = steps < EVENT_EXPRESSION_STEPS ? `expressions of this workflow (${WORKFLOW_STEPS_PER_SECOND} steps a second, ${EVENT_EXPRESSION_STEPS} at once)` : 'expressions of one event';
    this.last = sharedBudget(steps, what);
    return this.last;
  }
}
