// Where `{{…}}` names get their values: workflow globals, a template's inputs, and the outputs of
// earlier steps or tasks in the same body, each looked up on demand instead of building whole maps.
import type { NodeStatus, Parameter } from '@regatta/spec';
import { fnv1a32 } from '@regatta/spec';
import type { Lookup } from '@regatta/expr';
import type { WorkflowState } from '../core/state.js';
import { isFulfilled } from '../core/node-phase.js';
import { artifactField } from '../features/artifacts.js';

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
      case 'workflow.serviceAccountName':
        return typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : undefined;
      case 'workflow.priority':
        return spec.priority === undefined ? undefined : String(spec.priority);
      case 'workflow.creationTimestamp':
      case 'workflow.creationTimestamp.RFC3339':
        return metadata.creationTimestamp;
      case 'workflow.duration':
        return workflowDuration(state);
      case 'workflow.scheduledTime':
        // Set on a CronWorkflow's workflows (and by `submit --scheduled-time`), as Argo sets it.
        return metadata.annotations?.['workflows.argoproj.io/scheduled-time'];
      case 'workflow.status':
        // The outcome once the entrypoint has ended (exit handlers), the phase before (hooks).
        return workflowOutcome(state) ?? (state.status.phase || undefined);
      case 'workflow.failures':
        return workflowOutcome(state) === undefined ? undefined : workflowFailures(state);
      case 'workflow.parameters':
      case 'workflow.parameters.json':
        return JSON.stringify(spec.arguments?.parameters ?? []);
      case 'workflow.labels.json':
        return JSON.stringify(metadata.labels ?? {});
      case 'workflow.annotations.json':
        return JSON.stringify(metadata.annotations ?? {});
    }
    const dot = key.indexOf('.', 'workflow.'.length);
    const group = key.slice(0, dot + 1);
    const name = key.slice(dot + 1);
    switch (group) {
      case 'workflow.parameters.':
        return parameterValue(spec.arguments?.parameters, name);
      case 'workflow.labels.':
        return metadata.labels?.[name];
      case 'workflow.annotations.':
        return metadata.annotations?.[name];
      case 'workflow.creationTimestamp.':
        return metadata.creationTimestamp === undefined ? undefined : strftime(name, metadata.creationTimestamp);
    }
    if (key.startsWith('workflow.outputs.parameters.')) {
      return parameterValue(state.status.outputs?.parameters, key.slice('workflow.outputs.parameters.'.length));
    }
    if (key.startsWith('workflow.outputs.artifacts.')) {
      return artifactField(state.status.outputs, key.slice('workflow.outputs.artifacts.'.length));
    }
    return undefined;
  };
}

/** Seconds since the workflow started, as Go's `%f` prints them. */
function workflowDuration(state: WorkflowState): string | undefined {
  const started = state.status.startedAt;
  if (started === undefined) return undefined;
  return ((Date.parse(state.now) - Date.parse(started)) / 1000).toFixed(6);
}

/** `workflow.status` is defined once the entrypoint has ended (for exit handlers and hooks). */
export function workflowOutcome(state: WorkflowState): 'Succeeded' | 'Failed' | 'Error' | undefined {
  const root = state.nodeByName(state.name);
  if (!root || !isFulfilled(root.phase)) return undefined;
  return root.phase === 'Failed' || root.phase === 'Error' ? root.phase : 'Succeeded';
}

/** Argo's `workflow.failures`: every failed or errored node, as JSON. */
function workflowFailures(state: WorkflowState): string {
  const failures = Object.values(state.status.nodes)
    .filter((node) => node.phase === 'Failed' || node.phase === 'Error')
    .map((node) => ({
      displayName: node.displayName,
      message: node.message ?? '',
      templateName: node.templateName ?? '',
      phase: node.phase,
      podName: node.type === 'Pod' ? podName(state.name, node.name, node.templateName ?? '') : '',
      finishedAt: node.finishedAt ?? '',
    }));
  // Go marshals the empty (nil) list Argo starts from as `null`.
  return failures.length > 0 ? JSON.stringify(failures) : 'null';
}

/** One `strftime` conversion character of the creation time, as Argo offers `creationTimestamp.<c>`. */
function strftime(char: string, time: string): string | undefined {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - startOfYear) / 86_400_000) + 1;
  switch (char) {
    case 'Y': return String(date.getUTCFullYear());
    case 'C': return pad(Math.floor(date.getUTCFullYear() / 100));
    case 'y': return pad(date.getUTCFullYear() % 100);
    case 'm': return pad(date.getUTCMonth() + 1);
    case 'B': return months[date.getUTCMonth()];
    case 'b': case 'h': return months[date.getUTCMonth()]!.slice(0, 3);
    case 'd': return pad(date.getUTCDate());
    case 'e': return String(date.getUTCDate()).padStart(2, ' ');
    case 'j': return pad(dayOfYear, 3);
    case 'H': return pad(date.getUTCHours());
    case 'I': return pad(((date.getUTCHours() + 11) % 12) + 1);
    case 'p': return date.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'M': return pad(date.getUTCMinutes());
    case 'S': return pad(date.getUTCSeconds());
    case 's': return String(Math.floor(date.getTime() / 1000));
    case 'A': return days[date.getUTCDay()];
    case 'a': return days[date.getUTCDay()]!.slice(0, 3);
    case 'u': return String(date.getUTCDay() || 7);
    case 'w': return String(date.getUTCDay());
    case 'D': return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(date.getUTCFullYear() % 100)}`;
    case 'F': return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    case 'T': return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
    case 'R': return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
    case 'Z': return 'UTC';
    case 'z': return '+0000';
  }
  return undefined;
}

/**
 * Argo's v2 pod names: `<workflow>-<template>-<fnv32a(node name)>`, the workflow's own name for a
 * workflow that is one pod; the template part is left out when the workflow name already holds it.
 */
export function podName(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  let prefix = workflowName.includes(templateName) || templateName === '' ? workflowName : `${workflowName}-${templateName}`;
  // Kubernetes names are at most 253 characters; Argo keeps the prefix to leave room for the hash.
  if (prefix.length > 242) prefix = prefix.slice(0, 242);
  return `${prefix}-${fnv1a32(nodeName)}`;
}

/** A node's bound inputs: `inputs.parameters.<name>`, their JSON list, and `inputs.artifacts.<name>` as JSON for a `from`. */
export function inputsLookup(inputs: NodeStatus['inputs']): Lookup {
  const parameters = inputs?.parameters;
  return (key) => {
    if (key.startsWith('inputs.parameters.')) return parameterValue(parameters, key.slice('inputs.parameters.'.length));
    if (key.startsWith('inputs.artifacts.')) return artifactField(inputs, key.slice('inputs.artifacts.'.length));
    // Argo's JSON list of the bound inputs, as `[{"name":…,"value":…}]`.
    return key === 'inputs.parameters' ? JSON.stringify(parameters ?? []) : undefined;
  };
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

const RUNNING_FIELDS = new Set(['status', 'id', 'startedAt']);

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
    if (!sibling) return undefined;
    const field = rest.slice(dot + 1);
    // A running sibling is known by its status and id (hooks ask `steps.x.status == "Running"`); its
    // outputs only once it has ended.
    if (!(isFulfilled(sibling.phase) || sibling.daemoned) && !RUNNING_FIELDS.has(field)) return undefined;
    return nodeField(sibling, field);
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
    case 'ip':
      return node.podIP;
    case 'hostNodeName':
      return node.hostNodeName;
    case 'outputs.result':
      return node.outputs?.result;
  }
  if (field.startsWith('outputs.parameters.')) {
    return parameterValue(node.outputs?.parameters, field.slice('outputs.parameters.'.length));
  }
  if (field.startsWith('outputs.artifacts.')) return artifactField(node.outputs, field.slice('outputs.artifacts.'.length));
  return undefined;
}

export function parameterValue(parameters: Parameter[] | undefined, name: string): string | undefined {
  return parameters?.find((p) => p.name === name)?.value;
}
