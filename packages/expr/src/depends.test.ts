import { describe, expect, it } from 'vitest';
import { parseDepends, type DependsTaskState } from './depends.js';
import { ExpressionError } from './errors.js';

const states = (phases: Record<string, DependsTaskState['phase']>) => (name: string): DependsTaskState => ({ phase: phases[name] ?? 'Pending' });
const none = () => undefined;

describe('depends', () => {
  it('reads a bare name as succeeded, skipped or daemoned', () => {
    const parsed = parseDepends({ depends: 'A' }, none);
    expect(parsed.taskNames).toEqual(['A']);
    expect(parsed.evaluate(states({ A: 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(states({ A: 'Skipped' }))).toBe(true);
    expect(parsed.evaluate(states({ A: 'Failed' }))).toBe(false);
    expect(parsed.evaluate(() => ({ phase: 'Running', daemoned: true }))).toBe(true);
  });

  it('adds Failed and Errored for tasks that continue on them', () => {
    const parsed = parseDepends({ depends: 'flaky' }, () => ({ failed: true, error: true }));
    expect(parsed.evaluate(states({ flaky: 'Failed' }))).toBe(true);
    expect(parsed.evaluate(states({ flaky: 'Error' }))).toBe(true);
    expect(parsed.evaluate(states({ flaky: 'Omitted' }))).toBe(false);
  });

  it('treats dependencies as all of them', () => {
    const parsed = parseDepends({ dependencies: ['A', 'b-2'] }, none);
    expect(parsed.taskNames).toEqual(['A', 'b-2']);
    expect(parsed.evaluate(states({ A: 'Succeeded', 'b-2': 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(states({ A: 'Succeeded', 'b-2': 'Failed' }))).toBe(false);
  });

  it('evaluates results, !, && , || and parentheses', () => {
    const parsed = parseDepends({ depends: '(A.Failed || A.Errored) && !B.Omitted && my-task.Succeeded' }, none);
    expect(parsed.taskNames).toEqual(['A', 'B', 'my-task']);
    expect(parsed.evaluate(states({ A: 'Error', B: 'Succeeded', 'my-task': 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(states({ A: 'Error', B: 'Omitted', 'my-task': 'Succeeded' }))).toBe(false);
    expect(parseDepends({ depends: 'L.AnySucceeded' }, none).evaluate(() => ({ phase: 'Failed', anySucceeded: true }))).toBe(true);
  });

  it.each(['A.Done', 'A &&', '(A', 'A B', '&& A'])('refuses %s', (depends) => {
    expect(() => parseDepends({ depends }, none)).toThrow(ExpressionError);
  });
});
