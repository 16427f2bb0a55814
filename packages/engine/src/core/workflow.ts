// The workflow's own lifecycle: start the entrypoint as the root node, accept each node result once,
// and end the workflow with its root node's phase.
import type { NodeStatus, WorkflowPhase } from '@regatta/spec';
import { substituteJson } from '@regatta/expr';
import { lenient } from '../scope/expression-mode.js';
import type { EngineEvent } from './commands.js';
import { globalLookup } from '../scope/scope.js';
import { isFulfilled } from './node-phase.js';
import { exitHookOf, startExitHandler } from '../features/exit-handlers.js';
import { exportGlobalOutputs } from '../features/outputs.js';
import { outputsOverLimit } from '../features/output-limits.js';
import { deadlineAt } from './deadline.js';
import { runningHooks } from '../features/lifecycle-hooks.js';
import { scheduleTtl } from '../features/ttl.js';
import { collectPod, collectPods } from '../features/pod-gc.js';
import { collectOnCompletion } from '../features/artifact-gc.js';
import { releaseVolumeClaims } from '../features/volumes.js';
import { applyContainerResults } from '../templates/container-set.js';
import { endWorkflowMetrics, startWorkflowMetrics } from '../features/custom-metrics.js';
import { releaseLocks, requestLocks, workflowLocks } from '../features/synchronization.js';
import type { Transition } from './transition.js';

/** A submitted workflow starts, or first waits Pending for its own locks. */
export function startWorkflow(t: Transition): void {
  const { state } = t;
  state.status.startedAt = t.now;
  const locks = workflowLocks(t);
  if (locks.length > 0) {
    state.status.phase = 'Pending';
    requestLocks(t, undefined, locks);
    return;
  }
  beginWorkflow(t);
}

/** Runs the entrypoint as the root node; the deadline counts from here. */
export function beginWorkflow(t: Transition): void {
  const { state } = t;
  const { spec } = state.workflow;
  state.status.phase = 'Running';
  state.status.startedAt = t.now;
  state.touchStatus();
  if (spec.metrics !== undefined) startWorkflowMetrics(t);
  const deadline = deadlineAt(state);
  if (deadline !== undefined) t.commands.push({ type: 'scheduleEvent', at: deadline, event: { type: 'control', control: { action: 'deadline' } } });
  const entry = spec.entrypoint === undefined ? undefined : state.templates.get(spec.entrypoint);
  if (!entry) {
    endWorkflow(t, 'Error', `entrypoint template "${spec.entrypoint ?? ''}" not found`);
    return;
  }
  t.execute({
    nodeName: state.name,
    displayName: state.name,
    template: entry,
    arguments: spec.arguments && substituteJson(spec.arguments, globalLookup(state), lenient(state)),
  });
}

/** Applies a worker's report; false when the attempt was already closed (a redelivered result). */
export function applyNodeResult(t: Transition, event: Extract<EngineEvent, { type: 'nodeFinished' }>): boolean {
  const node = t.state.node(event.nodeId);
  if (!node || (node.type !== 'Pod' && node.type !== 'HTTP') || isFulfilled(node.phase) || event.attempt !== 0) return false;
  const refused = event.outputs && outputsOverLimit(event.outputs);
  if (refused !== undefined) {
    t.settle(node, 'Error', refused);
    collectPod(t, node);
    return true;
  }
  if (event.outputs) {
    node.outputs = event.outputs;
    exportGlobalOutputs(t.state, t.state.templates.resolve({ template: node.templateName, templateRef: node.templateRef }), event.outputs);
  }
  if (event.containers) applyContainerResults(t, node, event.containers);
  if (event.hostNodeName) node.hostNodeName = event.hostNodeName;
  t.settle(node, event.phase, event.message);
  collectPod(t, node);
  return true;
}

/** The entrypoint ended: run the workflow's exit handler first, if it has one, then end. */
export function completeWorkflow(t: Transition, root: NodeStatus): void {
  const { spec } = t.state.workflow;
  const hook = spec.shutdown === 'Terminate' ? undefined : exitHookOf(spec);
  if (hook && startExitHandler(t, root, hook, globalLookup(t.state), false)) return;
  finishAfterExitHandler(t, root, undefined);
}

/** Argo's rule: the entrypoint's phase decides, and a failed exit handler fails a succeeded workflow. */
export function finishAfterExitHandler(t: Transition, root: NodeStatus, exit: NodeStatus | undefined): void {
  if (runningHooks(t)) return;
  const shutdown = t.state.workflow.spec.shutdown;
  if (root.phase === 'Failed' || root.phase === 'Error') {
    return endWorkflow(t, root.phase, shutdown ? `Stopped with strategy '${shutdown}'` : root.message);
  }
  if (exit?.phase === 'Failed' || exit?.phase === 'Error') return endWorkflow(t, exit.phase, exit.message);
  endWorkflow(t, 'Succeeded', undefined);
}

/** The workflow's final phase; its own locks, held or waited for, are given back. */
export function endWorkflow(t: Transition, phase: WorkflowPhase, message: string | undefined): void {
  const { status } = t.state;
  status.phase = phase;
  status.finishedAt = t.now;
  if (message) status.message = message;
  t.state.touchStatus();
  releaseLocks(t, undefined, workflowLocks(t));
  if (t.state.workflow.spec.metrics !== undefined) endWorkflowMetrics(t);
  scheduleTtl(t);
  collectPods(t);
  collectOnCompletion(t);
  releaseVolumeClaims(t);
}
