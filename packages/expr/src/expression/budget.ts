// Bounds on the work one evaluation may do, so hostile expressions fail fast instead of holding the
// scheduler: a step count shared by nodes, loop iterations and bulk operations, and a cap on the
// length of any string built.
import { EvalFailure } from './failure.js';

export const DEFAULT_MAX_STEPS = 1_000_000;
/** About 1 MiB: counted in UTF-16 code units, which is what JS allocates. */
const MAX_STRING_LENGTH = 1 << 20;

/** A limit was reached: unlike other failures, functions that swallow errors (sprig's toJson,
 * expr's get) must let this one through. */
export class LimitFailure extends EvalFailure {}

export class Budget {
  private used = 0;

  constructor(readonly maxSteps: number) {}

  /** Charges `count` steps (a node, an iteration, or an element copied). */
  step(count = 1): void {
    this.used += count;
    if (this.used > this.maxSteps) throw new LimitFailure(`evaluation exceeded ${this.maxSteps} steps`);
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

/** What functions receive besides their arguments. */
export interface CallContext {
  readonly budget: Budget;
  /** The instant `now()` returns, in Unix milliseconds. */
  readonly now: number;
}
