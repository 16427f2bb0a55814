// Patterns of `matches`: RE2 syntax in Go, a JS RegExp here, through the translation the `when`
// language uses (no backreferences or lookaround, at most 1000 characters). JS backtracks where
// RE2 does not, so a repetition of a group that itself repeats (`(a+)+`), the shape behind
// exponential matching, is refused too. Compiled patterns are kept for the evaluation.
import { Failure } from '../errors.js';
import { compilePattern } from '../regex.js';
import { fail } from './failure.js';

/** Whether the quantifier at `i` lets its operand repeat more than once. */
function repeats(pattern: string, i: number): boolean {
  const char = pattern[i];
  if (char === '*' || char === '+') return true;
  if (char !== '{') return false;
  const bounds = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i));
  if (!bounds) return false;
  return bounds[2] === ',' ? bounds[3] === '' || Number(bounds[3]) > 1 : Number(bounds[1]) > 1;
}

/** Refuses nested repetition: a group containing a repeating quantifier, itself repeated. */
function checkNesting(pattern: string): void {
  const groups: boolean[] = [];
  let inner = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      i++;
    } else if (char === '[') {
      // Skip a class: quantifier characters inside it are literal.
      for (i += pattern[i + 1] === ']' ? 2 : 1; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (char === '(') {
      groups.push(inner);
      inner = false;
    } else if (char === ')') {
      const groupRepeats: boolean = inner;
      inner = (groups.pop() ?? false) || groupRepeats;
      if (groupRepeats && repeats(pattern, i + 1)) {
        fail(`pattern ${JSON.stringify(pattern)} repeats a group that itself repeats, which can take exponential time; rewrite it without the nested repetition`);
      }
    } else if (repeats(pattern, i)) {
      inner = true;
    }
  }
}

export class PatternCache {
  private readonly compiled = new Map<string, RegExp>();

  get(pattern: string): RegExp {
    const known = this.compiled.get(pattern);
    if (known) return known;
    let regex: RegExp;
    try {
      regex = compilePattern(pattern).regex;
    } catch (error) {
      if (error instanceof Failure) fail(error.message);
      throw error;
    }
    checkNesting(pattern);
    // Unicode mode makes `\p{L}` and `.` work on characters as RE2 does; patterns that are valid only
    // without it (such as `\-` outside a class) keep the plain form.
    try {
      regex = new RegExp(regex.source, `${regex.flags}u`);
    } catch {
      // keep the plain form
    }
    this.compiled.set(pattern, regex);
    return regex;
  }
}
