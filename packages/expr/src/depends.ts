// Argo's DAG `depends` logic: task names and `task.Result` terms joined by &&, || and !, with a bare
// name meaning "succeeded, skipped or daemoned" (plus failed/errored when the task continues on them).
import { ExpressionError } from './errors.js';

export type TaskResult = 'Succeeded' | 'Failed' | 'Errored' | 'Skipped' | 'Omitted' | 'Daemoned' | 'AnySucceeded' | 'AllFailed';

export interface DependsTaskState {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';
  daemoned?: boolean;
  anySucceeded?: boolean;
  allFailed?: boolean;
}

export interface ParsedDepends {
  /** Tasks referenced, each once, in order of appearance. */
  taskNames: string[];
  evaluate(state: (taskName: string) => DependsTaskState): boolean;
}

export type ContinueOn = (taskName: string) => { failed?: boolean; error?: boolean } | undefined;

type Node =
  | { kind: 'term'; task: string; result: TaskResult }
  | { kind: 'not'; operand: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node };

const RESULTS = new Set<string>(['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed']);
const NAME = /^[a-zA-Z0-9][-a-zA-Z0-9_]*/;

export function parseDepends(input: { depends?: string; dependencies?: string[] }, continueOn: ContinueOn): ParsedDepends {
  const text = input.depends ?? (input.dependencies ?? []).join(' && ');
  if (text.trim() === '') return { taskNames: [], evaluate: () => true };
  const tree = new DependsParser(text, continueOn).parse();
  const taskNames = [...new Set(collectTasks(tree))];
  return { taskNames, evaluate: (state) => evaluate(tree, state) };
}

class DependsParser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly continueOn: ContinueOn,
  ) {}

  parse(): Node {
    const node = this.or();
    this.skipSpace();
    if (this.position < this.text.length) this.fail(`unexpected '${this.text[this.position]}'`);
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.accept('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.accept('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Node {
    if (this.accept('!')) return { kind: 'not', operand: this.unary() };
    if (this.accept('(')) {
      const inner = this.or();
      if (!this.accept(')')) this.fail("missing ')'");
      return inner;
    }
    return this.term();
  }

  private term(): Node {
    this.skipSpace();
    const match = NAME.exec(this.text.slice(this.position));
    if (!match) this.fail('expected a task name');
    const task = match![0];
    let result: string | undefined;
    this.position += task.length;
    if (this.text[this.position] === '.') {
      const word = /^\.([A-Za-z]+)/.exec(this.text.slice(this.position));
      if (!word) this.fail('expected a result after "."');
      result = word![1]!;
      this.position += word![0].length;
    }
    if (result === undefined) return this.bare(task);
    if (!RESULTS.has(result)) this.fail(`unknown result "${result}" (use one of ${[...RESULTS].join(', ')})`);
    return { kind: 'term', task, result: result as TaskResult };
  }

  /** A bare name: succeeded, skipped or daemoned, or failed/errored where the task continues on it. */
  private bare(task: string): Node {
    const results: TaskResult[] = ['Succeeded', 'Skipped', 'Daemoned'];
    const continues = this.continueOn(task);
    if (continues?.error) results.push('Errored');
    if (continues?.failed) results.push('Failed');
    return results
      .map((result): Node => ({ kind: 'term', task, result }))
      .reduce((left, right) => ({ kind: 'or', left, right }));
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  private fail(reason: string): never {
    throw new ExpressionError('DEPENDS', `invalid depends "${this.text}" at position ${this.position}: ${reason}`);
  }
}

function collectTasks(node: Node): string[] {
  if (node.kind === 'term') return [node.task];
  if (node.kind === 'not') return collectTasks(node.operand);
  return [...collectTasks(node.left), ...collectTasks(node.right)];
}

function evaluate(node: Node, state: (taskName: string) => DependsTaskState): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, state) && evaluate(node.right, state);
    case 'or':
      return evaluate(node.left, state) || evaluate(node.right, state);
    case 'not':
      return !evaluate(node.operand, state);
    case 'term':
      return holds(node.result, state(node.task));
  }
}

function holds(result: TaskResult, task: DependsTaskState): boolean {
  switch (result) {
    case 'Succeeded':
      return task.phase === 'Succeeded';
    case 'Failed':
      return task.phase === 'Failed';
    case 'Errored':
      return task.phase === 'Error';
    case 'Skipped':
      return task.phase === 'Skipped';
    case 'Omitted':
      return task.phase === 'Omitted';
    case 'Daemoned':
      return task.daemoned === true && task.phase !== 'Pending';
    case 'AnySucceeded':
      return task.anySucceeded === true;
    case 'AllFailed':
      return task.allFailed === true;
  }
}
