// The engine's side of synchronization: a node or workflow that got its locks starts; one that ended
// gives them back (also when the answer comes after it ended, e.g. it was stopped while waiting).
import type { NodeStatus } from '@regatta/spec';
import { workflowEnded } from '@regatta/spec';
import { startHeldNode } from '../core/execute.js';
import { nodeTemplate } from '../templates/call-spec.js';
import { isFulfilled } from '../core/node-phase.js';
import type { LockRequest } from '../core/commands.js';
import { locksOf, releaseLocks, takeLocks, workflowLocks } from './synchronization.js';
import type { Transition } from '../core/transition.js';
import { beginWorkflow, endWorkflow } from '../core/workflow.js';

function nodeLocks(t: Transition, node: NodeStatus): LockRequest[] {
  const locks = locksOf(nodeTemplate(t.state, node)?.synchronization, t.state.namespace);
  return typeof locks === 'string' ? [] : locks;
}

export function onLocksAcquired(t: Transition, nodeId: string | undefined): void {
  if (nodeId === undefined) {
    const { status } = t.state;
    if (status.phase === 'Pending') {
      delete status.message;
      beginWorkflow(t);
    } else if (workflowEnded(status.phase)) {
      releaseLocks(t, undefined, workflowLocks(t));
    }
    return;
  }
  const node = t.state.node(nodeId);
  if (!node) return;
  if (takeLocks(t, node)) startHeldNode(t, node);
  else if (isFulfilled(node.phase)) releaseLocks(t, node.id, nodeLocks(t, node));
}

export function onLocksRefused(t: Transition, nodeId: string | undefined, message: string): void {
  if (nodeId === undefined) {
    if (t.state.status.phase === 'Pending') endWorkflow(t, 'Error', message);
    return;
  }
  const node = t.state.node(nodeId);
  if (node && !isFulfilled(node.phase)) t.settle(node, 'Error', message);
}

export function releaseNodeLocks(t: Transition, node: NodeStatus): void {
  releaseLocks(t, node.id, nodeLocks(t, node));
  delete node.synchronizationStatus;
}
