// Workflows in Redis: the record (spec, status, version, fencing epoch), nodes as one hash field each,
// the outbox of commands not yet carried out, and the name index per namespace.
import type { NodeStatus, Workflow, WorkflowStatus } from '@regatta/spec';
import type { Redis } from 'ioredis';
import { checkScriptResult, StoreError } from './errors.js';
import { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface StoredWorkflow {
  workflow: Workflow & { status: WorkflowStatus & { nodes: Record<string, NodeStatus> } };
  version: number;
  shard: number;
  outbox: string[];
}

export interface WorkflowSummary {
  name: string;
  namespace: string;
  uid: string;
  phase: WorkflowStatus['phase'];
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

export interface TransitionWrite {
  uid: string;
  epoch: number;
  version: number;
  status?: WorkflowStatus;
  /** The workflow without its status, when a control changed its spec (shutdown, suspend). */
  resource?: Omit<Workflow, 'status'>;
  nodes: NodeStatus[];
  /** Ids of nodes removed (a retried workflow's failed nodes). */
  deletedNodes?: string[];
  commands: string[];
}

export class WorkflowStore {
  readonly keys: Keys;
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    this.script = registerScripts(redis);
  }

  /** Stores a new workflow; the name is claimed first so a duplicate changes nothing. */
  async create(workflow: Workflow, shard: number): Promise<void> {
    const { name, namespace = 'default', uid } = workflow.metadata;
    if (!name || !uid) throw new Error('a stored workflow needs metadata.name and metadata.uid');
    const claimed = await this.redis.hsetnx(this.keys.names(namespace), name, uid);
    if (!claimed) throw new StoreError('EXISTS', `workflow "${name}" already exists in namespace "${namespace}"`);
    const { status, ...resource } = workflow;
    // Nodes a new workflow starts with (a memoized resubmission's) live in the nodes hash, as always.
    // As one object: spread as arguments, 100,000 nodes' ids and JSON overflow the call stack.
    const nodes = Object.entries(status?.nodes ?? {});
    if (nodes.length > 0) await this.redis.hset(this.keys.workflow(uid).nodes, Object.fromEntries(nodes.map(([id, node]) => [id, JSON.stringify(node)])));
    await this.redis.hset(this.keys.workflow(uid).record, {
      resource: JSON.stringify(resource),
      status: statusJson(status ?? { phase: '' }),
      version: 0,
      epoch: 0,
      shard,
    });
  }

  async uidOf(namespace: string, name: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.names(namespace), name)) ?? undefined;
  }

  async load(uid: string): Promise<StoredWorkflow | undefined> {
    const keys = this.keys.workflow(uid);
    const [record, nodes, outbox] = await Promise.all([
      this.redis.hmget(keys.record, 'resource', 'status', 'version', 'shard'),
      this.redis.hgetall(keys.nodes),
      this.redis.lrange(keys.outbox, 0, -1),
    ]);
    const [resource, status, version, shard] = record;
    if (!resource || !status) return undefined;
    const parsedNodes: Record<string, NodeStatus> = {};
    for (const [id, json] of Object.entries(nodes)) parsedNodes[id] = JSON.parse(json) as NodeStatus;
    const workflow = JSON.parse(resource) as Workflow;
    return {
      workflow: { ...workflow, status: { ...(JSON.parse(status) as WorkflowStatus), nodes: parsedNodes } },
      version: Number(version ?? 0),
      shard: Number(shard ?? 0),
      outbox,
    };
  }

  /** One node's phase as last stored; undefined if the workflow or the node is gone. */
  async nodePhase(uid: string, nodeId: string): Promise<NodeStatus['phase'] | undefined> {
    const json = await this.redis.hget(this.keys.workflow(uid).nodes, nodeId);
    return json ? (JSON.parse(json) as NodeStatus).phase : undefined;
  }

  /** A workflow's phase and shard without its nodes: what a control needs to know before it is sent. */
  async phaseAndShard(uid: string): Promise<{ phase: WorkflowStatus['phase']; shard: number } | undefined> {
    const [status, shard] = await this.redis.hmget(this.keys.workflow(uid).record, 'status', 'shard');
    if (!status) return undefined;
    return { phase: (JSON.parse(status) as WorkflowStatus).phase, shard: Number(shard ?? 0) };
  }

  /** Writes one transition atomically; throws StoreError FENCED/STALE/MISSING. Returns the new version. */
  async apply(write: TransitionWrite): Promise<number> {
    const keys = this.keys.workflow(write.uid);
    const resource = write.resource ? JSON.stringify(write.resource) : '';
    const deleted = write.deletedNodes ?? [];
    const args: (string | number)[] = [write.epoch, write.version, write.status ? statusJson(write.status) : '', write.nodes.length, keys.updates, resource, deleted.length];
    // Appended one by one: spread as arguments, ~120,000 of them overflow the call stack.
    for (const id of deleted) args.push(id);
    for (const node of write.nodes) args.push(node.id, JSON.stringify(node));
    for (const command of write.commands) args.push(command);
    const result = await this.script('applyTransition', [keys.record, keys.nodes, keys.outbox], args);
    return checkScriptResult(result, `workflow ${write.uid}`);
  }

  /**
   * Removes `carriedOut`, the head of the outbox as loaded or stored, once it has been carried out;
   * false when it is no longer the head (cleared already), and then nothing is removed. Entries must be
   * unique within an outbox for this to be exact. Throws StoreError FENCED.
   */
  async clearOutbox(uid: string, epoch: number, carriedOut: readonly string[]): Promise<boolean> {
    if (carriedOut.length === 0) return true;
    const keys = this.keys.workflow(uid);
    const result = await this.script('clearOutbox', [keys.record, keys.outbox], [epoch, carriedOut.length, carriedOut[0]!, carriedOut.at(-1)!]);
    return checkScriptResult(result, `outbox of ${uid}`) === 1;
  }

  async list(namespace: string): Promise<WorkflowSummary[]> {
    const names = await this.redis.hgetall(this.keys.names(namespace));
    const entries = Object.entries(names);
    const statuses = await Promise.all(entries.map(([, uid]) => this.redis.hget(this.keys.workflow(uid).record, 'status')));
    return entries.flatMap(([name, uid], i) => {
      const json = statuses[i];
      if (!json) return [];
      const status = JSON.parse(json) as WorkflowStatus;
      return [{ name, namespace, uid, phase: status.phase, startedAt: status.startedAt, finishedAt: status.finishedAt, message: status.message }];
    });
  }

  /** Removes a workflow's keys and its name, then tells workers to stop its running nodes. */
  async delete(namespace: string, name: string): Promise<boolean> {
    const uid = await this.uidOf(namespace, name);
    if (!uid) return false;
    const keys = this.keys.workflow(uid);
    await this.redis.del(keys.record, keys.nodes, keys.outbox, keys.logs);
    await this.redis.hdel(this.keys.names(namespace), name);
    await this.cancelNodes(uid);
    return true;
  }

  /** Tells workers to stop these nodes' processes, or every node of the workflow when none are named. */
  async cancelNodes(uid: string, nodeIds?: string[]): Promise<void> {
    await this.redis.publish(this.keys.cancellations, JSON.stringify({ uid, ...(nodeIds && { nodes: nodeIds }) }));
  }
}

/** The record keeps the status without nodes: nodes live in their own hash, one field each. */
function statusJson(status: WorkflowStatus): string {
  const { nodes: _nodes, ...rest } = status;
  return JSON.stringify(rest);
}
