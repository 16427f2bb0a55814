// Patterns of `matches`, compiled once per evaluation (RE2, as Go's regexp; see ../regex.ts).
import { Failure } from '../errors.js';
import { compilePattern, type CompiledPattern } from '../regex.js';
import { fail } from './failure.js';

export class PatternCache {
  private readonly compiled = new Map<string, CompiledPattern>();

  get(pattern: string): CompiledPattern {
    const known = this.compiled.get(pattern);
    if (known) return known;
    let compiled: CompiledPattern;
    try {
      compiled = compilePattern(pattern);
    } catch (error) {
      if (error instanceof Failure) fail(error.message);
      throw error;
    }
    this.compiled.set(pattern, compiled);
    return compiled;
  }
}
