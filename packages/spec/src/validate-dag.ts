// A DAG's own references: `dependencies`, the task names inside `depends` and `target` name tasks of
// the same DAG, `depends` asks only for results Argo knows, and no task waits on itself through others.
import type { IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';
import type { DAGTask } from './types.js';
import { allTemplates, type SpecHolder } from './walk.js';

/** Argo's regex for the terms of `depends`: `task.Result` (a capitalised result) or a bare `task`. */
const DEPENDS_TERM = /([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)/g;
const RESULTS = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'];

export function validateDags(holder: SpecHolder, issues: IssueList): void {
  for (const { template, path } of allTemplates(holder)) {
    if (template.dag) validateDag(template.dag.tasks, template.dag.target, [...path, 'dag'], issues);
  }
}

function validateDag(tasks: DAGTask[], target: string | undefined, path: FieldPath, issues: IssueList): void {
  const names = new Set(tasks.map((task) => task.name));
  const edges = new Map<string, string[]>();
  tasks.forEach((task, k) => {
    const at: FieldPath = [...path, 'tasks', k];
    if (task.dependencies !== undefined && task.depends !== undefined) {
      issues.add('SCHEMA', at, `task "${task.name}" has both dependencies and depends; keep one`);
    }
    const upstream: string[] = [];
    task.dependencies?.forEach((name, d) => {
      if (names.has(name)) upstream.push(name);
      else issues.add('REFERENCE', [...at, 'dependencies', d], `task "${name}" not found in this dag`);
    });
    for (const name of dependsNames(task.depends ?? '', [...at, 'depends'], issues)) {
      if (names.has(name)) upstream.push(name);
      else issues.add('REFERENCE', [...at, 'depends'], `task "${name}" in depends not found in this dag`);
    }
    edges.set(task.name, upstream);
  });
  // Argo splits `target` on spaces; a templated target is only known when the workflow runs.
  for (const name of (target ?? '').split(' ').filter((name) => name && !name.includes('{{'))) {
    if (!names.has(name)) issues.add('REFERENCE', [...path, 'target'], `target task "${name}" not found in this dag`);
  }
  const cycle = findCycle(tasks, edges);
  if (cycle) {
    const k = tasks.findIndex((task) => task.name === cycle[0]);
    issues.add('CYCLE', [...path, 'tasks', k], `dependency cycle: ${cycle.join(' → ')}`);
  }
}

/**
 * The task names a `depends` expression mentions, each once; an unknown `.Result` is an issue of its
 * own, once per term: a `depends` naming one task 150,000 times gives one issue, not 150,000.
 */
function dependsNames(depends: string, path: FieldPath, issues: IssueList): Set<string> {
  const terms = new Set(Array.from(depends.matchAll(DEPENDS_TERM), ([term]) => term));
  const names = new Set<string>();
  for (const term of terms) {
    const [name = term, result] = term.split('.');
    if (result !== undefined && !RESULTS.includes(result)) {
      issues.add('SCHEMA', path, `"${term}": ${result} is not a task result; use one of ${RESULTS.join(', ')}`);
    }
    names.add(name);
  }
  return names;
}

/** A cycle as the names along it (first repeated at the end), found depth-first with an explicit
 * stack so that a long chain of tasks cannot overflow the call stack. */
function findCycle(tasks: DAGTask[], edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const { name: start } of tasks) {
    if (state.has(start)) continue;
    const stack = [{ name: start, next: 0 }];
    state.set(start, 'open');
    for (let frame = stack.at(-1); frame; frame = stack.at(-1)) {
      const upstream = edges.get(frame.name) ?? [];
      const name = upstream[frame.next++];
      if (name === undefined) {
        state.set(frame.name, 'done');
        stack.pop();
      } else if (state.get(name) === 'open') {
        return [...stack.slice(stack.findIndex((f) => f.name === name)).map((f) => f.name), name];
      } else if (!state.has(name)) {
        state.set(name, 'open');
        stack.push({ name, next: 0 });
      }
    }
  }
  return undefined;
}
