// The workflow's own lifecycle: start the entrypoint as the root node, accept each node result once,
// and end the workflow with its root node's phase.
import type { NodeStatus, WorkflowPhase } from '@regatta/spec';
import { substituteJson } from '@regatta/expr';
import type { EngineEvent } from './commands.js';
import { globalLookup } from './scope.js';
import { isFulfilled } from './state.js';
import type { Transition } from './transition.js';

export function startWorkflow(t: Transition): void {
  const { state } = t;
  const { spec } = state.workflow;
  state.status.phase = 'Running';
  state.status.startedAt = t.now;
  state.touchStatus();
  const entry = spec.entrypoint === undefined ? undefined : state.templates.get(spec.entrypoint);
  if (!entry) {
    finishWorkflow(t, 'Error', `entrypoint template "${spec.entrypoint ?? ''}" not found`);
    return;
  }
  t.execute({
    nodeName: state.name,
    displayName: state.name,
    template: entry,
    arguments: spec.arguments && substituteJson(spec.arguments, globalLookup(state)),
  });
}

/** Applies a worker's report; false when the attempt was already closed (a redelivered result). */
export function applyNodeResult(t: Transition, event: Extract<EngineEvent, { type: 'nodeFinished' }>): boolean {
  const node = t.state.node(event.nodeId);
  if (!node || node.type !== 'Pod' || isFulfilled(node.phase) || event.attempt !== 0) return false;
  if (event.outputs) node.outputs = event.outputs;
  t.settle(node, event.phase, event.message);
  return true;
}

export function completeWorkflow(t: Transition, root: NodeStatus): void {
  const phase: WorkflowPhase = root.phase === 'Failed' ? 'Failed' : root.phase === 'Error' ? 'Error' : 'Succeeded';
  if (root.outputs?.parameters) t.state.status.outputs = { parameters: root.outputs.parameters };
  finishWorkflow(t, phase, phase === 'Succeeded' ? undefined : root.message);
}

function finishWorkflow(t: Transition, phase: WorkflowPhase, message: string | undefined): void {
  const { status } = t.state;
  status.phase = phase;
  status.finishedAt = t.now;
  if (message) status.message = message;
  t.state.touchStatus();
}
