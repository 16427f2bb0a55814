// Applies one batch of shard events: runs the engine per workflow, stores each transition with its
// outbox (fenced), carries out the outboxes (node jobs in one bulk add), clears them, and only then
// acknowledges the events. A crash at any point leaves events or outbox entries to redo, never a loss.
// One command that keeps failing does not stop the shard: it is retried a few times, then logged,
// counted and set aside; only Redis being away fails the batch, which is then redone.
import { workflowEnded, type Workflow } from '@regatta/spec';
import { applyEvent, type CollectedArtifact, type EngineCommand, type EngineEvent } from '@regatta/engine';
import type { NodeJobData, NodeDispatch, NodePool, ShardEntry, ShardStreams, ShardTimers } from '@regatta/queue';
import { nodeBatches, nodeJobId } from '@regatta/queue';
import { isTransientRedisError, StoreError, type LogStore, type MemoStore, type ResourceStore, type WorkflowStore } from '@regatta/store';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';
import type { NodeJob } from '@regatta/engine';
import type { CachedWorkflow, WorkflowCache } from './workflow-cache.js';
import type { LockBroker } from './lock-broker.js';
import type { VolumeClaims } from './volume-claims.js';
import { outboxCommand, outboxEntries } from './outbox.js';
import { readConfigMapKeys } from './configmap-keys.js';
import { deleteArtifacts, type ArtifactDeleter } from '@regatta/client';

/** Tries of a command that fails for a reason of its own (not Redis being away) before it is set aside. */
const ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;
/** Workflows reloaded at once when outboxes are re-driven after a Redis restart. */
const REDRIVE_CHUNK = 100;
/** Commands that touch no Redis: their failures are never Redis being away, so never fail the batch. */
const LOCAL_COMMANDS = new Set<EngineCommand['type']>(['emitMetrics', 'deleteVolumeClaims']);

export interface BatchContext {
  shard: number;
  epoch: number;
}

interface Prepared {
  entry: CachedWorkflow;
  /** The outbox as stored: entries reloaded with the workflow, then this batch's; cleared by exactly these. */
  stored: string[];
  /** This batch's commands as the engine made them (the tail of `stored`), so they are not parsed again. */
  fresh: EngineCommand[];
  /** The workflow ended with this batch: a late event for one that had ended already does not count it again. */
  endedNow: boolean;
}

export interface StoredBatch {
  prepared: Prepared[];
  ids: string[];
}

/** What a batch applier works with: the stores, queues and brokers its commands reach, and the clock. */
export interface BatchApplierParts {
  store: WorkflowStore;
  cache: WorkflowCache;
  streams: ShardStreams;
  pool: NodePool<NodeJob>;
  timers: ShardTimers;
  locks: LockBroker;
  memos: MemoStore;
  /** Where nodes' input ConfigMaps are read when they start. */
  resources: ResourceStore;
  logs: LogStore;
  logger: Logger;
  metrics: SchedulerMetrics;
  now: () => string;
  /** Where the workflows' own volume claims are deleted when they end; without it they are left. */
  volumeClaims?: VolumeClaims;
  /** Where artifactGC deletes artifacts; without it each deletion fails, recorded on the workflow. */
  artifacts?: ArtifactDeleter;
}

export class BatchApplier {
  constructor(private readonly parts: BatchApplierParts) {}


  /** Stores and carries out a batch in one go; false when the shard's lease was lost. */
  async apply(context: BatchContext, entries: ShardEntry[]): Promise<boolean> {
    const stored = await this.persist(context, entries);
    if (!stored) return false;
    await this.finish(context, stored);
    return true;
  }

  /**
   * First half: runs the engine and stores every transition with its outbox. Once this resolves the
   * batch survives any crash. Returns undefined when the shard's lease was lost (a newer epoch wrote
   * one of its workflows).
   */
  async persist(context: BatchContext, entries: ShardEntry[]): Promise<StoredBatch | undefined> {
    const byWorkflow = new Map<string, EngineEvent[]>();
    for (const { uid, event } of entries) {
      const list = byWorkflow.get(uid) ?? [];
      list.push(event as EngineEvent);
      byWorkflow.set(uid, list);
    }
    let prepared: Prepared[];
    try {
      prepared = (await Promise.all([...byWorkflow].map(([uid, events]) => this.transition(context, uid, events)))).filter(
        (p): p is Prepared => p !== undefined,
      );
    } catch (error) {
      if (error instanceof StoreError && error.code === 'FENCED') {
        this.parts.metrics.fenced.inc();
        return undefined;
      }
      this.parts.metrics.errors.inc({ cause: 'store' });
      throw error;
    }
    return { prepared, ids: entries.map((e) => e.id) };
  }

  /**
   * Reloads these workflows and carries out whatever their stored outboxes still hold, with no event:
   * after Redis rolled back, an outbox this scheduler carried out may be back, its side effects lost.
   */
  async redrive(context: BatchContext, uids: string[]): Promise<void> {
    // A few at a time: a scheduler may hold thousands of workflows, each reloaded with all its nodes.
    for (let i = 0; i < uids.length; i += REDRIVE_CHUNK) {
      const loaded = await Promise.all(uids.slice(i, i + REDRIVE_CHUNK).map((uid) => this.transition(context, uid, [])));
      await this.carryOut(context, loaded.filter((p): p is Prepared => p !== undefined && p.stored.length > 0));
    }
  }

  /** Second half: carries out the stored outboxes, then acknowledges the batch's events. */
  async finish(context: BatchContext, batch: StoredBatch): Promise<void> {
    await this.carryOut(context, batch.prepared);
    await this.parts.streams.ack(context.shard, batch.ids);
  }

  private async transition(context: BatchContext, uid: string, events: EngineEvent[]): Promise<Prepared | undefined> {
    const entry = await this.parts.cache.get(uid);
    if (!entry) {
      this.parts.logger.debug({ uid }, 'events for a workflow that no longer exists');
      return undefined;
    }
    const timer = this.parts.metrics.operationDuration.startTimer();
    const endedBefore = workflowEnded(entry.state.status.phase);
    const now = this.parts.now();
    const commands: EngineCommand[] = [];
    for (const event of events) {
      // A loop may expand into 100,000 commands: appended one by one, not spread as arguments.
      for (const command of this.applySafely(entry, event, now)) commands.push(command);
    }
    const changes = entry.state.takeChanges();
    const encoded = outboxEntries(entry.version + 1, commands);
    if (changes.nodes.length > 0 || changes.deleted.length > 0 || changes.status || changes.spec || encoded.length > 0) {
      try {
        entry.version = await this.parts.store.apply({
          uid,
          epoch: context.epoch,
          version: entry.version,
          status: changes.status ? entry.state.status : undefined,
          resource: changes.spec ? withoutStatus(entry.state.workflow) : undefined,
          nodes: changes.nodes.flatMap((id) => entry.state.node(id) ?? []),
          deletedNodes: changes.deleted,
          commands: encoded,
        });
      } catch (error) {
        this.parts.cache.evict(uid);
        if (error instanceof StoreError && error.code === 'MISSING') {
          // Deleted while cached: its events change nothing now and are acknowledged with the rest of the batch.
          this.parts.logger.info({ uid, events: events.length }, 'events for a deleted workflow dropped');
          return undefined;
        }
        // The cached state ran ahead of Redis; the events stay unacknowledged and are redone on a reload.
        throw error;
      }
    }
    const stored = entry.outbox.length === 0 ? encoded : [...entry.outbox, ...encoded];
    entry.outbox = [];
    timer();
    return { entry, stored, fresh: commands, endedNow: !endedBefore && workflowEnded(entry.state.status.phase) };
  }

  private applySafely(entry: CachedWorkflow, event: EngineEvent, now: string): EngineCommand[] {
    try {
      const result = applyEvent(entry.state, event, now);
      if (result.refused !== undefined) {
        this.parts.logger.info({ uid: entry.uid, event: event.type, reason: result.refused }, 'control not applied');
      } else if (result.duplicate) {
        this.parts.metrics.duplicates.inc();
        this.parts.logger.debug({ uid: entry.uid, event: event.type }, 'duplicate event ignored');
      } else if (event.type === 'nodeFinished') {
        this.parts.metrics.nodes.inc({ phase: event.phase });
      }
      return result.commands;
    } catch (error) {
      // A bug must not wedge the shard: the workflow ends in Error, visibly, and keeps its nodes.
      this.parts.logger.error({ err: error, uid: entry.uid }, 'engine failed on an event');
      this.parts.metrics.errors.inc({ cause: 'engine' });
      const { status } = entry.state;
      status.phase = 'Error';
      status.message = `internal error: ${(error as Error).message}`;
      status.finishedAt = now;
      entry.state.touchStatus();
      return [];
    }
  }

  /** Everything but node jobs: timers, cancellations, locks. Each is safe to do twice. */
  private sideEffect(shard: number, uid: string, command: Exclude<EngineCommand, { type: 'dispatchNode' }>): Promise<void> {
    const holder = { uid, shard, ...('nodeId' in command && command.nodeId !== undefined && { nodeId: command.nodeId }) };
    switch (command.type) {
      case 'scheduleEvent':
        return this.parts.timers.schedule(shard, uid, command.event, Date.parse(command.at));
      case 'cancelNodes':
        return this.parts.store.cancelNodes(uid, command.nodeIds);
      case 'acquireLocks':
        return this.parts.locks.acquire(holder, command.locks, command.priority, command.createdAt);
      case 'releaseLocks':
        return this.parts.locks.release(holder, command.locks);
      case 'lookupMemo':
        return this.lookUpMemo(shard, uid, command);
      case 'readConfigMaps':
        return this.readConfigMaps(shard, uid, command);
      case 'saveMemo':
        return this.parts.memos.save(command.namespace, command.cacheName, command.key, command.nodeId, command.outputs);
      case 'deleteNodeLogs':
        return this.parts.logs.deleteNodes(uid, command.nodeIds);
      case 'deleteVolumeClaims':
        return this.parts.volumeClaims?.deleteWorkflowClaims(uid) ?? Promise.resolve();
      case 'deleteWorkflow':
        return this.deleteWorkflow(shard, uid, command);
      case 'collectArtifacts':
        return this.collectArtifacts(shard, uid, command);
      case 'emitMetrics':
        for (const metric of command.metrics) {
          const refused = this.parts.metrics.custom.emit(metric);
          if (refused === undefined) continue;
          this.parts.metrics.errors.inc({ cause: 'custom-metric' });
          this.parts.logger.warn({ uid, metric: metric.name, reason: refused }, 'custom metric not emitted');
        }
        return Promise.resolve();
    }
  }

  /** A side effect with its retries; one set aside has whatever waits on its answer told instead. */
  private async carryOutSideEffect(shard: number, uid: string, command: Exclude<EngineCommand, { type: 'dispatchNode' }>): Promise<void> {
    const failure = await this.withRetries(uid, command.type, () => this.sideEffect(shard, uid, command));
    if (failure === undefined) return;
    const answer = answerInstead(command, errorMessage(failure.error));
    if (answer === undefined) return;
    try {
      await this.parts.streams.append(shard, uid, answer);
      this.parts.logger.warn({ uid, command: command.type, event: answer.type }, 'answered a side effect set aside');
    } catch (error) {
      if (isTransientRedisError(error)) throw error;
      // The shard's own stream refuses it: failing the batch would only redo the same, for ever.
      this.parts.logger.error({ err: error, uid, command: command.type, event: answer.type }, 'a side effect set aside could not be answered; what waits on it still waits');
    }
  }

  /** artifactGC: deletes the artifacts, then tells the workflow how it went (its status records it). */
  private async collectArtifacts(shard: number, uid: string, command: Extract<EngineCommand, { type: 'collectArtifacts' }>): Promise<void> {
    const artifacts = await deleteArtifacts(this.parts.artifacts, command.namespace, command.artifacts);
    this.logFailures(uid, command.strategy, artifacts);
    await this.parts.streams.append(shard, uid, { type: 'artifactsCollected', strategy: command.strategy, artifacts });
  }

  /**
   * A ttlStrategy's deletion: OnWorkflowDeletion's artifacts first. Should one fail, the workflow stays with
   * the failure in its conditions (Argo's finalizer), unless forceFinalizerRemoval lets it go regardless.
   */
  private async deleteWorkflow(shard: number, uid: string, command: Extract<EngineCommand, { type: 'deleteWorkflow' }>): Promise<void> {
    if (command.artifacts) {
      const artifacts = await deleteArtifacts(this.parts.artifacts, command.namespace, command.artifacts);
      if (this.logFailures(uid, 'OnWorkflowDeletion', artifacts) && !command.forceFinalizerRemoval) {
        await this.parts.streams.append(shard, uid, { type: 'artifactsCollected', strategy: 'OnWorkflowDeletion', artifacts });
        return;
      }
    }
    await this.parts.store.deleteByUid(uid, command.namespace, command.name);
  }

  /** Logs the artifacts that could not be deleted; whether there were any. */
  private logFailures(uid: string, strategy: string, artifacts: CollectedArtifact[]): boolean {
    const failed = artifacts.filter(({ message }) => message !== undefined);
    if (failed.length > 0) this.parts.logger.warn({ uid, strategy, failed }, 'artifacts not deleted by artifactGC');
    return failed.length > 0;
  }

  private async lookUpMemo(shard: number, uid: string, command: Extract<EngineCommand, { type: 'lookupMemo' }>): Promise<void> {
    const outputs = await this.parts.memos.get(command.namespace, command.cacheName, command.key, command.maxAgeMs);
    await this.parts.streams.append(shard, uid, { type: 'memoAnswered', nodeId: command.nodeId, ...(outputs && { outputs }) });
  }

  private async readConfigMaps(shard: number, uid: string, command: Extract<EngineCommand, { type: 'readConfigMaps' }>): Promise<void> {
    const values = await readConfigMapKeys(this.parts.resources, command.namespace, command.keys);
    await this.parts.streams.append(shard, uid, { type: 'configMapsRead', nodeId: command.nodeId, values });
  }

  private async carryOut(context: BatchContext, prepared: Prepared[]): Promise<void> {
    const dispatches: WorkflowDispatch[] = [];
    const sideEffects: Promise<unknown>[] = [];
    for (const { entry, stored, fresh } of prepared) {
      const nodes: NodeDispatch<NodeJob>[] = [];
      for (const command of this.commandsOf(entry.uid, stored, fresh)) {
        if (command.type === 'dispatchNode') {
          nodes.push({ id: nodeJobId(entry.uid, command.job.nodeId, command.job.attempt), job: command.job });
        } else {
          sideEffects.push(this.carryOutSideEffect(context.shard, entry.uid, command));
        }
      }
      // Batched per workflow: a re-driven outbox makes the same jobs whatever else is in the batch.
      if (nodes.length > 0) dispatches.push({ uid: entry.uid, nodes, batches: [...nodeBatches(context.shard, nodes)] });
    }
    await Promise.all([this.dispatch(context.shard, dispatches), ...sideEffects]);
    await Promise.all(
      prepared.map(async ({ entry, stored }) => {
        if (!(await this.parts.store.clearOutbox(entry.uid, context.epoch, stored))) this.parts.logger.debug({ uid: entry.uid }, 'outbox already cleared');
      }),
    );
    for (const { entry, endedNow } of prepared) {
      const phase = entry.state.status.phase;
      if (endedNow) this.parts.metrics.finished.inc({ phase });
      if (workflowEnded(phase)) this.parts.cache.evict(entry.uid);
    }
  }

  /** The outbox's commands; a stored entry that does not parse is logged, counted and left out. */
  private *commandsOf(uid: string, stored: string[], fresh: EngineCommand[]): Iterable<EngineCommand> {
    const reloaded = stored.length - fresh.length;
    for (let i = 0; i < reloaded; i++) {
      try {
        yield outboxCommand(stored[i]!);
      } catch (error) {
        this.parts.metrics.sideEffectsDropped.inc({ command: 'unreadable' });
        this.parts.logger.error({ err: error, uid }, 'outbox entry set aside: it is not a command');
      }
    }
    yield* fresh;
  }

  /**
   * Node jobs of every workflow in one go. Should that be refused for a reason other than Redis being
   * away, each workflow's jobs go on their own, so one workflow's bad jobs hold back no other's; a
   * workflow's jobs that never go out end their nodes in Error, so the workflow does not wait for them.
   */
  private async dispatch(shard: number, dispatches: WorkflowDispatch[]): Promise<void> {
    if (dispatches.length === 0) return;
    const count = dispatches.reduce((sum, { nodes }) => sum + nodes.length, 0);
    try {
      await this.parts.pool.dispatch(dispatches.flatMap(({ batches }) => batches));
      this.parts.metrics.dispatched.inc(count);
      return;
    } catch (error) {
      this.parts.metrics.sideEffectErrors.inc({ command: 'dispatchNode' });
      if (isTransientRedisError(error)) throw error;
      this.parts.logger.warn({ err: error, shard }, 'node jobs refused; dispatching workflow by workflow');
    }
    await Promise.all(
      dispatches.map(async ({ uid, nodes, batches }) => {
        const failure = await this.withRetries(uid, 'dispatchNode', () => this.parts.pool.dispatch(batches));
        if (failure === undefined) this.parts.metrics.dispatched.inc(nodes.length);
        else await this.parts.streams.appendBatch(shard, nodes.map(({ job }) => ({ uid, event: undispatched(job, 'its job could not be enqueued') })));
      }),
    );
  }

  /**
   * Runs one command, trying again a bounded number of times; undefined when it succeeded. Redis being
   * away fails the batch (it is redone once Redis is back); any other failure, once the tries are spent,
   * is logged and counted and the command set aside (its last error returned), so it cannot stop the shard.
   */
  private async withRetries(uid: string, command: EngineCommand['type'], run: () => Promise<void>): Promise<{ error: unknown } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await run();
        return undefined;
      } catch (error) {
        this.parts.metrics.sideEffectErrors.inc({ command });
        if (!LOCAL_COMMANDS.has(command) && isTransientRedisError(error)) throw error;
        if (attempt >= ATTEMPTS) {
          this.parts.metrics.sideEffectsDropped.inc({ command });
          this.parts.logger.error({ err: error, uid, command, attempts: attempt }, 'side effect set aside after failing every try');
          return { error };
        }
        this.parts.logger.warn({ err: error, uid, command, attempt }, 'side effect failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }
}

interface WorkflowDispatch {
  uid: string;
  nodes: NodeDispatch<NodeJob>[];
  batches: NodeJobData<NodeJob>[];
}

/**
 * The event that stands in for the answer of a command set aside, so nothing waits for it forever: a
 * memo lookup is a miss (the node runs), a ConfigMap read or a lock request is refused (its node or
 * workflow ends in Error with the reason), a retry's backoff or a suspend's duration ends now. A deadline or TTL timer has no
 * stand-in: nothing waits on it (the workflow runs on without its deadline, an ended one is kept).
 */
function answerInstead(command: Exclude<EngineCommand, { type: 'dispatchNode' }>, why: string): EngineEvent | undefined {
  switch (command.type) {
    case 'lookupMemo':
      return { type: 'memoAnswered', nodeId: command.nodeId };
    case 'readConfigMaps':
      return { type: 'configMapsRead', nodeId: command.nodeId, values: [], message: `ConfigMaps could not be read: ${why}` };
    case 'acquireLocks':
      return { type: 'locksRefused', ...(command.nodeId !== undefined && { nodeId: command.nodeId }), message: `locks could not be requested: ${why}` };
    case 'scheduleEvent':
      return command.event.type === 'timerFired' ? command.event : undefined;
    default:
      return undefined;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The result that ends a node whose job never reached a worker. */
function undispatched(job: NodeJob, why: string): EngineEvent {
  return { type: 'nodeFinished', nodeId: job.nodeId, attempt: job.attempt, phase: 'Error', message: `node not started: ${why}` };
}

function withoutStatus(workflow: Workflow): Omit<Workflow, 'status'> {
  const { status: _status, ...resource } = workflow;
  return resource;
}

