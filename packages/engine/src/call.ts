// A step or DAG task as a call inside a body: it ends at once when refused or skipped by `when`,
// otherwise it runs its template. Steps and DAGs differ only in where the node is named and linked.
import type { DAGTask, NodePhase, NodeStatus, WorkflowStep } from '@regatta/spec';
import { evaluateWhen } from '@regatta/expr';
import type { Transition } from './transition.js';

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
      if (!evaluateWhen(call.when)) return endCall(t, place, call, 'Skipped', 'Skipped', `when '${call.when}' evaluated false`);
    } catch (error) {
      return endCall(t, place, call, 'Skipped', 'Error', (error as Error).message);
    }
  }
  const template = call.inline ?? (call.template === undefined ? undefined : t.state.templates.get(call.template));
  if (!template) return endCall(t, place, call, 'Pod', 'Error', `template "${call.template ?? ''}" not found`);
  return t.execute({ ...place, template, arguments: call.arguments });
}
