// Argo reads a template input's `valueFrom.configMapKeyRef` when its node starts, so a ConfigMap changed
// after submission reaches the nodes that start later (a node held for its turn reads them once admitted).
// The engine asks for the keys by command; the node waits Pending, its other inputs bound, until the
// answer's values are bound and it starts.
import type { NodeStatus, Parameter, Template } from '@regatta/spec';
import type { ConfigMapKey, EngineEvent } from '../core/commands.js';
import type { Transition } from '../core/transition.js';
import { nodeTemplate } from '../templates/call-spec.js';

type ConfigMapsRead = Extract<EngineEvent, { type: 'configMapsRead' }>;

/** Whether an input is read from a ConfigMap when no argument supplies it. */
export function readsConfigMap(input: Parameter): boolean {
  return input.valueFrom?.configMapKeyRef !== undefined;
}

/** The template's ConfigMap inputs its node has not bound yet (an argument binds one at once). */
function unboundInputs(template: Template, node: NodeStatus): Parameter[] {
  const bound = new Set(node.inputs?.parameters?.map((p) => p.name));
  return (template.inputs?.parameters ?? []).filter((input) => readsConfigMap(input) && !bound.has(input.name));
}

/** Asks for the ConfigMap keys of the node's unbound inputs; true when it must wait for them. */
export function readConfigMapInputs(t: Transition, node: NodeStatus, template: Template): boolean {
  const keys = new Map<string, ConfigMapKey>();
  for (const input of unboundInputs(template, node)) {
    const { name, key } = input.valueFrom!.configMapKeyRef!;
    keys.set(JSON.stringify([name, key]), { name, key });
  }
  if (keys.size === 0) return false;
  node.message = `Waiting for ${[...keys.values()].map(({ name, key }) => `ConfigMap "${name}" key "${key}"`).join(', ')}.`;
  t.state.touch(node.id);
  t.commands.push({ type: 'readConfigMaps', nodeId: node.id, namespace: t.state.namespace, keys: [...keys.values()] });
  return true;
}

/**
 * Binds the values read (a default stands in for a missing ConfigMap or key) and starts the node, or
 * ends it in Error naming the parameter, ConfigMap and key. An answer for a node that no longer waits
 * (a redelivery) changes nothing.
 */
export function onConfigMapsRead(t: Transition, node: NodeStatus, event: ConfigMapsRead, start: () => void): void {
  const template = node.phase === 'Pending' ? nodeTemplate(t.state, node) : undefined;
  const unbound = template ? unboundInputs(template, node) : [];
  if (!template || unbound.length === 0) return;
  if (event.message !== undefined) return t.settle(node, 'Error', event.message);
  const bound = new Map(node.inputs?.parameters?.map((p) => [p.name, p]));
  for (const input of unbound) {
    const value = inputValue(input, event, t.state.namespace);
    if (value.error !== undefined) return t.settle(node, 'Error', value.error);
    bound.set(input.name, { name: input.name, value: value.value });
  }
  const parameters = (template.inputs?.parameters ?? []).flatMap((input) => bound.get(input.name) ?? []);
  node.inputs = { ...node.inputs, parameters };
  delete node.message;
  t.state.touch(node.id);
  start();
}

/**
 * A default stands in for a ConfigMap or key that is not there: `valueFrom.default` (Argo's only one),
 * then the parameter's `default` (as for workflow arguments at submission). An enum still holds.
 */
function inputValue(input: Parameter, event: ConfigMapsRead, namespace: string): { value: string; error?: undefined } | { error: string } {
  const { name, key } = input.valueFrom!.configMapKeyRef!;
  const read = event.values.find((v) => v.name === name && v.key === key);
  const value = read?.value ?? input.valueFrom?.default ?? input.default;
  if (value === undefined) {
    const missing = read?.missing === 'key' ? `key "${key}" not found in ConfigMap "${name}"` : `ConfigMap "${name}" not found in namespace "${namespace}"`;
    return { error: `inputs.parameters.${input.name}: ${missing}` };
  }
  if (input.enum && !input.enum.includes(value)) return { error: `inputs.parameters.${input.name} value "${value}" is not one of ${JSON.stringify(input.enum)}` };
  return { value };
}
