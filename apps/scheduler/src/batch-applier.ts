// Applies one batch of shard events: runs the engine per workflow, stores each transition with its
// outbox (fenced), carries out the outboxes (node jobs in one bulk add), clears them, and only then
// acknowledges the events. A crash at any point leaves events or outbox entries to redo, never a loss.
import { workflowEnded, type Workflow } from '@regatta/spec';
import { applyEvent, type EngineCommand, type EngineEvent } from '@regatta/engine';
import type { NodeBatch, NodeDispatch, NodePool, ShardEntry, ShardStreams, ShardTimers } from '@regatta/queue';
import { nodeBatches, nodeJobId } from '@regatta/queue';
import { StoreError, type LogStore, type MemoStore, type WorkflowStore } from '@regatta/store';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';
import type { NodeJob } from '@regatta/engine';
import type { CachedWorkflow, WorkflowCache } from './workflow-cache.js';
import type { LockBroker } from './lock-broker.js';
import type { VolumeClaims } from './scheduler.js';

export interface BatchContext {
  shard: number;
  epoch: number;
}

interface Prepared {
  entry: CachedWorkflow;
  /** Commands to carry out: reloaded ones as stored (JSON), new ones as the engine made them. */
  outbox: (string | EngineCommand)[];
  /** The workflow ended with this batch: a late event for one that had ended already does not count it again. */
  endedNow: boolean;
}

export interface StoredBatch {
  prepared: Prepared[];
  ids: string[];
}

export class BatchApplier {
  constructor(
    private readonly store: WorkflowStore,
    private readonly cache: WorkflowCache,
    private readonly streams: ShardStreams,
    private readonly pool: NodePool<NodeJob>,
    private readonly timers: ShardTimers,
    private readonly locks: LockBroker,
    private readonly memos: MemoStore,
    private readonly logs: LogStore,
    private readonly logger: Logger,
    private readonly metrics: SchedulerMetrics,
    private readonly now: () => string,
    private readonly volumeClaims: VolumeClaims | undefined,
  ) {}

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
        this.metrics.fenced.inc();
        return undefined;
      }
      this.metrics.errors.inc({ cause: 'store' });
      throw error;
    }
    return { prepared, ids: entries.map((e) => e.id) };
  }

  /** Second half: carries out the stored outboxes, then acknowledges the batch's events. */
  async finish(context: BatchContext, batch: StoredBatch): Promise<void> {
    await this.carryOut(context, batch.prepared);
    await this.streams.ack(context.shard, batch.ids);
  }

  private async transition(context: BatchContext, uid: string, events: EngineEvent[]): Promise<Prepared | undefined> {
    const entry = await this.cache.get(uid);
    if (!entry) {
      this.logger.debug({ uid }, 'events for a workflow that no longer exists');
      return undefined;
    }
    const timer = this.metrics.operationDuration.startTimer();
    const endedBefore = workflowEnded(entry.state.status.phase);
    const now = this.now();
    const commands: EngineCommand[] = [];
    for (const event of events) {
      // A loop may expand into 100,000 commands: appended one by one, not spread as arguments.
      for (const command of this.applySafely(entry, event, now)) commands.push(command);
    }
    const changes = entry.state.takeChanges();
    const encoded = commands.map((command) => JSON.stringify(command));
    if (changes.nodes.length > 0 || changes.deleted.length > 0 || changes.status || changes.spec || encoded.length > 0) {
      try {
        entry.version = await this.store.apply({
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
        // The cached state ran ahead of Redis; the events stay unacknowledged and are redone on a reload.
        this.cache.evict(uid);
        throw error;
      }
    }
    const outbox = [...entry.outbox, ...commands];
    entry.outbox = [];
    timer();
    return { entry, outbox, endedNow: !endedBefore && workflowEnded(entry.state.status.phase) };
  }

  private applySafely(entry: CachedWorkflow, event: EngineEvent, now: string): EngineCommand[] {
    try {
      const result = applyEvent(entry.state, event, now);
      if (result.refused !== undefined) {
        this.logger.info({ uid: entry.uid, event: event.type, reason: result.refused }, 'control not applied');
      } else if (result.duplicate) {
        this.metrics.duplicates.inc();
        this.logger.debug({ uid: entry.uid, event: event.type }, 'duplicate event ignored');
      } else if (event.type === 'nodeFinished') {
        this.metrics.nodes.inc({ phase: event.phase });
      }
      return result.commands;
    } catch (error) {
      // A bug must not wedge the shard: the workflow ends in Error, visibly, and keeps its nodes.
      this.logger.error({ err: error, uid: entry.uid }, 'engine failed on an event');
      this.metrics.errors.inc({ cause: 'engine' });
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
        return this.timers.schedule(shard, uid, command.event, Date.parse(command.at));
      case 'cancelNodes':
        return this.store.cancelNodes(uid, command.nodeIds);
      case 'acquireLocks':
        return this.locks.acquire(holder, command.locks, command.priority, command.createdAt);
      case 'releaseLocks':
        return this.locks.release(holder, command.locks);
      case 'lookupMemo':
        return this.lookUpMemo(shard, uid, command);
      case 'saveMemo':
        return this.memos.save(command.namespace, command.cacheName, command.key, command.nodeId, command.outputs);
      case 'deleteNodeLogs':
        return this.logs.deleteNodes(uid, command.nodeIds);
      case 'deleteVolumeClaims':
        return this.volumeClaims?.deleteWorkflowClaims(uid) ?? Promise.resolve();
      case 'deleteWorkflow':
        return this.store.deleteByUid(uid, command.namespace, command.name);
      case 'emitMetrics':
        for (const metric of command.metrics) {
          const refused = this.metrics.custom.emit(metric);
          if (refused) this.logger.warn({ uid, metric: metric.name, reason: refused }, 'custom metric not emitted');
        }
        return Promise.resolve();
    }
  }

  private async lookUpMemo(shard: number, uid: string, command: Extract<EngineCommand, { type: 'lookupMemo' }>): Promise<void> {
    const outputs = await this.memos.get(command.namespace, command.cacheName, command.key, command.maxAgeMs);
    await this.streams.append(shard, uid, { type: 'memoAnswered', nodeId: command.nodeId, ...(outputs && { outputs }) });
  }

  private async carryOut(context: BatchContext, prepared: Prepared[]): Promise<void> {
    const batches: NodeBatch<NodeJob>[] = [];
    const sideEffects: Promise<void>[] = [];
    let dispatched = 0;
    for (const { entry, outbox } of prepared) {
      const nodes: NodeDispatch<NodeJob>[] = [];
      for (const stored of outbox) {
        const command = typeof stored === 'string' ? (JSON.parse(stored) as EngineCommand) : stored;
        if (command.type === 'dispatchNode') {
          nodes.push({ id: nodeJobId(entry.uid, command.job.nodeId, command.job.attempt), job: command.job });
        } else {
          sideEffects.push(this.sideEffect(context.shard, entry.uid, command));
        }
      }
      // Batched per workflow: a re-driven outbox makes the same jobs whatever else is in the batch.
      for (const batch of nodeBatches(context.shard, nodes)) batches.push(batch);
      dispatched += nodes.length;
    }
    await Promise.all([this.pool.dispatch(batches), ...sideEffects]);
    this.metrics.dispatched.inc(dispatched);
    await Promise.all(
      prepared
        .filter(({ outbox }) => outbox.length > 0)
        .map(({ entry, outbox }) => this.store.clearOutbox(entry.uid, context.epoch, outbox.length)),
    );
    for (const { entry, endedNow } of prepared) {
      const phase = entry.state.status.phase;
      if (endedNow) this.metrics.finished.inc({ phase });
      if (workflowEnded(phase)) this.cache.evict(entry.uid);
    }
  }
}

function withoutStatus(workflow: Workflow): Omit<Workflow, 'status'> {
  const { status: _status, ...resource } = workflow;
  return resource;
}

