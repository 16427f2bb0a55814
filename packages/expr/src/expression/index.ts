// Argo's expression language (`{{=…}}` tags, `expression` fields, `fromExpression`): expr-lang with
// Argo's functions and sprig, parsed and interpreted here without eval. Failures of every stage
// become one ExpressionError('EXPR') naming the expression, the reason and the offset.
import { ExpressionError } from '../errors.js';
import { Budget, DEFAULT_MAX_STEPS } from './budget.js';
import { Evaluator, type ExpressionScope } from './evaluate.js';
import { EvalFailure } from './failure.js';
import { marshal } from './json.js';
import { parse } from './parser.js';
import type { Value } from './values.js';

export type { ExpressionScope };

export interface EvaluateOptions {
  /** Evaluation steps allowed (nodes, loop iterations, elements copied); 1,000,000 by default. */
  maxSteps?: number;
  /** The instant `now()` answers; the current time by default. A deterministic caller passes its own. */
  now?: Date;
  /** A budget shared with other evaluations (see sharedBudget), charged besides this one's own. */
  budget?: Budget;
}

const SHOWN = 200;

function wrap<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const shown = source.length > SHOWN ? `${source.slice(0, SHOWN)}…` : source;
    if (error instanceof EvalFailure) {
      const at = error.pos === undefined ? '' : ` at ${error.pos}`;
      throw new ExpressionError('EXPR', `expression ${JSON.stringify(shown)} : ${error.message}${at}`);
    }
    // A bug here, or a stack overflow despite the depth limits, still surfaces as an ExpressionError.
    const reason = error instanceof RangeError ? 'expression is too complex' : `internal error: ${(error as Error).message}`;
    throw new ExpressionError('EXPR', `expression ${JSON.stringify(shown)} : ${reason}`);
  }
}

/** Parses only, for checks at submission: syntax, nesting and function names. */
export function parseExpression(source: string): void {
  wrap(source, () => parse(source));
}

export function evaluateExpression(source: string, scope: ExpressionScope, options: EvaluateOptions = {}): unknown {
  return wrap(source, () => evaluate(source, scope, options).value);
}

function evaluate(source: string, scope: ExpressionScope, options: EvaluateOptions): { value: Value; budget: Budget } {
  const tree = parse(source);
  const budget = new Budget(options.maxSteps ?? DEFAULT_MAX_STEPS, options.budget);
  const now = (options.now ?? new Date()).getTime();
  return { value: new Evaluator(scope, { budget, now }).evaluate(tree), budget };
}

/**
 * Evaluates and encodes the result as Go's encoding/json does (sorted keys, Go's escapes and number
 * forms): how Argo turns an event expression's result into a parameter value.
 */
export function evaluateToJson(source: string, scope: ExpressionScope, options: EvaluateOptions = {}): string {
  return wrap(source, () => {
    const { value, budget } = evaluate(source, scope, options);
    return marshal(value, budget);
  });
}
