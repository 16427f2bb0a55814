// Patterns of `=~`, `!~` (govaluate) and `matches` (expr): Go's regexp package in Argo, so RE2 syntax
// and semantics, run here by re2js, a port of RE2. A match takes time linear in the text (times the
// pattern's program size) whatever the pattern, so `(a+)+b` or `(a|a)*` cannot hold a process, and
// each match is charged to the evaluation's budget before it runs. What RE2 refuses (backreferences,
// lookaround) fails to compile, with Go's messages.
import { RE2JS, RE2JSException } from 're2js';
import { Failure } from './errors.js';
import type { Budget } from './expression/budget.js';

export const MAX_PATTERN_LENGTH = 1_000;

/** Characters × program instructions charged as one evaluation step. re2js's slowest path (its NFA)
 * takes ~17 ns per unit, an evaluator step ~70 ns: a budget spent on matches alone can take about four
 * times as long as one spent otherwise (0.3 s for an evaluation's), which lets a short pattern scan a
 * 1 MiB response body (DFA matches, the usual case, are far faster than the charge). */
const UNITS_PER_STEP = 16;

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
