// Writes Regatta's state of each followed workflow to its Workflow object's status subresource: one Redis
// subscriber for all of them (each stored transition publishes on the workflow's updates channel), at
// most one write per workflow per interval, the last state always written, and none after it ended.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import { workflowEnded, type WorkflowStatus } from '@regatta/spec';
import type { WorkflowStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';

/** A Workflow object, as the bridge names it. */
export interface WorkflowObjectRef {
  namespace: string;
  name: string;
  uid: string;
}

const GROUP = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;

/** What the object's status shows of Regatta's: Argo's fields; templates copied at submission stay in Regatta. */
export function objectStatus(status: WorkflowStatus): Omit<WorkflowStatus, 'storedTemplates'> {
  const { storedTemplates: _copied, ...shown } = status;
  return shown;
}

export class StatusWriter {
  private readonly api: CustomObjectsApi;
  private readonly followed = new Map<string, WorkflowObjectRef>();
  /** The uid of each subscribed updates channel. */
  private readonly uidByChannel = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    kubeConfig: KubeConfig,
    private readonly subscriber: Redis,
    private readonly store: WorkflowStore,
    private readonly logger: Logger,
    private readonly intervalMs = 250,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    subscriber.on('message', (channel: string) => {
      const uid = this.uidByChannel.get(channel);
      if (uid !== undefined) this.markDirty(uid);
    });
  }

  isFollowing(uid: string): boolean {
    return this.followed.has(uid);
  }

  /** Follows the workflow `ref.uid` (Regatta's uid is the object's) until it ends; writes its state now. */
  async follow(ref: WorkflowObjectRef): Promise<void> {
    if (this.followed.has(ref.uid)) return;
    this.followed.set(ref.uid, ref);
    const channel = this.store.keys.workflow(ref.uid).updates;
    this.uidByChannel.set(channel, ref.uid);
    // Subscribed before the first read, so no change between the two is missed.
    await this.subscriber.subscribe(channel);
    this.markDirty(ref.uid);
  }

  async unfollow(uid: string): Promise<void> {
    if (!this.followed.delete(uid)) return;
    this.dirty.delete(uid);
    const channel = this.store.keys.workflow(uid).updates;
    this.uidByChannel.delete(channel);
    await this.subscriber.unsubscribe(channel);
  }

  /** Writes `status` on the object, only while it is still the one of `ref.uid` (not a namesake made since). */
  async write(ref: WorkflowObjectRef, status: object): Promise<void> {
    await this.api.patchNamespacedCustomObjectStatus({
      ...GROUP,
      namespace: ref.namespace,
      name: ref.name,
      body: [
        { op: 'test', path: '/metadata/uid', value: ref.uid },
        { op: 'add', path: '/status', value: status },
      ],
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    for (const uid of [...this.followed.keys()]) await this.unfollow(uid).catch(() => undefined);
  }

  private markDirty(uid: string): void {
    this.dirty.add(uid);
    if (this.timer === undefined && this.flushing === undefined) this.timer = setTimeout(() => void this.flush(), this.intervalMs);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const uids = [...this.dirty];
    this.dirty.clear();
    this.flushing = Promise.all(uids.map((uid) => this.writeCurrent(uid))).then(() => undefined);
    await this.flushing;
    this.flushing = undefined;
    if (this.dirty.size > 0) this.timer = setTimeout(() => void this.flush(), this.intervalMs);
  }

  private async writeCurrent(uid: string): Promise<void> {
    const ref = this.followed.get(uid);
    if (!ref) return;
    try {
      const stored = await this.store.load(uid);
      if (!stored) {
        await this.unfollow(uid);
        return;
      }
      const { status } = stored.workflow;
      await this.write(ref, objectStatus(status));
      if (workflowEnded(status.phase)) await this.unfollow(uid);
    } catch (error) {
      // Written again at the next change, or at the next resync of the watch.
      this.logger.warn({ namespace: ref.namespace, name: ref.name, reason: (error as Error).message }, 'could not write the workflow status');
    }
  }
}
