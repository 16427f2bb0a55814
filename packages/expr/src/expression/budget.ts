// Bounds on the work expressions may do, so hostile ones fail fast instead of holding the scheduler
// or a worker: a step count shared by nodes, loop iterations, bulk operations and pattern matches,
// and a cap on the length of any string built. Each evaluation has its own budget; a caller that
// evaluates many (every tag of one event, every step of one data template) passes a shared one
// that each evaluation also charges, so N tags cannot cost N times one evaluation's budget.
import { EvalFailure } from './failure.js';

export const DEFAULT_MAX_STEPS = 1_000_000;
/** About 1 MiB: counted in UTF-16 code units, which is what JS allocates. */
const MAX_STRING_LENGTH = 1 << 20;

/** A limit was reached: unlike other failures, functions that swallow errors (sprig's toJson,
 * expr's get) must let this one through. */
export class LimitFailure extends EvalFailure {}

export class Budget {
  private used = 0;

  /** `what` names the budget in the failure: "evaluation", "expressions of one event". */
  constructor(
    readonly maxSteps: number,
    private readonly shared?: Budget,
    private readonly what = 'evaluation',
  ) {}

  /** Charges `count` steps (a node, an iteration, or an element copied). */
  step(count = 1): void {
    this.used += count;
    if (this.used > this.maxSteps) throw new LimitFailure(this.failure());
    this.shared?.step(count);
  }

  /** Steps charged so far, at most the limit. */
  get spent(): number {
    return Math.min(this.used, this.maxSteps);
  }

  /** The failure once the budget is spent: a lenient caller, which leaves a failed tag as written,
   * must not go on with what was left unevaluated. */
  get exceeded(): string | undefined {
    return this.used > this.maxSteps ? this.failure() : undefined;
  }

  private failure(): string {
    return `${this.what} exceeded ${this.maxSteps} steps`;
  }

  /** Charges for reading or building `length` characters: a step per 16, which also bounds the
   * memory all strings of one evaluation can take. */
  characters(length: number): void {
    this.step(length >> 4);
  }

  /** Checks a string length before the string is built. */
  length(length: number, what: string): void {
    if (length > MAX_STRING_LENGTH) throw new LimitFailure(`${what} would be ${length} characters long, over the limit of ${MAX_STRING_LENGTH}`);
  }
}

/** A budget that several evaluations share, e.g. all of one event's: `what` names it in the failure. */
export function sharedBudget(maxSteps: number, what: string): Budget {
  return new Budget(maxSteps, undefined, what);
}

/** What functions receive besides their arguments. */
export interface CallContext {
  readonly budget: Budget;
  /** The instant `now()` returns, in Unix milliseconds. */
  readonly now: number;
}
