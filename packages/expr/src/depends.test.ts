import { describe, expect, it } from 'vitest';
import { parseDepends, type DependsTaskState } from './depends.js';
import { ExpressionError } from './errors.js';

type Phase = DependsTaskState['phase'];
const phases =
  (known: Record<string, Phase>) =>
  (name: string): DependsTaskState => ({ phase: known[name] ?? 'Pending' });
const none = () => undefined;

describe('depends: bare names', () => {
  it('reads a bare name as succeeded, skipped or daemoned', () => {
    const parsed = parseDepends({ depends: 'A' }, none);
    expect(parsed.taskNames).toEqual(['A']);
    expect(parsed.evaluate(phases({ A: 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(phases({ A: 'Skipped' }))).toBe(true);
    expect(parsed.evaluate(() => ({ phase: 'Running', daemoned: true }))).toBe(true);
    expect(parsed.evaluate(phases({ A: 'Failed' }))).toBe(false);
    expect(parsed.evaluate(phases({ A: 'Error' }))).toBe(false);
    expect(parsed.evaluate(phases({ A: 'Omitted' }))).toBe(false);
  });

  it('adds Errored for a task with continueOn.error', () => {
    const parsed = parseDepends({ depends: 'flaky' }, () => ({ error: true }));
    expect(parsed.evaluate(phases({ flaky: 'Error' }))).toBe(true);
    expect(parsed.evaluate(phases({ flaky: 'Failed' }))).toBe(false);
  });

  it('adds Failed for a task with continueOn.failed', () => {
    const parsed = parseDepends({ depends: 'flaky' }, () => ({ failed: true }));
    expect(parsed.evaluate(phases({ flaky: 'Failed' }))).toBe(true);
    expect(parsed.evaluate(phases({ flaky: 'Error' }))).toBe(false);
  });

  it('asks continueOn about each bare name separately', () => {
    const parsed = parseDepends({ depends: 'a && b' }, (name) => (name === 'b' ? { failed: true } : undefined));
    expect(parsed.evaluate(phases({ a: 'Succeeded', b: 'Failed' }))).toBe(true);
    expect(parsed.evaluate(phases({ a: 'Failed', b: 'Succeeded' }))).toBe(false);
  });

  it('negates the whole expansion under !', () => {
    const parsed = parseDepends({ depends: '!A' }, none);
    expect(parsed.evaluate(phases({ A: 'Failed' }))).toBe(true);
    expect(parsed.evaluate(phases({ A: 'Skipped' }))).toBe(false);
  });

  it('accepts Argo task names with dashes and leading digits', () => {
    const parsed = parseDepends({ depends: 'my-task && 2nd-step' }, none);
    expect(parsed.taskNames).toEqual(['my-task', '2nd-step']);
    expect(parsed.evaluate(phases({ 'my-task': 'Succeeded', '2nd-step': 'Skipped' }))).toBe(true);
  });
});

describe('depends: dependencies', () => {
  it('treats dependencies as all of them, each expanded with its continueOn', () => {
    const parsed = parseDepends({ dependencies: ['A', 'b-2'] }, (name) => (name === 'A' ? { error: true } : undefined));
    expect(parsed.taskNames).toEqual(['A', 'b-2']);
    expect(parsed.evaluate(phases({ A: 'Error', 'b-2': 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(phases({ A: 'Succeeded', 'b-2': 'Failed' }))).toBe(false);
  });

  it('uses dependencies when depends is empty, and has no tasks when both are', () => {
    expect(parseDepends({ depends: '', dependencies: ['A'] }, none).taskNames).toEqual(['A']);
    const free = parseDepends({}, none);
    expect(free.taskNames).toEqual([]);
    expect(free.evaluate(phases({}))).toBe(true);
  });
});

describe('depends: results and logic', () => {
  it.each<[string, DependsTaskState, boolean]>([
    ['A.Succeeded', { phase: 'Succeeded' }, true],
    ['A.Failed', { phase: 'Failed' }, true],
    ['A.Failed', { phase: 'Error' }, false],
    ['A.Errored', { phase: 'Error' }, true],
    ['A.Skipped', { phase: 'Skipped' }, true],
    ['A.Omitted', { phase: 'Omitted' }, true],
    ['A.Omitted', { phase: 'Skipped' }, false],
    ['A.Daemoned', { phase: 'Running', daemoned: true }, true],
    ['A.Daemoned', { phase: 'Pending', daemoned: true }, false],
    ['A.AnySucceeded', { phase: 'Failed', anySucceeded: true }, true],
    ['A.AnySucceeded', { phase: 'Succeeded' }, false],
    ['A.AllFailed', { phase: 'Failed', allFailed: true }, true],
    ['A.AllFailed', { phase: 'Failed' }, false],
  ])('%s holds for %j: %s', (depends, state, expected) => {
    expect(parseDepends({ depends }, none).evaluate(() => state)).toBe(expected);
  });

  it('evaluates !, && before ||, and parentheses', () => {
    const parsed = parseDepends({ depends: '(A.Failed || A.Errored) && !B.Omitted || C.Succeeded' }, none);
    expect(parsed.taskNames).toEqual(['A', 'B', 'C']);
    expect(parsed.evaluate(phases({ A: 'Error', B: 'Succeeded' }))).toBe(true);
    expect(parsed.evaluate(phases({ A: 'Error', B: 'Omitted' }))).toBe(false);
    expect(parsed.evaluate(phases({ A: 'Succeeded', B: 'Omitted', C: 'Succeeded' }))).toBe(true);
    expect(parseDepends({ depends: '!(A.Failed || B.Failed)' }, none).evaluate(phases({ B: 'Failed' }))).toBe(false);
    expect(parseDepends({ depends: '!!A.Failed' }, none).evaluate(phases({ A: 'Failed' }))).toBe(true);
  });

  it('lists each task once, in order of appearance', () => {
    expect(parseDepends({ depends: 'B.Failed || A || B.Errored && (C && A.Skipped)' }, none).taskNames).toEqual(['B', 'A', 'C']);
  });

  it('asks for each task state once per evaluation', () => {
    const parsed = parseDepends({ depends: 'A && (A.Failed || A.Omitted)' }, none);
    const asked: string[] = [];
    parsed.evaluate((name) => {
      asked.push(name);
      return { phase: 'Succeeded' };
    });
    expect(asked).toEqual(['A']);
  });
});

describe('depends: errors', () => {
  it.each([
    ['A.Done', 2, "task result 'Done' for task 'A' is invalid"],
    ['A.succeeded', 2, "expected a task result such as 'Succeeded' after 'A.'"],
    ['A.', 2, "expected a task result such as 'Succeeded' after 'A.'"],
    ['A &&', 4, 'expected a task name'],
    ['&& A', 0, 'expected a task name'],
    ['(A', 2, "expected '&&', '||' or ')'"],
    ['A B', 2, "unexpected 'B'"],
    ['A_B', 1, "unexpected '_'"],
    ['A & B', 2, "unexpected '&'"],
    ['A != B', 2, "unexpected '!'"],
    ['-A', 0, 'expected a task name'],
    ['   ', 3, 'expected a task name'],
  ])('refuses %j at position %i: %s', (depends, position, reason) => {
    expect(() => parseDepends({ depends }, none)).toThrow(ExpressionError);
    expect(() => parseDepends({ depends }, none)).toThrow(`invalid depends '${depends}' at position ${position}: ${reason}`);
  });

  it('has code DEPENDS', () => {
    try {
      parseDepends({ depends: 'A.Done' }, none);
    } catch (error) {
      expect((error as ExpressionError).code).toBe('DEPENDS');
    }
    expect.assertions(1);
  });

  it('refuses nesting deeper than 100 levels', () => {
    expect(() => parseDepends({ depends: `${'('.repeat(101)}A${')'.repeat(101)}` }, none)).toThrow(/nesting deeper than 100 levels/);
    expect(parseDepends({ depends: `${'('.repeat(100)}A${')'.repeat(100)}` }, none).taskNames).toEqual(['A']);
  });

  it('parses a long dependency list without deep recursion', () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `t-${i}`);
    const parsed = parseDepends({ dependencies: names }, none);
    expect(parsed.taskNames).toHaveLength(5_000);
    expect(parsed.evaluate(() => ({ phase: 'Succeeded' }))).toBe(true);
  });
});
