// Workflows in Redis: the record (spec, status, version, fencing epoch), nodes as one hash field each,
// the outbox of commands not yet carried out, and the name index per namespace.
import type { NodeStatus, Workflow, WorkflowStatus } from '@regatta/spec';
import type { Redis } from 'ioredis';
import { checkScriptResult } from './errors.js';
import { Keys } from './keys.js';
import { statusJson } from './record.js';
import { registerScripts, type ScriptCaller } from './scripts.js';
import { Submissions } from './submissions.js';

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

/** What a stored transition published on the workflow's update channel (applyTransition-3.lua). */
export interface UpdateNotice {
  version: number;
  /** Nodes written. */
  changed: string[];
  /** Nodes removed. */
  deleted: string[];
}

export function parseUpdateNotice(message: string): UpdateNotice {
  const [version, ...ids] = message.split(' ');
  const notice: UpdateNotice = { version: Number(version), changed: [], deleted: [] };
  for (const id of ids) {
    if (id.startsWith('-')) notice.deleted.push(id.slice(1));
    else if (id !== '') notice.changed.push(id);
  }
  return notice;
}

export class WorkflowStore {
  readonly keys: Keys;
  readonly submissions: Submissions;
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    this.script = registerScripts(redis);
    this.submissions = new Submissions(redis, this.keys, this.script);
  }

  /**
   * Stores a new workflow and announces it on its shard stream (see submissions.ts for why this
   * survives a crash at any point); throws StoreError EXISTS when its name is taken.
   */
  async create(workflow: Workflow, shard: number): Promise<void> {
    await this.submissions.submit(workflow, shard);
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

  /**
   * The workflow with only the nodes named (none: no nodes), record and nodes read in one step so
   * they agree: what a follower reads after an update notice, and a list reads without nodes.
   */
  async loadWithNodes(uid: string, nodeIds: readonly string[]): Promise<StoredWorkflow | undefined> {
    const keys = this.keys.workflow(uid);
    const read = this.redis.multi().hmget(keys.record, 'resource', 'status', 'version', 'shard');
    if (nodeIds.length > 0) read.hmget(keys.nodes, ...nodeIds);
    const results = (await read.exec()) ?? [];
    const [resource, status, version, shard] = (results[0]?.[1] ?? []) as (string | null)[];
    if (!resource || !status) return undefined;
    const values = (results[1]?.[1] ?? []) as (string | null)[];
    const nodes: Record<string, NodeStatus> = {};
    nodeIds.forEach((id, i) => {
      const json = values[i];
      if (json) nodes[id] = JSON.parse(json) as NodeStatus;
    });
    const workflow = JSON.parse(resource) as Workflow;
    return {
      workflow: { ...workflow, status: { ...(JSON.parse(status) as WorkflowStatus), nodes } },
      version: Number(version ?? 0),
      shard: Number(shard ?? 0),
      outbox: [],
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

  /** Deletes the workflow a name stands for (see deleteByUid); false if the name is free. */
  async delete(namespace: string, name: string): Promise<boolean> {
    const uid = await this.uidOf(namespace, name);
    if (!uid) return false;
    await this.deleteByUid(uid, namespace, name);
    return true;
  }

  /**
   * Removes every key of this workflow in one step (so a log line appended later finds no record and
   * is dropped, see LogStore), then its name only if the name still stands for this uid: a TTL that
   * fires after the name went to a new workflow deletes the old one alone. Then tells workers to stop
   * its running nodes. The keys go first: a crash before the name leaves a name without a record,
   * which the next submission of that name takes over.
   *
   * Its pending timers (a TTL is days out) go right after the keys, from the shard the record named.
   * Not before: a crash then would leave a live workflow without its timers. A crash between the two
   * leaves timers that fire and are ignored like any event of a deleted workflow, and promoting them
   * removes them and their index.
   */
  async deleteByUid(uid: string, namespace: string, name: string): Promise<void> {
    const keys = this.keys.workflow(uid);
    const shard = await this.redis.hget(keys.record, 'shard');
    await this.redis.del(keys.record, keys.nodes, keys.outbox, keys.logs);
    if (shard !== null) await this.script('deleteWorkflowTimers', [this.keys.shard(Number(shard)).timers, this.keys.timerIndex(Number(shard), uid)], []);
    await this.submissions.releaseName(namespace, name, uid);
    await this.cancelNodes(uid);
  }

  /** Tells workers to stop these nodes' processes, or every node of the workflow when none are named. */
  async cancelNodes(uid: string, nodeIds?: string[]): Promise<void> {
    await this.redis.publish(this.keys.cancellations, JSON.stringify({ uid, ...(nodeIds && { nodes: nodeIds }) }));
  }
}
