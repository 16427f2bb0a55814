// Live workflows for every watcher of this server over ONE Redis subscriber connection: a workflow
// watched by any number of streams is followed once (one WorkflowView: its whole node hash read
// once, then only the nodes each transition names), and each update is handed to every watcher.
// Namespace watchers learn of workflows they do not follow yet from a pattern subscription.
import type { Redis } from 'ioredis';
import { WorkflowView, type WorkflowUpdate } from '@regatta/client';
import { connectRedis, type WorkflowStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';

/** An update, or undefined once the workflow was deleted (no more updates come then). */
export type WatchListener = (update: WorkflowUpdate | undefined) => void;

interface Followed {
  view: WorkflowView;
  listeners: Set<WatchListener>;
  latest?: WorkflowUpdate['stored'];
  wake?: () => void;
}

export class WatchHub {
  private subscriber: Redis | undefined;
  private readonly followed = new Map<string, Followed>();
  private readonly namespaceListeners = new Map<string, Set<(uid: string) => void>>();
  private readonly namespaceOf = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly redisUrl: string,
    private readonly store: WorkflowStore,
    private readonly logger: Logger,
    /** Updates of one workflow come at most this often, however fast it changes. */
    private readonly intervalMs = 150,
    /**
     * And at most this often per watcher of it: with 1,000 watchers, every 500 ms. Each update is a
     * write to every watcher's socket; fewer, larger updates keep a crowd of watchers from taking
     * the CPU the workflow's own scheduler and workers need.
     */
    private readonly perWatcherMs = 0.5,
  ) {}

  /** Calls `listener` with the whole workflow first, then with each update; returns the way to stop. */
  async watch(uid: string, listener: WatchListener): Promise<() => void> {
    let entry = this.followed.get(uid);
    if (!entry) {
      entry = { view: new WorkflowView(this.store, uid), listeners: new Set([listener]) };
      this.followed.set(uid, entry);
      // Subscribed before the first read, so no change between the two is missed.
      await this.connection().subscribe(this.channelOf(uid));
      void this.follow(uid, entry);
    } else {
      if (entry.latest) listener({ stored: entry.latest });
      entry.listeners.add(listener);
    }
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0) entry.wake?.();
    };
  }

  /** Calls `onWorkflow` with the uid of each workflow of `namespace` that changes from now on. */
  async watchNamespace(namespace: string, onWorkflow: (uid: string) => void): Promise<() => void> {
    let listeners = this.namespaceListeners.get(namespace);
    if (!listeners) this.namespaceListeners.set(namespace, (listeners = new Set()));
    if (this.namespaceListeners.size === 1 && listeners.size === 0) await this.connection().psubscribe(this.channelOf('*'));
    listeners.add(onWorkflow);
    return () => {
      listeners.delete(onWorkflow);
      if (listeners.size === 0) this.namespaceListeners.delete(namespace);
      if (this.namespaceListeners.size > 0) return;
      this.namespaceOf.clear();
      void this.subscriber?.punsubscribe(this.channelOf('*')).catch(() => {});
    };
  }

  close(): void {
    this.closed = true;
    for (const entry of this.followed.values()) entry.wake?.();
    this.subscriber?.disconnect();
  }

  private channelOf(uid: string): string {
    return this.store.keys.workflow(uid).updates;
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = connectRedis(this.redisUrl, { maxRetriesPerRequest: null });
    subscriber.on('error', (error: Error) => this.logger.warn({ err: { message: error.message } }, 'watch subscriber error'));
    subscriber.on('message', (channel: string, message: string) => this.onNotice(channel, message));
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => this.onPatternNotice(channel, message));
    subscriber.on('message', (channel: string, message: string) => channel === this.store.keys.cancellations && this.onDeleted(message));
    void subscriber.subscribe(this.store.keys.cancellations).catch(() => {});
    // After a reconnect notices may have been lost: every followed workflow is read whole again.
    subscriber.on('ready', () => {
      for (const entry of this.followed.values()) {
        if (!entry.latest) continue;
        entry.view.invalidate();
        entry.wake?.();
      }
    });
    return (this.subscriber = subscriber);
  }

  private uidOfChannel(channel: string): string | undefined {
    const match = /\{wf:([^}]+)\}:updates$/.exec(channel);
    return match?.[1];
  }

  private onNotice(channel: string, message: string): void {
    const uid = this.uidOfChannel(channel);
    const entry = uid === undefined ? undefined : this.followed.get(uid);
    if (!entry) return;
    entry.view.notice(message);
    entry.wake?.();
  }

  private onPatternNotice(channel: string, _message: string): void {
    const uid = this.uidOfChannel(channel);
    if (uid === undefined) return;
    void this.namespaceFor(uid).then((namespace) => {
      for (const listener of (namespace && this.namespaceListeners.get(namespace)) || []) listener(uid);
    });
  }

  private onDeleted(message: string): void {
    let uid: string | undefined;
    try {
      uid = (JSON.parse(message) as { uid?: string }).uid;
    } catch {
      return;
    }
    const entry = uid === undefined ? undefined : this.followed.get(uid);
    if (!entry) return;
    entry.view.invalidate();
    entry.wake?.();
  }

  private async namespaceFor(uid: string): Promise<string | undefined> {
    const known = this.namespaceOf.get(uid);
    if (known !== undefined) return known;
    const head = await this.store.loadWithNodes(uid, []);
    const namespace = head?.workflow.metadata.namespace;
    if (namespace !== undefined) this.namespaceOf.set(uid, namespace);
    return namespace;
  }

  private async follow(uid: string, entry: Followed): Promise<void> {
    try {
      while (!this.closed) {
        if (!entry.view.pending) await new Promise<void>((resolve) => (entry.wake = resolve));
        entry.wake = undefined;
        if (this.closed || entry.listeners.size === 0) break;
        const update = await entry.view.refresh();
        entry.latest = update?.stored;
        for (const listener of entry.listeners) listener(update);
        if (!update) break;
        await new Promise((resolve) => setTimeout(resolve, Math.max(this.intervalMs, entry.listeners.size * this.perWatcherMs)));
      }
    } catch (error) {
      this.logger.warn({ err: error, uid }, 'following a workflow failed');
      for (const listener of entry.listeners) listener(undefined);
    } finally {
      // A watcher may have joined while the last one left: it is followed on.
      if (entry.listeners.size > 0 && entry.latest && !this.closed) void this.follow(uid, entry);
      else {
        this.followed.delete(uid);
        void this.subscriber?.unsubscribe(this.channelOf(uid)).catch(() => {});
      }
    }
  }
}
