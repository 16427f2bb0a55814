// Argo's DAG `depends` (workflow/common/ancestry.go, controller/dag.go): task names and `task.Result`
// terms under &&, || and !, where a bare name means "succeeded, skipped or daemoned", plus "errored"
// and "failed" when that task continues on them. Parsed once into a tree, evaluated many times.
import { isSpace } from './chars.js';
import { ExpressionError } from './errors.js';
import { Scanner } from './scanner.js';

export type TaskResult = 'Succeeded' | 'Failed' | 'Errored' | 'Skipped' | 'Omitted' | 'Daemoned' | 'AnySucceeded' | 'AllFailed';

export interface DependsTaskState {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';
  daemoned?: boolean;
  /** For a loop's task group: any child Succeeded. */
  anySucceeded?: boolean;
  /** For a loop's task group: it has children and all of them Failed. */
  allFailed?: boolean;
}

export interface ParsedDepends {
  /** Tasks referenced, each once, in order of appearance. */
  taskNames: string[];
  /** Asks `state` about each task at most once per call. */
  evaluate(state: (taskName: string) => DependsTaskState): boolean;
}

export type ContinueOn = (taskName: string) => { failed?: boolean; error?: boolean } | undefined;

type Node =
  | { kind: 'term'; task: string; result: TaskResult }
  | { kind: 'not'; operand: Node }
  | { kind: 'and' | 'or'; operands: Node[] };

const RESULTS: readonly string[] = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'];
const MAX_NESTING = 100;
/** Argo's task name pattern, `[a-zA-Z0-9][-a-zA-Z0-9]*`, and the shape of a result, `[A-Z][a-zA-Z]+`. */
const isNameStart = (char: string): boolean => /^[a-zA-Z0-9]$/.test(char);
const isNameChar = (char: string): boolean => char === '-' || isNameStart(char);
const isLetter = (char: string): boolean => /^[a-zA-Z]$/.test(char);
const RESULT_SHAPE = /^[A-Z][a-zA-Z]+$/;

class DependsParser {
  private readonly scanner: Scanner;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly continueOn: ContinueOn,
  ) {
    this.scanner = new Scanner(text);
  }

  parse(): Node {
    const node = this.or();
    this.scanner.skipWhile(isSpace);
    if (!this.scanner.done) this.fail(`unexpected '${this.scanner.peek()}'`);
    return node;
  }

  private or(): Node {
    const operands = [this.and()];
    while (this.accept('||')) operands.push(this.and());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private and(): Node {
    const operands = [this.unary()];
    while (this.accept('&&')) operands.push(this.unary());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private unary(): Node {
    if (this.accept('!')) return this.nested(() => ({ kind: 'not', operand: this.unary() }));
    if (this.accept('(')) {
      return this.nested(() => {
        const inner = this.or();
        if (!this.accept(')')) this.fail("expected '&&', '||' or ')'");
        return inner;
      });
    }
    return this.term();
  }

  private term(): Node {
    this.scanner.skipWhile(isSpace);
    const next = this.scanner.peek();
    if (next === undefined || !isNameStart(next)) this.fail('expected a task name');
    const task = this.scanner.readWhile(isNameChar);
    if (!this.scanner.accept('.')) return this.bare(task);
    const at = this.scanner.position;
    const result = this.scanner.readWhile(isLetter);
    if (!RESULT_SHAPE.test(result)) this.fail(`expected a task result such as 'Succeeded' after '${task}.'`, at);
    if (!RESULTS.includes(result)) this.fail(`task result '${result}' for task '${task}' is invalid`, at);
    return { kind: 'term', task, result: result as TaskResult };
  }

  /** Argo's expandDependency. */
  private bare(task: string): Node {
    const results: TaskResult[] = ['Succeeded', 'Skipped', 'Daemoned'];
    const continues = this.continueOn(task);
    if (continues?.error) results.push('Errored');
    if (continues?.failed) results.push('Failed');
    return { kind: 'or', operands: results.map((result): Node => ({ kind: 'term', task, result })) };
  }

  private accept(operator: string): boolean {
    this.scanner.skipWhile(isSpace);
    return this.scanner.accept(operator);
  }

  private nested(parse: () => Node): Node {
    if (++this.depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private fail(reason: string, at = this.scanner.position): never {
    throw new ExpressionError('DEPENDS', `invalid depends '${this.text}' at position ${at}: ${reason}`);
  }
}

function collectTasks(node: Node, into: Set<string>): Set<string> {
  if (node.kind === 'term') into.add(node.task);
  else if (node.kind === 'not') collectTasks(node.operand, into);
  else for (const operand of node.operands) collectTasks(operand, into);
  return into;
}

/** Argo's TaskResults for one dependency (controller/dag.go evaluateDependsLogic). */
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

function evaluate(node: Node, state: (taskName: string) => DependsTaskState): boolean {
  switch (node.kind) {
    case 'term':
      return holds(node.result, state(node.task));
    case 'not':
      return !evaluate(node.operand, state);
    case 'and':
      return node.operands.every((operand) => evaluate(operand, state));
    case 'or':
      return node.operands.some((operand) => evaluate(operand, state));
  }
}

/** `dependencies: [A, B]` is `depends: "A && B"`; an empty `depends` falls back to `dependencies`. */
export function parseDepends(input: { depends?: string; dependencies?: string[] }, continueOn: ContinueOn): ParsedDepends {
  const text = input.depends || (input.dependencies ?? []).join(' && ');
  if (text === '') return { taskNames: [], evaluate: () => true };
  const tree = new DependsParser(text, continueOn).parse();
  return {
    taskNames: [...collectTasks(tree, new Set())],
    evaluate(state) {
      const seen = new Map<string, DependsTaskState>();
      return evaluate(tree, (task) => {
        let known = seen.get(task);
        if (!known) seen.set(task, (known = state(task)));
        return known;
      });
    },
  };
}
