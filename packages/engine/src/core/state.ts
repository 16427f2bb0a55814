// The workflow state the reducer works on: Argo's status shape plus indexes derived from it, so that
// one event costs in proportion to the nodes it touches, never to the size of the workflow.
import { ExpressionAllowance } from './event-budget.js';
import { sharedBudget, type Budget } from '@regatta/expr';
import type { NodePhase, NodeStatus, NodeType, Workflow, WorkflowStatus } from '@regatta/spec';
import { freeNodeId, nodeId } from '@regatta/spec';
import { isFulfilled } from './node-phase.js';
import { TemplateIndex } from '../templates/template-index.js';
import { Admission } from './admission.js';

/** Argo names an exit handler's node after its owner: `<owner>.onExit`. */
export function exitNodeName(ownerName: string): string {
  return `${ownerName}.onExit`;
}

/** A step group or a DAG loop's TaskGroup: a node whose members are its children. */
function isGroup(node: NodeStatus): boolean {
  return node.type === 'StepGroup' || node.type === 'TaskGroup';
}

/** Per StepGroup, TaskGroup or DAG node: how many of its children are still open. */
export interface ChildTally {
  open: number;
}

export class WorkflowState {
  readonly workflow: Workflow;
  readonly status: WorkflowStatus & { nodes: Record<string, NodeStatus> };
  readonly templates: TemplateIndex;
  /** StepGroup node id for each step node: the one group whose children list holds it. */
  groupOf = new Map<string, string>();
  tallies = new Map<string, ChildTally>();
  /** Per DAG node: for each task not started yet, how many of its dependencies have not ended. */
  dagWaiting = new Map<string, Map<string, number>>();
  /**
   * DAG nodes loaded running, whose `dagWaiting` is counted from the nodes at the start of the next
   * event: later in it, a task ended by the same event but not yet handled would be taken as counted.
   */
  uncountedDags: string[] = [];
  /** Daemoned nodes still running, so a scope that ends stops its own without looking at every node. */
  daemons = new Set<string>();
  /** Who runs and who waits, for parallelism and suspend. */
  admission: Admission;
  /** The time of the event being applied: variables such as `workflow.duration` are read against it. */
  now = '';
  /** The expression budget of the event being applied (applyEvent sets it), shared by all its evaluations. */
  expressions: Budget = sharedBudget(0, 'expressions outside an event');
  /** Where each event's expression budget comes from. */
  readonly allowance = new ExpressionAllowance();
  /** Names of the rare nodes whose Argo id another node held when they were made (see freeNodeId). */
  private movedIds = new Map<string, string>();
  /** Node ids written since the last `takeChanges()`, and whether workflow-level fields changed. */
  private changedNodes = new Set<string>();
  private deletedNodes = new Set<string>();
  private statusChanged = false;
  private specChanged = false;

  constructor(workflow: Workflow) {
    this.workflow = workflow;
    const status = workflow.status ?? { phase: '' };
    this.status = { ...status, nodes: status.nodes ?? {} };
    this.workflow.status = this.status;
    this.templates = new TemplateIndex(workflow.spec, this.status.storedTemplates);
    this.rebuildIndexes();
    this.admission = Admission.rebuild(this, Object.values(this.status.nodes));
  }

  get name(): string {
    return this.workflow.metadata.name ?? '';
  }

  /** Argo's default namespace where the workflow names none. */
  get namespace(): string {
    return this.workflow.metadata.namespace ?? 'default';
  }

  node(id: string): NodeStatus | undefined {
    return this.status.nodes[id];
  }

  nodeByName(name: string): NodeStatus | undefined {
    const node = this.status.nodes[this.movedIds.get(name) ?? nodeId(this.name, name)];
    return node?.name === name ? node : undefined;
  }

  createNode(
    name: string,
    type: NodeType,
    fields: { displayName: string; boundaryID?: string; templateName?: string; phase: NodePhase; now: string },
  ): NodeStatus {
    const id = this.movedIds.get(name) ?? freeNodeId(this.name, name, (taken) => this.status.nodes[taken]?.name);
    if (id !== nodeId(this.name, name)) this.movedIds.set(name, id);
    const node: NodeStatus = {
      id,
      name,
      displayName: fields.displayName,
      type,
      phase: fields.phase,
      startedAt: fields.now,
    };
    if (fields.templateName !== undefined) node.templateName = fields.templateName;
    if (fields.boundaryID !== undefined) node.boundaryID = fields.boundaryID;
    if (isFulfilled(fields.phase)) node.finishedAt = fields.now;
    this.status.nodes[node.id] = node;
    this.touch(node.id);
    return node;
  }

  addChild(parentId: string, childId: string): void {
    const parent = this.status.nodes[parentId];
    if (!parent) return;
    const children = (parent.children ??= []);
    // Each link is made once, when its child is created; checking the last entry (not the whole list,
    // which a wide DAG makes 10,000 long) guards a repeated call within one step.
    if (children.at(-1) !== childId) children.push(childId);
    const child = this.status.nodes[childId];
    if (isGroup(parent) && child && child.type !== 'StepGroup') this.groupOf.set(childId, parentId);
    this.touch(parentId);
  }

  touch(id: string): void {
    this.changedNodes.add(id);
  }

  touchStatus(): void {
    this.statusChanged = true;
  }

  /** Controls such as stop and suspend are kept where Argo keeps them: `spec.shutdown`, `spec.suspend`. */
  touchSpec(): void {
    this.specChanged = true;
  }

  /** Removes a node (a retried workflow's failed ones); the store deletes it with the next write. */
  deleteNode(id: string): void {
    const name = this.status.nodes[id]?.name;
    if (name !== undefined && this.movedIds.get(name) === id) this.movedIds.delete(name);
    delete this.status.nodes[id];
    this.changedNodes.delete(id);
    this.deletedNodes.add(id);
  }

  /** Forgets every derived index and builds them again from the nodes, as on a load. */
  reindex(): void {
    this.groupOf = new Map();
    this.tallies = new Map();
    this.dagWaiting = new Map();
    this.uncountedDags = [];
    this.daemons = new Set();
    this.rebuildIndexes();
    this.admission = Admission.rebuild(this, Object.values(this.status.nodes));
  }

  takeChanges(): { nodes: string[]; deleted: string[]; status: boolean; spec: boolean } {
    const changes = { nodes: [...this.changedNodes], deleted: [...this.deletedNodes], status: this.statusChanged, spec: this.specChanged };
    this.changedNodes = new Set();
    this.deletedNodes = new Set();
    this.statusChanged = false;
    this.specChanged = false;
    return changes;
  }

  /** The node of a step's or task's exit handler, or of the workflow's when given the root. */
  exitNodeOf(owner: NodeStatus): NodeStatus | undefined {
    return this.nodeByName(exitNodeName(owner.name));
  }

  /** Ended, and so is its exit handler if it has one: only then does its parent move on. */
  isDone(node: NodeStatus): boolean {
    if (node.daemoned) return true;
    if (!isFulfilled(node.phase)) return false;
    const exit = this.exitNodeOf(node);
    return !exit || isFulfilled(exit.phase);
  }

  /** Rebuilds the derived indexes from Argo's node graph in one pass, when a workflow is loaded. */
  private rebuildIndexes(): void {
    const nodes = this.status.nodes;
    const count = (tallyId: string, child: NodeStatus): void => {
      let tally = this.tallies.get(tallyId);
      if (!tally) this.tallies.set(tallyId, (tally = { open: 0 }));
      if (!this.isDone(child)) tally.open++;
    };
    const all = Object.values(nodes);
    this.movedIds = new Map();
    for (const node of all) {
      if (node.id !== nodeId(this.name, node.name)) this.movedIds.set(node.name, node.id);
      if (node.daemoned && !isFulfilled(node.phase)) this.daemons.add(node.id);
      if (isGroup(node)) {
        this.tallies.set(node.id, this.tallies.get(node.id) ?? { open: 0 });
        for (const childId of node.children ?? []) {
          const child = nodes[childId];
          if (!child || child.type === 'StepGroup') continue;
          this.groupOf.set(childId, node.id);
          count(node.id, child);
        }
      } else if (node.type === 'DAG') {
        this.tallies.set(node.id, this.tallies.get(node.id) ?? { open: 0 });
        if (!isFulfilled(node.phase)) this.uncountedDags.push(node.id);
      }
    }
    // A DAG counts its tasks; the items of a looped task are counted by the task's TaskGroup.
    for (const node of all) {
      const boundary = node.boundaryID === undefined ? undefined : nodes[node.boundaryID];
      if (node.type === 'Container') continue;
      if (boundary?.type === 'DAG' && !this.groupOf.has(node.id) && !node.nodeFlag?.hooked && !node.nodeFlag?.retried) count(boundary.id, node);
    }
  }
}
