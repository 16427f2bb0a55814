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

/** `steps.<name>.…` or `tasks.<name>.…` within one Steps or DAG node. */
export function siblingLookup(
  prefix: 'steps' | 'tasks',
  findSibling: (name: string) => NodeStatus | undefined,
): Lookup {
  const start = `${prefix}.`;
  return (key) => {
    if (!key.startsWith(start)) return undefined;
    const rest = key.slice(start.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) return undefined;
    const node = findSibling(rest.slice(0, dot));
    if (!node || !isFulfilled(node.phase)) return undefined;
    return nodeField(node, rest.slice(dot + 1));
  };
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
