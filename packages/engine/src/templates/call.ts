// A step or DAG task as a call inside a body: it ends at once when refused or skipped by `when`,
// otherwise it runs its template. Steps and DAGs differ only in where the node is named and linked.
import type { DAGTask, NodePhase, NodeStatus, TemplateCallFields, WorkflowStep } from '@regatta/spec';
import { evaluateWhen } from '@regatta/expr';
import { bodyScopeOf } from '../scope/body-scope.js';
import { runLifecycleHooks } from '../features/lifecycle-hooks.js';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';

export interface CallPlace {
  nodeName: string;
  displayName: string;
  boundaryID: string;
}

/** Creates the call's node already ended: skipped, omitted, or refused with a message. */
export function endCall(
  t: Transition,
  place: CallPlace,
  call: WorkflowStep | DAGTask,
  type: 'Skipped' | 'Pod',
  phase: NodePhase,
  message: string,
): NodeStatus {
  const node = t.state.createNode(place.nodeName, type, {
    displayName: place.displayName,
    boundaryID: place.boundaryID,
    templateName: call.template,
    phase,
    now: t.now,
  });
  node.message = message;
  t.queueEnded(node);
  return node;
}

/** Runs a call whose arguments are substituted: `when` first, then its template (named or inline). */
export function runCall(t: Transition, place: CallPlace, call: WorkflowStep | DAGTask): NodeStatus {
  if (call.when !== undefined) {
    try {
      if (!evaluateWhen(call.when, t.state.expressions)) return endCall(t, place, call, 'Skipped', 'Skipped', `when '${call.when}' evaluated false`);
    } catch (error) {
      return endCall(t, place, call, 'Skipped', 'Error', (error as Error).message);
    }
  }
  const template = call.inline ?? t.state.templates.resolve(call);
  if (!template) return endCall(t, place, call, 'Pod', 'Error', `${describeTemplate(call)} not found`);
  // Written out rather than spread: V8 makes a spread-and-extended literal a dictionary of ~1 KB, per node.
  const node = t.execute({
    nodeName: place.nodeName,
    displayName: place.displayName,
    boundaryID: place.boundaryID,
    template,
    arguments: call.arguments,
    templateRef: call.templateRef,
  });
  const boundary = t.state.node(place.boundaryID);
  if (call.hooks && boundary && !isFulfilled(node.phase)) runLifecycleHooks(t, call.hooks, node, bodyScopeOf(t.state, boundary));
  return node;
}

export function describeTemplate(call: TemplateCallFields): string {
  const ref = call.templateRef;
  if (!ref) return `template "${call.template ?? ''}"`;
  return `template "${ref.template}" of ${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} "${ref.name}"`;
}
