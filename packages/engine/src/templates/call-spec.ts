// Which step or task a node was started from, and which template a node runs: one lookup needs the
// other, since an inline template is the `inline` of the step or task that started its node.
import type { DAGTask, NodeStatus, Template, WorkflowStep } from '@regatta/spec';
import type { WorkflowView } from '../core/workflow-view.js';

/**
 * The template a node runs: by name, by reference, or inline in its step or task. Looked up again on
 * every event instead of stored.
 */
export function nodeTemplate(state: WorkflowView, node: NodeStatus): Template | undefined {
  // An inline body has no name: its template is the `inline` of the step or task that started it.
  return state.templates.resolve({ template: node.templateName, templateRef: node.templateRef }) ?? callSpecOf(state, node)?.inline;
}

/** The step's or task's own name in a node's display name: a loop's `name(0:item)` without its item. */
export function callName(displayName: string): string {
  // Names of steps and tasks hold no parentheses, so the item starts at the first one.
  const open = displayName.indexOf('(');
  return open >= 0 && displayName.endsWith(')') ? displayName.slice(0, open) : displayName;
}

/** The step or task spec a node was started from (one item of a loop included), if any. */
export function callSpecOf(state: WorkflowView, node: NodeStatus): WorkflowStep | DAGTask | undefined {
  if (node.type === 'TaskGroup' || node.type === 'StepGroup' || node.type === 'Container' || node.nodeFlag?.hooked || node.nodeFlag?.retried) return undefined;
  const boundary = node.boundaryID === undefined ? undefined : state.node(node.boundaryID);
  const template = boundary && nodeTemplate(state, boundary);
  if (!template) return undefined;
  const name = callName(node.displayName);
  if (boundary!.type === 'DAG') return state.templates.dagPlan(template).tasks.get(name);
  const index = state.templates.stepGroupIndex(template, name);
  return index === undefined ? undefined : template.steps?.[index]?.find((step) => step.name === name);
}
