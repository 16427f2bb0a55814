// Argo's `when` (workflow/controller/steps.go shouldExecute): a govaluate expression in which every
// bare word is a string, so `{{steps.flip.outputs.result}} == heads` reads as `"heads" == "heads"`
// after substitution. Argo parses twice (as written, then with bare words as strings), evaluates
// with no parameters, and words each stage's failure differently; so does this.
import { ExpressionError, Failure } from './errors.js';
import { Budget, DEFAULT_MAX_STEPS } from './expression/budget.js';
import { EvalFailure } from './expression/failure.js';
import { formatValue, type Value } from './go-value.js';
import { evaluate } from './when-eval.js';
import { tokenize } from './when-lexer.js';
import { plan, type Node } from './when-parser.js';
import { checkSyntax, compilePatterns, type Token } from './when-tokens.js';

export const MAX_WHEN_LENGTH = 10_000;
const HINT = ' (hint: try wrapping the affected expression in quotes ("))';

/** Runs one stage, turning its Failure into Argo's message for that stage. */
function stage<T>(run: () => T, message: (reason: string) => string): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Failure || error instanceof EvalFailure) throw new ExpressionError('WHEN', message(error.message));
    throw error;
  }
}

/** An empty condition holds, as in Argo. Pattern matches are charged to a budget of their own, and
 * to `shared` when given (all evaluations of one event). */
export function evaluateWhen(expression: string, shared?: Budget): boolean {
  if (expression === '') return true;
  if (expression.length > MAX_WHEN_LENGTH) {
    const start = expression.slice(0, 200);
    throw new ExpressionError('WHEN', `Invalid 'when' expression '${start}…': longer than ${MAX_WHEN_LENGTH} characters`);
  }
  const tokens = stage(
    () => {
      const written = tokenize(expression);
      checkSyntax(written);
      compilePatterns(written);
      plan(written); // planned only for its errors, which Argo reports from this first parse
      return written;
    },
    (reason) => `Invalid 'when' expression '${expression}': ${reason}${reason.includes('Invalid token') ? HINT : ''}`,
  );
  const tree = stage(
    (): Node => {
      const strings = tokens.map((token): Token => (token.kind === 'VARIABLE' ? { kind: 'STRING', value: token.value } : token));
      checkSyntax(strings);
      compilePatterns(strings);
      return plan(strings);
    },
    (reason) => `Failed to parse 'when' expression '${expression}': ${reason}`,
  );
  // "expresion" is Argo's spelling.
  const result: Value = stage(() => evaluate(tree, new Budget(DEFAULT_MAX_STEPS, shared)), (reason) => `Failed to evaluate 'when' expresion '${expression}': ${reason}`);
  if (typeof result !== 'boolean') {
    throw new ExpressionError('WHEN', `Expected boolean evaluation for '${expression}'. Got ${formatValue(result)}`);
  }
  return result;
}
