// Where `{{…}}` names get their values: workflow globals, a template's inputs, and the outputs of
// earlier steps or tasks in the same body, each looked up on demand instead of building whole maps.
import type { NodeStatus, Parameter } from '@regatta/spec';
import type { Lookup } from '@regatta/expr';
import type { WorkflowState } from './state.js';
import { isFulfilled } from './state.js';

export function globalLookup(state: WorkflowState): Lookup {
  const { metadata, spec } = state.workflow;
  return (key) => {
    switch (key) {
      case 'workflow.name':
        return metadata.name;
      case 'workflow.namespace':
        return metadata.namespace;
      case 'workflow.uid':
        return metadata.uid;
      case 'workflow.mainEntrypoint':
        return spec.entrypoint;
      case 'workflow.creationTimestamp':
        return metadata.creationTimestamp;
    }
    if (key.startsWith('workflow.parameters.')) {
      return parameterValue(spec.arguments?.parameters, key.slice('workflow.parameters.'.length));
    }
    return undefined;
  };
}

export function inputsLookup(parameters: Parameter[] | undefined): Lookup {
  return (key) =>
    key.startsWith('inputs.parameters.') ? parameterValue(parameters, key.slice('inputs.parameters.'.length)) : undefined;
}

export function chainLookups(...lookups: Lookup[]): Lookup {
  return (key) => {
    for (const lookup of lookups) {
      const value = lookup(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

/** A step or task as its siblings see it: one node, or the nodes of its loop in item order. */
export type Sibling = NodeStatus | NodeStatus[] | undefined;

/** `steps.<name>.…` or `tasks.<name>.…` within one Steps or DAG node. */
export function siblingLookup(prefix: 'steps' | 'tasks', findSibling: (name: string) => Sibling): Lookup {
  const start = `${prefix}.`;
  return (key) => {
    if (!key.startsWith(start)) return undefined;
    const rest = key.slice(start.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) return undefined;
    const sibling = findSibling(rest.slice(0, dot));
    if (Array.isArray(sibling)) return aggregateField(sibling, rest.slice(dot + 1));
    if (!sibling || !isFulfilled(sibling.phase)) return undefined;
    return nodeField(sibling, rest.slice(dot + 1));
  };
}

/**
 * Argo's aggregated outputs of a loop: `outputs.result` a JSON list of the succeeded children's results
 * (each read as JSON where it is JSON), `outputs.parameters.<p>` a JSON list of their values,
 * `outputs.parameters` a JSON list of name → value maps.
 */
function aggregateField(children: NodeStatus[], field: string): string | undefined {
  if (!children.every((child) => isFulfilled(child.phase))) return undefined;
  const succeeded = children.filter((child) => child.phase === 'Succeeded');
  if (field === 'outputs.result') return JSON.stringify(succeeded.map((child) => asJson(child.outputs?.result ?? '')));
  if (field === 'outputs.parameters') {
    return JSON.stringify(succeeded.map((child) => Object.fromEntries((child.outputs?.parameters ?? []).map((p) => [p.name, p.value]))));
  }
  if (field.startsWith('outputs.parameters.')) {
    const name = field.slice('outputs.parameters.'.length);
    return JSON.stringify(succeeded.map((child) => parameterValue(child.outputs?.parameters, name)));
  }
  return undefined;
}

function asJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function nodeField(node: NodeStatus, field: string): string | undefined {
  switch (field) {
    case 'id':
      return node.id;
    case 'status':
      return node.phase;
    case 'startedAt':
      return node.startedAt;
    case 'finishedAt':
      return node.finishedAt;
    case 'exitCode':
      return node.outputs?.exitCode;
    case 'outputs.result':
      return node.outputs?.result;
  }
  if (field.startsWith('outputs.parameters.')) {
    return parameterValue(node.outputs?.parameters, field.slice('outputs.parameters.'.length));
  }
  return undefined;
}

export function parameterValue(parameters: Parameter[] | undefined, name: string): string | undefined {
  return parameters?.find((p) => p.name === name)?.value;
}
