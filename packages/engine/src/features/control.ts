// Argo's controls on a running workflow, applied as events: stop and terminate (spec.shutdown),
// suspend and resume (spec.suspend and suspend nodes), `node set`, and the workflow's deadline.
import type { NodeStatus, WorkflowPhase } from '@regatta/spec';
import { workflowEnded } from '@regatta/spec';
import { DEADLINE_MESSAGE } from '../core/deadline.js';
import { parseNodeSelector } from './node-selector.js';
import { drain, SUSPENDED } from '../core/admission.js';
import { startHeldNode } from '../core/execute.js';
import { isFulfilled } from '../core/node-phase.js';
import { resumeSuspendNode } from '../templates/suspend.js';
import type { ControlRequest, UserControl } from '../core/commands.js';
import type { Transition } from '../core/transition.js';
import { endWorkflow } from '../core/workflow.js';
import { retryWorkflow } from './workflow-retry.js';

/**
 * Why a user's control cannot apply to a workflow in `phase`, or undefined when it can: the rule this
 * reducer applies, asked by clients too so that they refuse before sending.
 */
export function controlRefusal(name: string, phase: WorkflowPhase | undefined, action: UserControl['action']): string | undefined {
  if (action === 'retry') return phase === 'Failed' || phase === 'Error' ? undefined : `workflow "${name}" is ${phase || 'Pending'}: only a Failed or Error workflow can be retried`;
  return workflowEnded(phase) ? `workflow "${name}" has already ended (${phase})` : undefined;
}

/** Applies a control; returns a message when the request cannot apply (nothing changes then). */
export function applyControl(t: Transition, request: ControlRequest): string | undefined {
  const { state } = t;
  if (request.action !== 'deadline') {
    const refused = controlRefusal(state.name, state.status.phase, request.action);
    if (refused !== undefined) return refused;
  }
  if (request.action === 'retry') {
    retryWorkflow(t);
    return undefined;
  }
  // A deadline that comes after the end changes nothing.
  if (workflowEnded(state.status.phase)) return undefined;
  const spec = state.workflow.spec;
  switch (request.action) {
    case 'stop':
    case 'terminate': {
      const strategy = request.action === 'stop' ? 'Stop' : 'Terminate';
      spec.shutdown = strategy;
      state.touchSpec();
      stopActive(t, `Stopped with strategy '${strategy}'`, strategy === 'Stop');
      return undefined;
    }
    case 'deadline':
      stopActive(t, DEADLINE_MESSAGE, true);
      return undefined;
    case 'suspend':
      spec.suspend = true;
      state.touchSpec();
      return undefined;
    case 'resume':
      return resume(t, request.nodeFieldSelector);
    case 'setNode':
      return setNode(t, request);
  }
}

/** A workflow still waiting for its own locks has no nodes to stop: it ends at once. */
function endIfNotStarted(t: Transition, message: string): void {
  if (t.state.status.phase === 'Pending') endWorkflow(t, 'Failed', message);
}

function resume(t: Transition, selector: string | undefined): string | undefined {
  const matches = selector === undefined ? () => true : parseNodeSelector(selector);
  if (typeof matches === 'string') return matches;
  const spec = t.state.workflow.spec;
  if (selector === undefined && spec.suspend !== undefined) {
    delete spec.suspend;
    t.state.touchSpec();
    drain(t.state, SUSPENDED, (held) => startHeldNode(t, held));
  }
  for (const node of Object.values(t.state.status.nodes)) if (node.type === 'Suspend' && matches(node)) resumeSuspendNode(t, node);
  return undefined;
}

function setNode(t: Transition, request: Extract<ControlRequest, { action: 'setNode' }>): string | undefined {
  const matches = parseNodeSelector(request.nodeFieldSelector);
  if (typeof matches === 'string') return matches;
  const nodes = Object.values(t.state.status.nodes).filter(matches);
  if (nodes.length === 0) return `no node matches "${request.nodeFieldSelector}"`;
  for (const node of nodes) {
    if (request.outputParameters) {
      const parameters = Object.entries(request.outputParameters).map(([name, value]) => ({ name, value }));
      node.outputs = { ...node.outputs, parameters };
    }
    if (request.message !== undefined) node.message = request.message;
    t.state.touch(node.id);
    if (request.phase && !isFulfilled(node.phase) && node.type !== 'Container') {
      if (request.phase === 'Succeeded' && node.type === 'Suspend') resumeSuspendNode(t, node);
      else t.settle(node, request.phase, request.message);
    }
  }
  return undefined;
}

/**
 * Ends every running leaf with `message` and asks workers to stop their processes; retries waiting
 * out a backoff end too. `keepExitHandlers`: nodes inside an exit handler go on (Stop, deadline).
 */
function stopActive(t: Transition, message: string, keepExitHandlers: boolean): void {
  const cancelled: string[] = [];
  for (const node of Object.values(t.state.status.nodes)) {
    // A containerSet's Container nodes end with their pod.
    if (isFulfilled(node.phase) || node.type === 'Container' || (keepExitHandlers && insideExitHandler(t, node))) continue;
    if (node.phase === 'Pending') {
      t.settle(node, 'Failed', message);
    } else if (node.type === 'Pod' || node.type === 'Suspend') {
      if (node.type === 'Pod' && node.phase === 'Running') cancelled.push(node.id);
      t.settle(node, 'Failed', message);
    } else if (node.type === 'Retry') {
      const last = t.state.node(node.children?.at(-1) ?? '');
      if (last && isFulfilled(last.phase)) t.settle(node, last.phase === 'Succeeded' ? 'Failed' : last.phase, message);
    }
  }
  if (cancelled.length > 0) t.commands.push({ type: 'cancelNodes', nodeIds: cancelled });
  endIfNotStarted(t, message);
}

function insideExitHandler(t: Transition, node: NodeStatus): boolean {
  for (let current: NodeStatus | undefined = node; current; current = t.state.node(current.boundaryID ?? '')) {
    if (current.nodeFlag?.hooked) return true;
    if (current.boundaryID === undefined) return false;
  }
  return false;
}
