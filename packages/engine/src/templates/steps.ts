// Argo's steps: the outer list runs in sequence, each inner list (a step group) in parallel; a group
// ends when all its steps have, and fails when one failed without `continueOn`.
import type { NodeStatus, Template, WorkflowStep } from '@regatta/spec';
import { substituteJson, type Lookup } from '@regatta/expr';
import { lenient } from '../scope/expression-mode.js';
import { endCall, runCall } from './call.js';
import { callName, nodeTemplate } from './call-spec.js';
import { stepsScope } from '../scope/body-scope.js';
import { exportGlobalOutputs, liftOutputs, outboundNodes } from '../features/outputs.js';
import { expandedName, loopItems, substituteItem, withoutLoop } from '../features/loops.js';
import { isFailedOrError } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';

export function startSteps(t: Transition, stepsNode: NodeStatus, template: Template): void {
  startGroup(t, stepsNode, template, 0);
}

function startGroup(t: Transition, stepsNode: NodeStatus, template: Template, index: number): void {
  const { state } = t;
  const group = state.createNode(`${stepsNode.name}[${index}]`, 'StepGroup', {
    displayName: `[${index}]`,
    boundaryID: stepsNode.id,
    templateName: stepsNode.templateName,
    phase: 'Running',
    now: t.now,
  });
  if (index === 0) state.addChild(stepsNode.id, group.id);
  else {
    const previous = state.nodeByName(`${stepsNode.name}[${index - 1}]`);
    for (const stepId of previous?.children ?? []) {
      for (const outbound of outboundNodes(state, stepId)) state.addChild(outbound, group.id);
    }
  }
  const scope = stepsScope(state, stepsNode, template);
  const calls = (template.steps?.[index] ?? []).flatMap((step) => expand(t, substituteJson(step, scope, lenient(state)), scope));
  state.tallies.set(group.id, { open: calls.length });
  if (calls.length === 0) {
    t.settle(group, 'Succeeded');
    return;
  }
  for (const { step, error } of calls) state.addChild(group.id, startStep(t, stepsNode, group, step, error).id);
}

/** A looped step becomes one call per item, each in the same group; a bad loop one failing call. */
function expand(t: Transition, step: WorkflowStep, scope: Lookup): { step: WorkflowStep; error?: string }[] {
  const items = loopItems(step);
  if (items === undefined) return [{ step }];
  if (typeof items === 'string') return [{ step, error: items }];
  const bare = withoutLoop(step);
  // Without tags, every item's call is the bare call: it is not written out and read back per item.
  const tagless = t.state.templates.isTagless(bare);
  return items.map((item, i) => ({ step: { ...(tagless ? bare : substituteItem(bare, item, scope, lenient(t.state))), name: expandedName(step.name, i, item) } }));
}

function startStep(t: Transition, stepsNode: NodeStatus, group: NodeStatus, step: WorkflowStep, error?: string): NodeStatus {
  const place = { nodeName: `${group.name}.${step.name}`, displayName: step.name, boundaryID: stepsNode.id };
  return error === undefined ? runCall(t, place, step) : endCall(t, place, step, 'Pod', 'Error', error);
}

/** A step ended: count it against its group, and end the group when it was the last one open. */
export function onStepEnded(t: Transition, stepsNode: NodeStatus, step: NodeStatus): void {
  const groupId = t.state.groupOf.get(step.id);
  const group = groupId === undefined ? undefined : t.state.node(groupId);
  const tally = groupId === undefined ? undefined : t.state.tallies.get(groupId);
  if (!group || !tally) return;
  if (--tally.open > 0) return;
  const failed = failedMember(t, stepsNode, group);
  if (failed !== undefined) t.settle(group, 'Failed', `child '${failed}' failed`);
  else t.settle(group, 'Succeeded');
}

/**
 * Argo's executeStepGroup: the first member in the group's order that failed without `continueOn`.
 * Read from the nodes once the group is complete, so a reload (which rebuilds the tallies) cannot
 * change which one, or whether any.
 */
function failedMember(t: Transition, stepsNode: NodeStatus, group: NodeStatus): string | undefined {
  const template = nodeTemplate(t.state, stepsNode);
  return group.children?.find((id) => {
    const child = t.state.node(id);
    return child !== undefined && t.state.groupOf.get(id) === group.id && isFailedOrError(child.phase) && !continuesOn(template, child);
  });
}

/** A group ended: fail the steps node, start the next group, or finish the steps node. */
export function onGroupEnded(t: Transition, stepsNode: NodeStatus, group: NodeStatus): void {
  const template = nodeTemplate(t.state, stepsNode);
  if (!template) return;
  if (isFailedOrError(group.phase)) {
    stepsNode.outboundNodes = groupOutbound(t, group);
    t.settle(stepsNode, 'Failed', group.message);
    return;
  }
  const index = Number(group.name.slice(stepsNode.name.length + 1, -1));
  if (index + 1 < (template.steps?.length ?? 0)) {
    startGroup(t, stepsNode, template, index + 1);
    return;
  }
  stepsNode.outboundNodes = groupOutbound(t, group);
  const lifted = liftOutputs(template, stepsScope(t.state, stepsNode, template), lenient(t.state));
  if (typeof lifted === 'string') {
    t.settle(stepsNode, 'Error', lifted);
    return;
  }
  if (lifted) {
    stepsNode.outputs = lifted;
    exportGlobalOutputs(t.state, template, lifted);
  }
  t.settle(stepsNode, 'Succeeded');
}

function groupOutbound(t: Transition, group: NodeStatus): string[] {
  return (group.children ?? []).filter((id) => t.state.node(id)?.type !== 'StepGroup').flatMap((id) => outboundNodes(t.state, id));
}

function continuesOn(template: Template | undefined, step: NodeStatus): boolean {
  const name = callName(step.displayName);
  const spec = template?.steps?.flat().find((s) => s.name === name);
  return step.phase === 'Failed' ? spec?.continueOn?.failed === true : spec?.continueOn?.error === true;
}
