// Fuzzing the expression languages a workflow carries: `{{=…}}` expressions (parse and evaluate),
// `when` conditions, `depends` logic and `{{…}}` substitution. Each must give a value or a clear
// ExpressionError (see clearExpressionRefusal), within the time budget per case.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { evaluateExpression, evaluateWhen, parseDepends, parseExpression, substituteString } from '@regatta/expr';
import { assertInChunks, clearExpressionRefusal, count, params, TEST_TIMEOUT_MS, timed } from './support.js';
import { dependsText, expressionText, whenText } from './expressions.js';

const SCOPE: Record<string, unknown> = {
  'workflow.name': 'fuzz-abcde',
  'inputs.parameters.p': '{"a":[1,2,{"b":"c"}]}',
  item: '3',
  'steps.a.outputs.result': 'heads',
  'tasks.t0.outputs.parameters.o': '["x","y"]',
  x: 1,
  y: 'y',
};
const PHASES = ['Pending', 'Running', 'Succeeded', 'Skipped', 'Failed', 'Error', 'Omitted'] as const;
const NOW = new Date('2026-01-01T00:00:00Z');

/** Runs `what`; a value or a clear refusal passes, anything else fails the property. */
function outcome(property: string, what: () => unknown): void {
  timed(property, () => {
    try {
      what();
      count(property, 'value');
    } catch (error) {
      const vague = clearExpressionRefusal(error);
      if (vague) throw new Error(vague);
      count(property, 'refused');
    }
  });
}

describe('fuzz: expressions', () => {
  it('parse and evaluate expressions to a value or a clear refusal', async () => {
    await assertInChunks(
      fc.property(expressionText, (source) => {
        outcome('expressions (parse)', () => parseExpression(source));
        outcome('expressions (evaluate)', () => evaluateExpression(source, (path) => SCOPE[path], { now: NOW, maxSteps: 100_000 }));
      }),
      params(100, 3000),
    );
  }, TEST_TIMEOUT_MS);

  it('evaluate when conditions to a boolean or a clear refusal', async () => {
    await assertInChunks(fc.property(whenText, (text) => outcome('when', () => evaluateWhen(text))), params(60, 1500));
  }, TEST_TIMEOUT_MS);

  it('parse and evaluate depends logic or refuse it clearly', async () => {
    await assertInChunks(
      fc.property(dependsText, fc.boolean(), fc.constantFrom(...PHASES), (text, failed, phase) =>
        outcome('depends', () => {
          const parsed = parseDepends({ depends: text }, () => ({ failed }));
          parsed.evaluate(() => ({ phase, anySucceeded: failed, allFailed: !failed }));
        }),
      ),
      params(60, 1000),
    );
  }, TEST_TIMEOUT_MS);

  it('substitute tags in text, strictly and leniently, or refuse clearly', async () => {
    const tag = fc.oneof(expressionText.map((e) => `{{=${e}}}`), fc.constantFrom('{{workflow.name}}', '{{item}}', '{{nope}}', '{{', '}}', '{{{{x}}}}', '{{inputs.parameters.{{item}}}}'));
    const text = fc.array(fc.oneof(tag, fc.string({ maxLength: 5 })), { maxLength: 5 }).map((parts) => parts.join(''));
    await assertInChunks(
      fc.property(text, fc.boolean(), (t, strict) =>
        outcome('substitution', () => substituteString(t, (key) => (typeof SCOPE[key] === 'string' ? (SCOPE[key] as string) : undefined), { strict, now: NOW.toISOString() })),
      ),
      params(60, 1500),
    );
  }, TEST_TIMEOUT_MS);
});
