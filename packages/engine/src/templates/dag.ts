// Argo's DAG: a task starts once every task it depends on has ended and its `depends` logic holds;
// the DAG ends when no task is open, with the phase of its target branches.
import type { DAGTask, NodePhase, NodeStatus, Template } from '@regatta/spec';
import { substituteJson, substituteString, type DependsTaskState, type Lookup } from '@regatta/expr';
import { chainLookups, globalLookup, inputsLookup } from '../scope/scope.js';
import { lenient } from '../scope/expression-mode.js';
import { endCall, runCall, type CallPlace } from './call.js';
import { nodeTemplate } from './call-spec.js';
import { dagScope } from '../scope/body-scope.js';
import { expandedName, loopItems, substituteItem, withoutLoop } from '../features/loops.js';
import { exportGlobalOutputs, liftOutputs, outboundNodes } from '../features/outputs.js';
import { isFailedOrError, isFulfilled } from '../core/node-phase.js';
import type { DagPlan } from './template-index.js';
import type { Transition } from '../core/transition.js';

export function startDag(t: Transition, dagNode: NodeStatus, template: Template): void {
  const plan = planOf(t, dagNode, nodeTemplate(t.state, dagNode) ?? template);
  t.state.tallies.set(dagNode.id, { open: 0 });
  // A new DAG counts every dependency as open: in a retried workflow the ones that succeeded before
  // are passed over as they are reached, ending again one by one.
  t.state.dagWaiting.set(dagNode.id, new Map([...plan.depends].map(([name, depends]) => [name, depends.taskNames.length])));
  for (const name of plan.roots) if (plan.needed.has(name)) startTask(t, dagNode, plan, name);
  if (t.state.tallies.get(dagNode.id)?.open === 0) finishDag(t, dagNode, template, plan);
}

export function onTaskEnded(t: Transition, dagNode: NodeStatus, taskNode: NodeStatus): void {
  const template = nodeTemplate(t.state, dagNode);
  const tally = t.state.tallies.get(dagNode.id);
  if (!template || !tally) return;
  const plan = planOf(t, dagNode, template);
  tally.open--;
  // As in Argo, failFast does not hold back tasks whose dependencies have ended (their `depends` decides);
  // it only lets the DAG fail without waiting for targets not reached yet. A DAG of independent tasks
  // has nothing to count down.
  if (plan.dependents.size > 0) {
    const taskName = taskNameOf(dagNode, taskNode);
    const waiting = waitingCounts(t, dagNode, plan);
    for (const next of plan.dependents.get(taskName) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0 && plan.needed.has(next)) startTask(t, dagNode, plan, next);
    }
  }
  if (tally.open === 0) finishDag(t, dagNode, template, plan);
}

/** The DAG's plan, with a `target` that holds tags resolved against the DAG node's inputs. */
function planOf(t: Transition, dagNode: NodeStatus, template: Template): DagPlan {
  const target = template.dag?.target;
  if (target === undefined || !target.includes('{{')) return t.state.templates.dagPlan(template);
  const scope = chainLookups(inputsLookup(dagNode.inputs), globalLookup(t.state));
  return t.state.templates.dagPlan(template, substituteString(target, scope, lenient(t.state)));
}

/**
 * Dependencies not yet ended, per task: counted down as tasks end so a task with 10,000 dependencies
 * costs O(1) per ending one. Counted from the nodes when a loaded workflow's next event starts
 * (countLoadedDags), when every ended task has been handled.
 */
function waitingCounts(t: Transition, dagNode: NodeStatus, plan: DagPlan): Map<string, number> {
  let waiting = t.state.dagWaiting.get(dagNode.id);
  if (!waiting) {
    waiting = new Map();
    for (const [name, depends] of plan.depends) {
      let open = 0;
      for (const dep of depends.taskNames) {
        const node = taskNode(t, dagNode, dep);
        if (!node || !t.state.isDone(node)) open++;
      }
      waiting.set(name, open);
    }
    t.state.dagWaiting.set(dagNode.id, waiting);
  }
  return waiting;
}

/** Counts the dependencies of the DAGs a reload found running, before the event ends any node. */
export function countLoadedDags(t: Transition): void {
  for (const id of t.state.uncountedDags) {
    const dagNode = t.state.node(id);
    const template = dagNode && !isFulfilled(dagNode.phase) ? nodeTemplate(t.state, dagNode) : undefined;
    if (dagNode && template) waitingCounts(t, dagNode, planOf(t, dagNode, template));
  }
  t.state.uncountedDags = [];
}

function startTask(t: Transition, dagNode: NodeStatus, plan: DagPlan, name: string): void {
  const { state } = t;
  const spec = plan.tasks.get(name);
  const depends = plan.depends.get(name);
  if (!spec || !depends) return;
  let node: NodeStatus;
  const holds = depends.evaluate((dep) => dependsState(t, dagNode, dep));
  if (!holds) node = endCall(t, taskPlace(dagNode, spec), spec, 'Skipped', 'Omitted', 'omitted: depends condition not met');
  else {
    // A task without tags is run as written: a wide DAG's 10,000 tasks are not each written out and read back.
    const scope = state.templates.isTagless(spec) ? undefined : dagScope(state, dagNode);
    const task = scope ? substituteJson(spec, scope, lenient(state)) : spec;
    const items = loopItems(task);
    if (items === undefined) node = runCall(t, taskPlace(dagNode, task), task);
    else if (typeof items === 'string') node = endCall(t, taskPlace(dagNode, task), task, 'Pod', 'Error', items);
    else node = startTaskGroup(t, dagNode, task, items, scope ?? dagScope(state, dagNode));
  }
  if (depends.taskNames.length === 0) state.addChild(dagNode.id, node.id);
  for (const dep of depends.taskNames) {
    const depNode = taskNode(t, dagNode, dep);
    if (depNode) for (const outbound of outboundNodes(state, depNode.id)) state.addChild(outbound, node.id);
  }
  state.tallies.get(dagNode.id)!.open++;
}

/** What `depends` sees of a task; a loop's TaskGroup also answers AnySucceeded and AllFailed. */
function dependsState(t: Transition, dagNode: NodeStatus, name: string): DependsTaskState {
  const node = taskNode(t, dagNode, name);
  if (!node) return { phase: 'Pending' };
  if (node.type !== 'TaskGroup') return { phase: node.phase, ...(node.daemoned && { daemoned: true }) };
  const children = (node.children ?? []).flatMap((id) => t.state.node(id) ?? []);
  return {
    phase: node.phase,
    anySucceeded: children.some((child) => child.phase === 'Succeeded'),
    allFailed: children.length > 0 && children.every((child) => child.phase === 'Failed'),
  };
}

/** A looped task: a TaskGroup node holding one node per item (Argo's `task(i:item)`). */
function startTaskGroup(t: Transition, dagNode: NodeStatus, task: DAGTask, items: unknown[], scope: Lookup): NodeStatus {
  const group = t.state.createNode(`${dagNode.name}.${task.name}`, 'TaskGroup', {
    displayName: task.name,
    boundaryID: dagNode.id,
    templateName: task.template,
    phase: 'Running',
    now: t.now,
  });
  t.state.tallies.set(group.id, { open: items.length });
  const bare = withoutLoop(task);
  // Without tags, every item's call is the bare call: it is not written out and read back per item.
  const tagless = t.state.templates.isTagless(bare);
  items.forEach((item, i) => {
    const expanded = { ...(tagless ? bare : substituteItem(bare, item, scope, lenient(t.state))), name: expandedName(task.name, i, item) };
    const child = runCall(t, taskPlace(dagNode, expanded), expanded);
    t.state.addChild(group.id, child.id);
  });
  if (items.length === 0) t.settle(group, 'Succeeded');
  return group;
}

/**
 * One item of a loop ended: the TaskGroup ends with its last item. As in Argo, it takes the phase of
 * its last failed or errored item in item order, read from the nodes so that a reload cannot change it.
 */
export function onLoopTaskEnded(t: Transition, group: NodeStatus): void {
  const tally = t.state.tallies.get(group.id);
  if (!tally || --tally.open > 0) return;
  let phase: NodePhase = 'Succeeded';
  for (const id of group.children ?? []) {
    const item = t.state.node(id);
    if (item && t.state.groupOf.get(id) === group.id && isFailedOrError(item.phase)) phase = item.phase;
  }
  t.settle(group, phase);
}

function taskPlace(dagNode: NodeStatus, task: DAGTask): CallPlace {
  return { nodeName: `${dagNode.name}.${task.name}`, displayName: task.name, boundaryID: dagNode.id };
}

/** Argo's assessDAGPhase: an omitted task inherits the phase of the branch that led to it. */
function finishDag(t: Transition, dagNode: NodeStatus, template: Template, plan: DagPlan): void {
  const branch = new Map<string, NodePhase>();
  for (const name of plan.order) {
    const node = taskNode(t, dagNode, name);
    if (!node) continue;
    let phase: NodePhase = node.phase;
    if (phase === 'Omitted') {
      const failed = (plan.depends.get(name)?.taskNames ?? []).map((dep) => branch.get(dep)).find((p) => p && isFailedOrError(p));
      phase = failed ?? 'Omitted';
    }
    branch.set(name, phase);
  }
  const failFast = template.dag?.failFast !== false;
  let result: NodePhase = 'Succeeded';
  for (const target of plan.targets) {
    const phase = branch.get(target) ?? 'Failed';
    if (!isFailedOrError(phase) || continuesOn(plan.tasks.get(target), phase)) continue;
    result = phase;
    if (failFast) break;
  }
  dagNode.outboundNodes = plan.targets.flatMap((name) => {
    const node = taskNode(t, dagNode, name);
    return node ? outboundNodes(t.state, node.id) : [];
  });
  // Argo marks a failed DAG without a message of its own.
  if (result !== 'Succeeded') return t.settle(dagNode, result);
  const lifted = liftOutputs(template, dagScope(t.state, dagNode), lenient(t.state));
  if (typeof lifted === 'string') return t.settle(dagNode, 'Error', lifted);
  if (lifted) {
    dagNode.outputs = lifted;
    exportGlobalOutputs(t.state, template, lifted);
  }
  t.settle(dagNode, 'Succeeded');
}

function taskNode(t: Transition, dagNode: NodeStatus, name: string): NodeStatus | undefined {
  return t.state.nodeByName(`${dagNode.name}.${name}`);
}

function taskNameOf(dagNode: NodeStatus, node: NodeStatus): string {
  return node.name.slice(dagNode.name.length + 1);
}

function continuesOn(task: DAGTask | undefined, phase: NodePhase): boolean {
  const continueOn = task?.continueOn;
  return phase === 'Failed' ? continueOn?.failed === true : phase === 'Error' && continueOn?.error === true;
}
