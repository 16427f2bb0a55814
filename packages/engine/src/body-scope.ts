// The names visible inside a steps or DAG body: earlier siblings' results, the body's inputs, globals.
import type { NodeStatus, Template } from '@regatta/spec';
import type { Lookup } from '@regatta/expr';
import { chainLookups, globalLookup, inputsLookup, siblingLookup } from './scope.js';
import type { WorkflowState } from './state.js';

export function stepsScope(state: WorkflowState, stepsNode: NodeStatus, template: Template): Lookup {
  const sibling = (name: string) => {
    const group = state.templates.stepGroupIndex(template, name);
    return group === undefined ? undefined : state.nodeByName(`${stepsNode.name}[${group}].${name}`);
  };
  return bodyScope(state, stepsNode, siblingLookup('steps', sibling));
}

export function dagScope(state: WorkflowState, dagNode: NodeStatus): Lookup {
  return bodyScope(state, dagNode, siblingLookup('tasks', (name) => state.nodeByName(`${dagNode.name}.${name}`)));
}

function bodyScope(state: WorkflowState, node: NodeStatus, siblings: Lookup): Lookup {
  return chainLookups(siblings, inputsLookup(node.inputs?.parameters), globalLookup(state));
}

/** The template a steps or DAG node runs, looked up again on every event instead of stored. */
export function bodyTemplate(state: WorkflowState, node: NodeStatus): Template | undefined {
  return node.templateName === undefined ? undefined : state.templates.get(node.templateName);
}
