// Runs a template as a node: binds its inputs, substitutes them into the template, and starts it as a
// pod, a steps body or a DAG. Callers (the workflow root, steps, DAG tasks) link the node they get.
import type { Arguments, NodeStatus, NodeType, Parameter, Template } from '@regatta/spec';
import { substituteJson } from '@regatta/expr';
import { chainLookups, globalLookup, inputsLookup } from './scope.js';
import type { TemplateCall, Transition } from './transition.js';
import { startSteps } from './steps.js';
import { startDag } from './dag.js';

export function executeTemplate(t: Transition, call: TemplateCall): NodeStatus {
  const existing = t.state.nodeByName(call.nodeName);
  if (existing) return existing;
  const kind = nodeTypeOf(call.template);
  const fields = {
    displayName: call.displayName,
    boundaryID: call.boundaryID,
    templateName: call.template.name,
    now: t.now,
  };
  const bound = bindInputs(call.template, call.arguments);
  if (typeof bound === 'string') {
    const node = t.state.createNode(call.nodeName, kind ?? 'Pod', { ...fields, phase: 'Error' });
    node.message = bound;
    t.queueEnded(node);
    return node;
  }
  if (!kind) {
    const node = t.state.createNode(call.nodeName, 'Pod', { ...fields, phase: 'Error' });
    node.message = `template "${call.template.name}" is of a kind Regatta cannot run yet`;
    t.queueEnded(node);
    return node;
  }
  const template = substituteJson(call.template, chainLookups(inputsLookup(bound), globalLookup(t.state)));
  const node = t.state.createNode(call.nodeName, kind, { ...fields, phase: kind === 'Pod' ? 'Pending' : 'Running' });
  if (bound.length > 0) node.inputs = { parameters: bound };
  if (kind === 'Steps') startSteps(t, node, template);
  else if (kind === 'DAG') startDag(t, node, template);
  else dispatchPod(t, node, template);
  return node;
}

function nodeTypeOf(template: Template): NodeType | undefined {
  if (template.container || template.script) return 'Pod';
  if (template.steps) return 'Steps';
  if (template.dag) return 'DAG';
  return undefined;
}

/** Argo's input binding: an argument wins, then the input's own value, then its default. */
function bindInputs(template: Template, args: Arguments | undefined): Parameter[] | string {
  const bound: Parameter[] = [];
  for (const input of template.inputs?.parameters ?? []) {
    const value = args?.parameters?.find((p) => p.name === input.name)?.value ?? input.value ?? input.default;
    if (value === undefined) return `inputs.parameters.${input.name} was not supplied`;
    if (input.enum && !input.enum.includes(value)) {
      return `inputs.parameters.${input.name} value "${value}" is not one of ${JSON.stringify(input.enum)}`;
    }
    bound.push({ name: input.name, value });
  }
  return bound;
}

function dispatchPod(t: Transition, node: NodeStatus, template: Template): void {
  const { metadata } = t.state.workflow;
  const container = template.script ?? template.container ?? {};
  const { source, ...containerFields } = container as typeof container & { source?: string };
  node.phase = 'Running';
  t.commands.push({
    type: 'dispatchNode',
    job: {
      workflow: { name: metadata.name ?? '', namespace: metadata.namespace ?? 'default', uid: metadata.uid ?? '' },
      nodeId: node.id,
      nodeName: node.name,
      attempt: 0,
      templateName: template.name,
      container: containerFields,
      ...(source !== undefined && { script: { source } }),
      ...(template.outputs?.parameters && { outputParameters: template.outputs.parameters }),
    },
  });
}
