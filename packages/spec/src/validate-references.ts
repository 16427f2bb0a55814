// Cross-references: the entrypoint and every called template exist, names are unique where Argo
// needs them to be, and a DAG's dependencies name its own tasks without a cycle.
import type { DAGTask, Template, Workflow, WorkflowStep } from './types.js';
import type { IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';

/** Argo's regex for the task names in `depends` (`name` or `name.Result`). */
const DEPENDS_TERM = /([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)/g;

export function validateReferences(workflow: Workflow, issues: IssueList): void {
  const templates = workflow.spec.templates ?? [];
  const names = new Map<string, number>();
  templates.forEach((template, i) => {
    if (names.has(template.name)) issues.add('DUPLICATE', ['spec', 'templates', i, 'name'], `template name "${template.name}" is used twice`);
    else names.set(template.name, i);
  });
  const exists = (name: string) => names.has(name);
  const { entrypoint, onExit } = workflow.spec;
  if (entrypoint === undefined) issues.add('REFERENCE', ['spec'], 'spec.entrypoint is required');
  else if (!exists(entrypoint)) issues.add('REFERENCE', ['spec', 'entrypoint'], `template "${entrypoint}" not found`);
  if (onExit !== undefined && !exists(onExit)) issues.add('REFERENCE', ['spec', 'onExit'], `template "${onExit}" not found`);
  templates.forEach((template, i) => validateBody(template, ['spec', 'templates', i], exists, issues));
}

function validateBody(template: Template, path: FieldPath, exists: (name: string) => boolean, issues: IssueList): void {
  const calls: { call: WorkflowStep | DAGTask; at: FieldPath }[] = [
    ...(template.steps ?? []).flatMap((group, g) => group.map((call, s) => ({ call, at: [...path, 'steps', g, s] }))),
    ...(template.dag?.tasks ?? []).map((call, k) => ({ call, at: [...path, 'dag', 'tasks', k] })),
  ];
  const seen = new Set<string>();
  for (const { call, at } of calls) {
    if (seen.has(call.name)) issues.add('DUPLICATE', [...at, 'name'], `"${call.name}" is used twice in template "${template.name}"`);
    seen.add(call.name);
    if (call.template !== undefined && !exists(call.template)) issues.add('REFERENCE', [...at, 'template'], `template "${call.template}" not found`);
    if (call.inline) validateBody(call.inline, [...at, 'inline'], exists, issues);
  }
  if (template.dag) validateDagGraph(template.dag.tasks, template.dag.target, [...path, 'dag'], issues);
}

function validateDagGraph(tasks: DAGTask[], target: string | undefined, path: FieldPath, issues: IssueList): void {
  const index = new Map(tasks.map((task, k) => [task.name, k]));
  const edges = new Map<string, string[]>();
  tasks.forEach((task, k) => {
    const at: FieldPath = [...path, 'tasks', k];
    const deps: string[] = [];
    (task.dependencies ?? []).forEach((dep, d) => {
      if (!index.has(dep)) issues.add('REFERENCE', [...at, 'dependencies', d], `task "${dep}" not found in this dag`);
      else deps.push(dep);
    });
    if (task.depends !== undefined) {
      for (const match of task.depends.matchAll(DEPENDS_TERM)) {
        const name = match[0].split('.')[0]!;
        if (!index.has(name)) issues.add('REFERENCE', [...at, 'depends'], `task "${name}" in depends not found in this dag`);
        else deps.push(name);
      }
    }
    edges.set(task.name, deps);
  });
  for (const name of target?.split(/[\s,]+/).filter(Boolean) ?? []) {
    if (!index.has(name)) issues.add('REFERENCE', [...path, 'target'], `target task "${name}" not found in this dag`);
  }
  const cycle = findCycle(tasks.map((t) => t.name), edges);
  if (cycle) issues.add('CYCLE', [...path, 'tasks', index.get(cycle[0]!)!], `dependency cycle: ${cycle.join(' → ')}`);
}

/** Depth-first search with an explicit stack (a 10,000-task chain must not overflow the call stack). */
function findCycle(names: string[], edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of names) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const deps = edges.get(frame.name) ?? [];
      if (frame.next >= deps.length) {
        state.set(frame.name, 'done');
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++]!;
      if (state.get(dep) === 'open') {
        const from = stack.findIndex((f) => f.name === dep);
        return [...stack.slice(from).map((f) => f.name), dep];
      }
      if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ name: dep, next: 0 });
      }
    }
  }
  return undefined;
}
