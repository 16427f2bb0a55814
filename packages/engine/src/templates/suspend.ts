// Suspend templates: a node that waits, for its `duration` (a timer) or until `regatta resume`; its
// `valueFrom.supplied` output parameters come from `regatta node set`, else their defaults.
import type { NodeStatus, Parameter, Template } from '@regatta/spec';
import { parseDuration } from '../core/durations.js';
import type { Transition } from '../core/transition.js';

interface SuspendSpec {
  duration?: string | number;
}

export function startSuspend(t: Transition, node: NodeStatus, template: Template): void {
  const spec = template.suspend as SuspendSpec;
  if (spec.duration === undefined) return;
  const wait = parseDuration(spec.duration);
  if (wait === undefined) {
    t.settle(node, 'Error', `suspend.duration "${spec.duration}" is not a duration`);
    return;
  }
  t.commands.push({ type: 'scheduleEvent', at: new Date(Date.parse(t.now) + wait).toISOString(), event: { type: 'timerFired', nodeId: node.id } });
}

/** Ends a waiting suspend node: Succeeded with its supplied outputs, or Error naming one missing. */
export function resumeSuspendNode(t: Transition, node: NodeStatus): void {
  if (node.type !== 'Suspend' || node.phase !== 'Running') return;
  const template = t.state.templates.resolve({ template: node.templateName, templateRef: node.templateRef });
  const parameters: Parameter[] = [];
  for (const declared of template?.outputs?.parameters ?? []) {
    const value = node.outputs?.parameters?.find((p) => p.name === declared.name)?.value ?? declared.valueFrom?.default ?? declared.value;
    if (value === undefined) {
      t.settle(node, 'Error', `outputs.parameters.${declared.name} was not supplied`);
      return;
    }
    parameters.push({ name: declared.name, value });
  }
  if (parameters.length > 0) node.outputs = { ...node.outputs, parameters };
  t.settle(node, 'Succeeded');
}
