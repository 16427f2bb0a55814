// The names visible inside a steps or DAG body: earlier siblings' results, the body's inputs, globals.
import type { NodeStatus, Template } from '@regatta/spec';
import type { Lookup } from '@regatta/expr';
import { chainLookups, globalLookup, inputsLookup, siblingLookup, type Sibling } from './scope.js';
import type { WorkflowState } from '../core/state.js';
import { nodeTemplate } from '../templates/call-spec.js';

export function stepsScope(state: WorkflowState, stepsNode: NodeStatus, template: Template): Lookup {
  const sibling = (name: string): Sibling => {
    const index = state.templates.stepGroupIndex(template, name);
    if (index === undefined) return undefined;
    const groupName = `${stepsNode.name}[${index}]`;
    const node = state.nodeByName(`${groupName}.${name}`);
    if (node) return node;
    // A looped step has no node of its own: its expansions sit in the group as `name(i:item)`.
    const group = state.nodeByName(groupName);
    return group ? loopChildren(state, group, `${groupName}.${name}(`) : undefined;
  };
  return bodyScope(state, stepsNode, siblingLookup('steps', sibling));
}

export function dagScope(state: WorkflowState, dagNode: NodeStatus): Lookup {
  const sibling = (name: string): Sibling => {
    const node = state.nodeByName(`${dagNode.name}.${name}`);
    return node?.type === 'TaskGroup' ? loopChildren(state, node, `${node.name}(`) : node;
  };
  return bodyScope(state, dagNode, siblingLookup('tasks', sibling));
}

function loopChildren(state: WorkflowState, parent: NodeStatus, namePrefix: string): NodeStatus[] {
  return (parent.children ?? []).flatMap((id) => state.node(id) ?? []).filter((child) => child.name.startsWith(namePrefix));
}

function bodyScope(state: WorkflowState, node: NodeStatus, siblings: Lookup): Lookup {
  return chainLookups(siblings, inputsLookup(node.inputs), globalLookup(state));
}

/** The names visible in a steps or DAG node's body, e.g. for an exit handler's arguments. */
export function bodyScopeOf(state: WorkflowState, body: NodeStatus): Lookup {
  const template = nodeTemplate(state, body);
  if (body.type === 'DAG') return dagScope(state, body);
  return template ? stepsScope(state, body, template) : globalLookup(state);
}
