// ONE list+watch per worker over the pods Regatta made (by label), however many nodes it runs: a
// cache by namespace/name, and callbacks for the pods a run waits on. It lists, then watches from the
// list's resourceVersion (bookmarks keep it fresh); a watch that ends is resumed from the last version
// seen, after a backoff where it failed; 410 Gone (the version is too old) makes it list again, and
// the differences (pods deleted meanwhile included) reach the callbacks as events.
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { backoffMs, statusCode } from './api-retry.js';
import type { KubeClient } from './kube-client.js';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type PodListener = (type: PodEventType, pod: V1Pod) => void;

export interface PodInformerOptions {
  /** Watch one namespace; all of them where unset (the worker's service account then needs a ClusterRole). */
  namespace?: string;
  labelSelector: string;
  /** Page size of a list. */
  pageSize?: number;
  warn?: (message: string) => void;
}

class WatchExpired extends Error {}

export class PodInformer {
  private readonly pods = new Map<string, V1Pod>();
  private readonly listeners = new Map<string, Set<PodListener>>();
  private resourceVersion = '';
  private watch?: AbortController;
  private closed = false;
  private started?: Promise<void>;
  private failures = 0;
  /** How many full lists and watch requests it made: for tests and metrics. */
  readonly counts = { lists: 0, watches: 0 };

  constructor(
    private readonly client: KubeClient,
    private readonly options: PodInformerOptions,
  ) {}

  /** Lists once (the cache is then synced) and keeps watching; idempotent. A failed first list is tried again by the next call. */
  start(): Promise<void> {
    this.started ??= this.list().then(
      () => void this.startWatch().catch((error: unknown) => this.resume(error)),
      (error: unknown) => {
        this.started = undefined;
        throw error;
      },
    );
    return this.started;
  }

  get(namespace: string, name: string): V1Pod | undefined {
    return this.pods.get(key(namespace, name));
  }

  /** Calls `listener` with every change to the pod `namespace/name` until the returned function is called. */
  subscribe(namespace: string, name: string, listener: PodListener): () => void {
    const id = key(namespace, name);
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  close(): void {
    this.closed = true;
    this.watch?.abort();
  }

  private async list(): Promise<void> {
    this.counts.lists++;
    const seen = new Map<string, V1Pod>();
    let page: string | undefined;
    let version = '';
    do {
      const { namespace, labelSelector, pageSize = 500 } = this.options;
      const list = await this.client.call((core) =>
        namespace
          ? core.listNamespacedPod({ namespace, labelSelector, limit: pageSize, _continue: page })
          : core.listPodForAllNamespaces({ labelSelector, limit: pageSize, _continue: page }),
      );
      for (const pod of list.items) seen.set(key(pod.metadata!.namespace!, pod.metadata!.name!), pod);
      page = list.metadata?._continue || undefined;
      version = list.metadata?.resourceVersion ?? version;
    } while (page);
    for (const [id, pod] of this.pods) if (!seen.has(id)) this.apply('DELETED', pod);
    for (const pod of seen.values()) this.apply(this.pods.has(key(pod.metadata!.namespace!, pod.metadata!.name!)) ? 'MODIFIED' : 'ADDED', pod);
    this.resourceVersion = version;
  }

  private apply(type: PodEventType, pod: V1Pod): void {
    const id = key(pod.metadata!.namespace!, pod.metadata!.name!);
    const cached = this.pods.get(id);
    if (type === 'DELETED') this.pods.delete(id);
    else if (cached?.metadata?.resourceVersion === pod.metadata?.resourceVersion && type === 'MODIFIED') return;
    else this.pods.set(id, pod);
    for (const listener of this.listeners.get(id) ?? []) listener(type, pod);
  }

  private async startWatch(): Promise<void> {
    if (this.closed) return;
    const { namespace, labelSelector } = this.options;
    const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods';
    let expired = false;
    await this.client.throttle();
    this.counts.watches++;
    this.watch = await new Watch(this.client.config).watch(
      path,
      // The server ends a watch after timeoutSeconds, so that a connection silently lost is noticed.
      { labelSelector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 240 + Math.floor(Math.random() * 120) },
      (type: string, object: V1Pod & { code?: number; message?: string }) => {
        if (type === 'ERROR') {
          expired ||= object.code === 410;
          if (!expired) this.options.warn?.(`pod watch: ${object.message ?? 'error event'}`);
          this.watch?.abort();
          return;
        }
        this.failures = 0;
        if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.apply(type, object);
      },
      (error: unknown) => void this.resume(expired || statusCode(error) === 410 ? new WatchExpired() : error),
    );
  }

  /** After a watch ends: again at once where the server closed it, after a backoff where it failed, from a new list where it expired. */
  private async resume(error: unknown): Promise<void> {
    while (!this.closed) {
      try {
        if (error) {
          if (!(error instanceof WatchExpired)) this.options.warn?.(`pod watch failed, resuming: ${(error as Error).message ?? error}`);
          await new Promise((resolve) => setTimeout(resolve, backoffMs(this.failures++)));
          if (this.closed) return;
          if (error instanceof WatchExpired) await this.list();
        }
        await this.startWatch();
        return;
      } catch (failure) {
        error = statusCode(failure) === 410 ? new WatchExpired() : failure;
      }
    }
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
