// When a node may start: Argo's `parallelism` (a steps or DAG template's limit on its running
// children, the workflow's limit on its running pods) and `suspend`. A node that may not start yet is
// created Pending and held in a queue; it starts, in order, when the node that blocked it ends.
import type { NodeStatus } from '@regatta/spec';
import { nodeTemplate } from '../templates/call-spec.js';
import { isFulfilled } from './node-phase.js';
import type { WorkflowView } from './workflow-view.js';

/** The view with its Admission: what release and drain work on. */
type AdmissionView = WorkflowView & { readonly admission: Admission };

/** Queue keys besides boundary node ids. */
export const WORKFLOW_PODS = 'workflow-pods';
export const SUSPENDED = 'suspended';

/** Children that a boundary's parallelism counts: calls, not groups, hooks or a Retry's attempts. */
function counted(node: NodeStatus): boolean {
  return node.boundaryID !== undefined && node.type !== 'StepGroup' && node.type !== 'TaskGroup' && !node.nodeFlag?.hooked && !node.nodeFlag?.retried;
}

function isPod(node: NodeStatus): boolean {
  return node.type === 'Pod';
}

/** A steps or DAG node's parallelism, 0 for none; only limited scopes are counted at all. */
function boundaryLimit(state: WorkflowView, node: NodeStatus): number {
  if (!counted(node)) return 0;
  const boundary = state.node(node.boundaryID!);
  return (boundary && Number(nodeTemplate(state, boundary)?.parallelism ?? 0)) || 0;
}

function podLimit(state: WorkflowView, node: NodeStatus): number {
  return isPod(node) ? Number(state.workflow.spec.parallelism ?? 0) || 0 : 0;
}

/** The queue a new node must wait in, or undefined when it may start now. */
export function admissionQueue(state: WorkflowView, node: NodeStatus, admission: Admission): string | undefined {
  if (state.workflow.spec.suspend === true) return SUSPENDED;
  const limit = boundaryLimit(state, node);
  if (limit > 0 && admission.activeIn(node.boundaryID!) >= limit) return node.boundaryID;
  const pods = podLimit(state, node);
  if (pods > 0 && admission.runningPods.size >= pods) return WORKFLOW_PODS;
  return undefined;
}

/** Counts a node that starts, where a limit applies. */
export function admit(state: WorkflowView, node: NodeStatus, admission: Admission): void {
  if (boundaryLimit(state, node) > 0) admission.active(node.boundaryID!).add(node.id);
  if (podLimit(state, node) > 0) admission.runningPods.add(node.id);
}

/** A node ended: it no longer counts, and nodes it held back may start (with `start`). */
export function release(state: AdmissionView, node: NodeStatus, start: (held: NodeStatus) => void): void {
  const { admission } = state;
  if (counted(node) && admission.active(node.boundaryID!).delete(node.id)) drain(state, node.boundaryID!, start);
  if (isPod(node) && admission.runningPods.delete(node.id)) drain(state, WORKFLOW_PODS, start);
}

/** Starts held nodes of a queue, in order, while they may start; one blocked elsewhere moves there. */
export function drain(state: AdmissionView, key: string, start: (held: NodeStatus) => void): void {
  const queue = state.admission.queues.get(key);
  while (queue && queue.length > 0) {
    const node = state.node(queue[0]!);
    if (!node || node.phase !== 'Pending') {
      queue.shift();
      continue;
    }
    const blocker = admissionQueue(state, node, state.admission);
    if (blocker === key) return;
    queue.shift();
    if (blocker === undefined) start(node);
    else state.admission.hold(blocker, node.id);
  }
}

/** Per workflow: who runs in each boundary, the running pods, and the queues of held nodes. */
export class Admission {
  private readonly activeByBoundary = new Map<string, Set<string>>();
  readonly runningPods = new Set<string>();
  readonly queues = new Map<string, string[]>();

  active(boundaryId: string): Set<string> {
    let set = this.activeByBoundary.get(boundaryId);
    if (!set) this.activeByBoundary.set(boundaryId, (set = new Set()));
    return set;
  }

  activeIn(boundaryId: string): number {
    return this.activeByBoundary.get(boundaryId)?.size ?? 0;
  }

  hold(key: string, nodeId: string): void {
    const queue = this.queues.get(key) ?? [];
    queue.push(nodeId);
    this.queues.set(key, queue);
  }

  /** Rebuilt from the nodes on load: started and open nodes count, Pending ones wait in creation order. */
  static rebuild(state: WorkflowView, nodes: NodeStatus[]): Admission {
    const admission = new Admission();
    const held: NodeStatus[] = [];
    for (const node of nodes) {
      // A containerSet's Container nodes are parts of their pod, never held or counted themselves.
      if (isFulfilled(node.phase) || node.type === 'Container') continue;
      // A node waiting for its locks starts on their event, not from a queue.
      if (node.synchronizationStatus?.waiting !== undefined) continue;
      // Nor does one waiting for its memoization cache's answer.
      if (node.phase === 'Pending' && node.memoizationStatus && !node.memoizationStatus.hit) continue;
      if (node.phase === 'Pending') held.push(node);
      else admit(state, node, admission);
    }
    held.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.name.localeCompare(b.name, undefined, { numeric: true }));
    // The state was consistent when stored, so each held node is still blocked; by what is asked again.
    for (const node of held) admission.hold(admissionQueue(state, node, admission) ?? (node.boundaryID ?? WORKFLOW_PODS), node.id);
    return admission;
  }
}
