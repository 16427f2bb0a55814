// Patterns of `=~`, `!~` (govaluate) and `matches` (expr): Go's regexp package in Argo, so RE2 syntax
// and semantics, run here by re2js, a port of RE2. A match takes time linear in the text (times the
// pattern's program size) whatever the pattern, so `(a+)+b` or `(a|a)*` cannot hold a process, and
// each match is charged to the evaluation's budget before it runs. What RE2 refuses (backreferences,
// lookaround) fails to compile, with Go's messages.
import { RE2JS, RE2JSException } from 're2js';
import { Failure } from './errors.js';
import type { Budget } from './expression/budget.js';

export const MAX_PATTERN_LENGTH = 1_000;

/** Characters × program instructions charged as one evaluation step. On re2js's slowest path (its
 * NFA) a unit took 30-90 ns here, an evaluator step 50-100 ns, so a budget spent on matches alone takes
 * up to about four times as long as one spent otherwise: a bound, at a price in reach (one evaluation
 * scans about 4M units: 1 MiB with a 4-instruction pattern, 100 KB with a 40-instruction one). DFA
 * matches, the usual case, run far faster than they are charged. */
const UNITS_PER_STEP = 4;

/** A compiled pattern keeps the text it was written as: Go prints a *regexp.Regexp as that text. */
export class CompiledPattern {
  constructor(
    readonly source: string,
    private readonly compiled: RE2JS,
  ) {}

  /** Whether the pattern matches anywhere in `text`, like Go's regexp.MatchString. */
  test(text: string, budget: Budget): boolean {
    budget.step(Math.ceil((text.length * this.compiled.programSize()) / UNITS_PER_STEP));
    return this.compiled.test(text);
  }
}

export function compilePattern(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) throw new Failure(`error parsing regexp: pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    return new CompiledPattern(source, RE2JS.compile(source));
  } catch (error) {
    if (error instanceof RE2JSException) throw new Failure(error.message);
    throw error;
  }
}
