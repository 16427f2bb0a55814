// The engine's one entry point: (state, event, now) → commands. The state object is updated in place
// (copying a 10,000-node workflow per event would break the per-event cost rule); the changes are
// read back with `state.takeChanges()`. No I/O, no clock, no randomness: the same inputs give the
// same state and commands, which is what replay tests rely on.
import type { NodeStatus } from '@regatta/spec';
import type { EngineEvent, EngineResult } from './commands.js';
import { countLoadedDags, onLoopTaskEnded, onTaskEnded } from '../templates/dag.js';
import { executeTemplate, startHeldNode } from './execute.js';
import { endNodeMetrics } from '../features/custom-metrics.js';
import { release } from './admission.js';
import type { WorkflowState } from './state.js';
import { onGroupEnded, onStepEnded } from '../templates/steps.js';
import { Transition } from './transition.js';
import { applyNodeResult, completeWorkflow, finishAfterExitHandler, startWorkflow } from './workflow.js';
import { callSpecOf, nodeTemplate } from '../templates/call-spec.js';
import { closeContainerNodes } from '../templates/container-set.js';
import { exitHandlerOwner, exitHookOf, startExitHandler } from '../features/exit-handlers.js';
import { bodyScopeOf } from '../scope/body-scope.js';
import { onAttemptEnded, onBackoffEnded, retryNodeOf } from '../features/retry.js';
import { applyControl } from '../features/control.js';
import { resumeSuspendNode } from '../templates/suspend.js';
import { onLocksAcquired, onLocksRefused, releaseNodeLocks } from '../features/locks.js';
import { onMemoAnswer, saveMemo } from '../features/memoize.js';
import { onConfigMapsRead } from '../features/configmap-inputs.js';
import { markDaemoned, stopDaemons } from '../features/daemons.js';
import { isFulfilled } from './node-phase.js';
import { runLifecycleHooks } from '../features/lifecycle-hooks.js';
import { globalLookup } from '../scope/scope.js';
import { deletionCommand, onArtifactsCollected } from '../features/artifact-gc.js';
import { workflowEnded } from '@regatta/spec';

export function applyEvent(state: WorkflowState, event: EngineEvent, now: string): EngineResult {
  state.now = now;
  state.expressions = state.allowance.forEvent(now);
  const t = new Transition(state, now, executeTemplate);
  countLoadedDags(t);
  let duplicate = false;
  let refused: string | undefined;
  if (event.type === 'workflowSubmitted') {
    if (state.status.phase === '') startWorkflow(t);
    else duplicate = true;
  } else if (event.type === 'timerFired') {
    const node = state.node(event.nodeId);
    if (node?.type === 'Retry') onBackoffEnded(t, node);
    else if (node?.type === 'Suspend') resumeSuspendNode(t, node);
  } else if (event.type === 'control') {
    refused = applyControl(t, event.control);
  } else if (event.type === 'locksAcquired') {
    onLocksAcquired(t, event.nodeId);
  } else if (event.type === 'locksRefused') {
    onLocksRefused(t, event.nodeId, event.message);
  } else if (event.type === 'ttlExpired') {
    if (workflowEnded(state.status.phase)) t.commands.push(deletionCommand(state));
  } else if (event.type === 'artifactsCollected') {
    onArtifactsCollected(t, event);
  } else if (event.type === 'nodeDaemoned') {
    const node = state.node(event.nodeId);
    // Its scope reacts now, as to an ended node; the node itself runs on.
    if (node && markDaemoned(t, node)) t.queueEnded(node);
  } else if (event.type === 'memoAnswered') {
    const node = state.node(event.nodeId);
    if (node) onMemoAnswer(t, node, event.outputs, () => startHeldNode(t, node));
  } else if (event.type === 'configMapsRead') {
    const node = state.node(event.nodeId);
    if (node) onConfigMapsRead(t, node, event, () => startHeldNode(t, node));
  } else {
    duplicate = !applyNodeResult(t, event);
  }
  t.drain((node) => onNodeEnded(t, node));
  if (state.workflow.spec.hooks && !workflowEnded(state.status.phase)) {
    runLifecycleHooks(t, state.workflow.spec.hooks, undefined, globalLookup(state));
    t.drain((node) => onNodeEnded(t, node));
  }
  return { commands: t.commands, duplicate, ...(refused !== undefined && { refused }) };
}

function onNodeEnded(t: Transition, node: NodeStatus): void {
  if (node.daemoned) {
    // A daemon's scope reacted when it was daemoned; its real end only frees what it held.
    if (!isFulfilled(node.phase)) return notifyParent(t, node);
    t.state.daemons.delete(node.id);
  }
  if (node.type === 'Pod' && node.children?.length) closeContainerNodes(t, node);
  release(t.state, node, (held) => startHeldNode(t, held));
  if (node.synchronizationStatus) releaseNodeLocks(t, node);
  if (node.memoizationStatus) saveMemo(t, node);
  const template = nodeTemplate(t.state, node);
  if (template?.metrics !== undefined) endNodeMetrics(t, node, template);
  if (node.daemoned) return;
  if (node.type === 'Steps' || node.type === 'DAG') stopDaemons(t, node.id);
  if (node.nodeFlag?.retried) {
    const retry = retryNodeOf(t, node);
    if (retry) onAttemptEnded(t, retry, node);
    return;
  }
  if (node.nodeFlag?.hooked) {
    const root = t.state.nodeByName(t.state.name);
    // A lifecycle hook that ends may be the last thing the workflow waited for.
    if (node.name.includes('.hooks.')) return void (root && isFulfilled(root.phase) && !workflowEnded(t.state.status.phase) && completeWorkflow(t, root));
    const owner = exitHandlerOwner(t, node);
    if (owner?.name === t.state.name) finishAfterExitHandler(t, owner, node);
    else if (owner) notifyParent(t, owner);
    return;
  }
  // Only the root has no boundary: the name is compared there alone, not read for every node that ends.
  if (node.boundaryID === undefined && node.name === t.state.name) {
    stopDaemons(t, undefined);
    completeWorkflow(t, node);
    return;
  }
  const boundary = node.boundaryID === undefined ? undefined : t.state.node(node.boundaryID);
  // The call's spec is looked up only where its body has hooks or exit handlers at all.
  const body = boundary && nodeTemplate(t.state, boundary);
  const call = body && t.state.templates.callsHaveHooks(body) ? callSpecOf(t.state, node) : undefined;
  const hook = exitHookOf(call);
  if (call?.hooks && boundary) runLifecycleHooks(t, call.hooks, node, bodyScopeOf(t.state, boundary));
  if (hook && boundary && startExitHandler(t, node, hook, bodyScopeOf(t.state, boundary), true)) return;
  notifyParent(t, node, boundary);
}

/** A step or task is done (its exit handler too): its group, loop or DAG reacts. */
function notifyParent(t: Transition, node: NodeStatus, boundary = node.boundaryID === undefined ? undefined : t.state.node(node.boundaryID)): void {
  if (boundary?.type === 'Steps') {
    if (node.type === 'StepGroup') onGroupEnded(t, boundary, node);
    else onStepEnded(t, boundary, node);
  } else if (boundary?.type === 'DAG') {
    const loop = t.state.groupOf.get(node.id);
    const group = loop === undefined ? undefined : t.state.node(loop);
    if (group) onLoopTaskEnded(t, group);
    else onTaskEnded(t, boundary, node);
  }
}
