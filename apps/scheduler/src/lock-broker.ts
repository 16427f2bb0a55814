// Carries out the engine's lock requests: reads each semaphore's limit from its ConfigMap (so a new
// limit applies at once), takes or queues the locks in Redis, and tells every holder granted on the
// way with an event on its workflow's shard. A janitor gives back locks whose holder is gone.
import type { LockRequest } from '@regatta/engine';
import type { ShardStreams } from '@regatta/queue';
import { nodeEnded, workflowEnded, type NodeStatus, type WorkflowStatus } from '@regatta/spec';
import { Keys, LockStore, ResourceStore, type LockHolder, type LockLimit } from '@regatta/store';
import type { Redis } from 'ioredis';

/** Where waiting order is read: higher priority first, then earlier creation (a lower score). */
function score(priority: number, createdAt: string): number {
  return -priority * 1e13 + (Date.parse(createdAt) || 0);
}

export class LockBroker {
  private readonly locks: LockStore;
  private readonly resources: ResourceStore;
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly streams: ShardStreams,
  ) {
    this.locks = new LockStore(redis, prefix);
    this.resources = new ResourceStore(redis, prefix);
    this.keys = new Keys(prefix);
  }

  async acquire(holder: LockHolder, requests: LockRequest[], priority: number, createdAt: string): Promise<void> {
    const limits = await this.limits(requests);
    if (typeof limits === 'string') return this.tell(holder, { type: 'locksRefused', ...node(holder), message: limits });
    const { acquired, granted } = await this.locks.acquire(holder, limits, score(priority, createdAt));
    await Promise.all([...(acquired ? [holder] : []), ...granted].map((h) => this.tell(h, { type: 'locksAcquired', ...node(h) })));
  }

  async release(holder: LockHolder, requests: LockRequest[]): Promise<void> {
    const limits = await this.limits(requests);
    // A lock whose limit cannot be read any more is still given back, with the last limit Redis knows.
    const names = typeof limits === 'string' ? requests.map(({ name }) => ({ name, limit: 0 })) : limits;
    const granted = await this.locks.release(holder, names.map((l) => ({ name: l.name, limit: l.limit || 1 })));
    await Promise.all(granted.map((h) => this.tell(h, { type: 'locksAcquired', ...node(h) })));
  }

  /** Gives back locks of holders that ended or were deleted, and grants waiters a raised limit lets in. */
  async sweep(): Promise<void> {
    for (const name of await this.locks.lockNames()) {
      const request: LockRequest = { name, ...configMapOf(name) };
      for (const holder of await this.locks.holders(name)) {
        if (!(await this.alive(holder))) await this.release(holder, [request]);
      }
      const limits = await this.limits([request]);
      if (typeof limits === 'string') continue;
      const granted = await this.locks.wake(limits);
      await Promise.all(granted.map((h) => this.tell(h, { type: 'locksAcquired', ...node(h) })));
    }
  }

  private async alive(holder: LockHolder): Promise<boolean> {
    const keys = this.keys.workflow(holder.uid);
    const status = await this.redis.hget(keys.record, 'status');
    if (!status) return false;
    if (holder.nodeId === undefined) return !workflowEnded((JSON.parse(status) as WorkflowStatus).phase);
    const json = await this.redis.hget(keys.nodes, holder.nodeId);
    return json !== null && !nodeEnded((JSON.parse(json) as NodeStatus).phase);
  }

  /** Limits of the requested locks: 1 for a mutex, the ConfigMap value for a semaphore. */
  private async limits(requests: LockRequest[]): Promise<LockLimit[] | string> {
    const limits: LockLimit[] = [];
    for (const { name, configMap } of requests) {
      if (!configMap) {
        limits.push({ name, limit: 1 });
        continue;
      }
      const map = await this.resources.get('ConfigMap', configMap.namespace, configMap.name);
      const value = map?.data?.[configMap.key];
      const limit = Number(value);
      if (value === undefined || !Number.isInteger(limit) || limit < 0) {
        return `failed to read the limit of semaphore ${name}: ConfigMap "${configMap.name}" in namespace "${configMap.namespace}" has no integer key "${configMap.key}"`;
      }
      limits.push({ name, limit });
    }
    return limits;
  }

  private tell(holder: LockHolder, event: unknown): Promise<void> {
    return this.streams.append(holder.shard, holder.uid, event);
  }
}

function node(holder: LockHolder): { nodeId?: string } {
  return holder.nodeId === undefined ? {} : { nodeId: holder.nodeId };
}

/** A semaphore's lock name says where its limit is: `<namespace>/ConfigMap/<name>/<key>`. */
function configMapOf(name: string): Pick<LockRequest, 'configMap'> {
  const [namespace, kind, map, ...key] = name.split('/');
  return kind === 'ConfigMap' && namespace && map ? { configMap: { namespace, name: map, key: key.join('/') } } : {};
}
