// Test help: evaluate an expression over a map of dotted names, or get the message it fails with.
import { ExpressionError } from '../src/errors.js';
import { evaluateExpression } from '../src/expression/index.js';

export type Vars = Record<string, unknown>;

export const run = (source: string, vars: Vars = {}): unknown =>
  evaluateExpression(source, (path) => (Object.hasOwn(vars, path) ? vars[path] : undefined));

export function error(source: string, vars: Vars = {}): string {
  try {
    run(source, vars);
  } catch (caught) {
    if (caught instanceof ExpressionError) return caught.message;
    throw caught;
  }
  throw new Error(`expected ${source} to fail`);
}
