// The client's Redis transport: the operations run against the stores directly, as the scheduler
// and workers see them. Controls go on the workflow's shard stream, applied by its scheduler in order
// with the workflow's other events; whether one applies is the engine's rule, asked here first so
// that a refused control is said at once. The submission checks (the engine) and the shard streams
// (BullMQ's package) load when first used: a reading command such as `regatta list` starts without them.
import type { Redis } from 'ioredis';
import type { UserControl } from '@regatta/engine';
import { workflowEnded, type Template, type Workflow } from '@regatta/spec';
import type { ShardStreams } from '@regatta/queue';
import type { ArtifactDeleter } from './artifact-garbage.js';
import { connectRedis, CronStore, LogStore, ResourceStore, WorkflowStore, type WorkflowSummary } from '@regatta/store';
import {
  ClientError,
  workflowNotFound,
  type LogEntry,
  type ListOptions,
  type LogOptions,
  type SetOptions,
  type StopOptions,
  type SubmitFromOptions,
  type SubmittableKind,
  type WatchOptions,
  type WorkflowClient,
} from './client.js';
import { followWorkflow } from './follow.js';
import { listFilter, newestFirst } from './list-filter.js';

export interface RedisClientOptions {
  /** The caller's connection, closed by the caller. */
  redis: Redis;
  /** Where `redis` connects: watches and followed logs open connections of their own there. */
  url: string;
  prefix: string;
  /** The shard count written on first submission, when the instance has none yet. */
  shards: number;
  /** Where `delete` deletes a workflow's OnWorkflowDeletion artifacts (the artifact stores); without it that fails and the workflow stays. */
  artifacts?: ArtifactDeleter;
}

/** How long a followed log read waits for new lines before it looks whether the workflow has ended. */
const LOG_WAIT_MS = 1000;

export class RedisWorkflowClient implements WorkflowClient {
  private readonly redis: Redis;
  private readonly store: WorkflowStore;
  private readonly resources: ResourceStore;

  constructor(private readonly options: RedisClientOptions) {
    this.redis = options.redis;
    this.store = new WorkflowStore(options.redis, options.prefix);
    this.resources = new ResourceStore(options.redis, options.prefix);
  }

  async lintWorkflow(workflow: Workflow): Promise<void> {
    const { resolveWorkflow } = await import('./submit.js');
    return resolveWorkflow(this.redis, this.options.prefix, workflow);
  }

  async createWorkflow(workflow: Workflow): Promise<Workflow> {
    const { submitWorkflow } = await import('./submit.js');
    await submitWorkflow(this.redis, this.options.prefix, workflow, this.options.shards);
    return workflow;
  }

  async submitFrom(kind: SubmittableKind, name: string, options: SubmitFromOptions): Promise<Workflow> {
    const { annotations, labels, name: given, source, generateName, ...submit } = options;
    const namespace = submit.namespace ?? 'default';
    const [{ workflowFrom }, { prepareWorkflow }] = await Promise.all([import('./submit-from.js'), import('./submit.js')]);
    const from = await workflowFrom(this.resources, new CronStore(this.redis, this.options.prefix), kind, name, namespace);
    // Set before preparing, so that they are checked as the workflow's own are; a given name replaces the generated one.
    const { metadata } = from.workflow;
    if (labels) metadata.labels = { ...metadata.labels, ...labels };
    if (given !== undefined) {
      metadata.name = given;
      delete metadata.generateName;
    }
    const workflow = prepareWorkflow(JSON.stringify(from.workflow), source ?? `${kind}/${name}`, {
      ...submit,
      ...(given === undefined && generateName && { generateName }),
      namespace,
      shards: this.options.shards,
    });
    if (annotations) workflow.metadata.annotations = { ...workflow.metadata.annotations, ...annotations };
    await this.createWorkflow(workflow);
    await from.submitted(workflow);
    return workflow;
  }

  async listWorkflows(namespace: string | undefined, options: ListOptions = {}): Promise<WorkflowSummary[]> {
    const matches = listFilter(options);
    const namespaces = namespace === undefined ? await this.store.namespaces() : [namespace];
    const all = (await Promise.all(namespaces.map((ns) => this.store.list(ns)))).flat();
    const found = all.filter(matches).sort(newestFirst);
    const listed = options.limit === undefined ? found : found.slice(0, options.limit);
    if (options.podPhases) await Promise.all(listed.map(async (summary) => (summary.podPhases = await this.store.podPhases(summary.uid))));
    return listed;
  }

  async getWorkflow(namespace: string, name: string): Promise<Workflow> {
    const stored = await this.store.load(await this.uidOf(namespace, name));
    if (!stored) throw workflowNotFound(namespace, name);
    return stored.workflow;
  }

  async watchWorkflow(namespace: string, name: string, onChange: (workflow: Workflow) => void, options: WatchOptions = {}): Promise<Workflow> {
    const uid = options.uid ?? (await this.uidOf(namespace, name));
    const final = await followWorkflow(this.options.url, this.store, uid, ({ stored }) => onChange(stored.workflow));
    return final.workflow;
  }

  async workflowLogs(namespace: string, name: string, onEntry: (entry: LogEntry) => void, options: LogOptions = {}): Promise<void> {
    const { tailLines } = options;
    if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0)) {
      throw new ClientError('InvalidArgument', `tailLines: must be a whole number, got ${tailLines}`);
    }
    const uid = options.uid ?? (await this.uidOf(namespace, name));
    // A followed read blocks its connection while it waits, so it waits on one of its own.
    const reader = options.follow ? connectRedis(this.options.url, { maxRetriesPerRequest: 2 }) : this.redis;
    // With a tail, the lines there are now are held back until the last of them is known.
    const held: LogEntry[] = [];
    let sink = tailLines === undefined ? onEntry : (entry: LogEntry) => void held.push(entry);
    try {
      const { LogFollower } = await import('./log-follower.js');
      const follower = new LogFollower(new LogStore(reader, this.store.keys), this.store, uid, options, (entry) => sink(entry));
      await follower.drain();
      if (tailLines !== undefined) held.slice(held.length - Math.min(tailLines, held.length)).forEach(onEntry);
      sink = onEntry;
      options.onCaughtUp?.();
      while (options.follow && !options.signal?.aborted) {
        // The phase alone: a whole workflow's nodes are not read once a second to learn it has ended.
        const stored = await this.store.phaseAndShard(uid);
        if (!stored || workflowEnded(stored.phase)) break;
        await follower.drain(LOG_WAIT_MS);
      }
      await follower.drain();
    } finally {
      if (reader !== this.redis) reader.disconnect();
    }
  }

  async deleteWorkflow(namespace: string, name: string): Promise<void> {
    const uid = await this.store.uidOf(namespace, name);
    // The spec alone says whether artifacts go with it; only then are the nodes, which list them, read.
    const spec = uid === undefined ? undefined : await this.store.loadWithNodes(uid, []);
    const stored = spec && mayCollectArtifacts(spec.workflow) ? await this.store.load(uid!) : undefined;
    if (stored) {
      const { deleteWorkflowArtifacts } = await import('./delete-artifacts.js');
      await deleteWorkflowArtifacts(stored, this.options.artifacts, () => this.streams());
    }
    if (!(await this.store.delete(namespace, name))) throw workflowNotFound(namespace, name);
  }

  stopWorkflow(namespace: string, name: string, options: StopOptions = {}): Promise<void> {
    const { nodeFieldSelector, message } = options;
    return this.control(namespace, name, nodeFieldSelector ? { action: 'setNode', nodeFieldSelector, phase: 'Failed', message } : { action: 'stop' });
  }

  terminateWorkflow(namespace: string, name: string): Promise<void> {
    return this.control(namespace, name, { action: 'terminate' });
  }

  suspendWorkflow(namespace: string, name: string): Promise<void> {
    return this.control(namespace, name, { action: 'suspend' });
  }

  resumeWorkflow(namespace: string, name: string, options: { nodeFieldSelector?: string } = {}): Promise<void> {
    return this.control(namespace, name, { action: 'resume', nodeFieldSelector: options.nodeFieldSelector });
  }

  retryWorkflow(namespace: string, name: string): Promise<void> {
    return this.control(namespace, name, { action: 'retry' });
  }

  setWorkflow(namespace: string, name: string, options: SetOptions): Promise<void> {
    return this.control(namespace, name, { action: 'setNode', ...options });
  }

  async resubmitWorkflow(namespace: string, name: string, options: { memoized?: boolean } = {}): Promise<Workflow> {
    const { resubmitted } = await import('./resubmit.js');
    return this.createWorkflow(resubmitted(await this.getWorkflow(namespace, name), options.memoized === true));
  }

  private async uidOf(namespace: string, name: string): Promise<string> {
    const uid = await this.store.uidOf(namespace, name);
    if (!uid) throw workflowNotFound(namespace, name);
    return uid;
  }

  private async control(namespace: string, name: string, control: UserControl): Promise<void> {
    const uid = await this.uidOf(namespace, name);
    const stored = await this.store.phaseAndShard(uid);
    if (!stored) throw workflowNotFound(namespace, name);
    const { controlRefusal } = await import('@regatta/engine');
    const refused = controlRefusal(name, stored.phase, control.action);
    if (refused !== undefined) throw new ClientError('FailedPrecondition', refused);
    await (await this.streams()).append(stored.shard, uid, { type: 'control', control });
  }

  private async streams(): Promise<ShardStreams> {
    const { ShardStreams } = await import('@regatta/queue');
    return new ShardStreams(this.redis, (shard) => this.store.keys.shard(shard).events);
  }
}

/** Whether the workflow or any of its templates (its own, or those copied from WorkflowTemplates) sets artifactGC: only then is it read whole before a delete. */
function mayCollectArtifacts({ spec, status }: Workflow): boolean {
  const templates: Template[] = [...(spec.templates ?? []), ...Object.values(status?.storedTemplates ?? {})];
  return spec.artifactGC !== undefined || templates.some((template) => template.outputs?.artifacts?.some((artifact) => artifact.artifactGC !== undefined));
}
