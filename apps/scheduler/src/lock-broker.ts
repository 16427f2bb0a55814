// Carries out the engine's lock requests: reads each semaphore's limit from its ConfigMap (so a new
// limit applies at once), takes or queues the locks in Redis, and tells every holder granted on the
// way with an event on its workflow's shard. Redis keeps each grant until its holder was told, so a
// grant whose event was never written (a crash, a failed write) is told again by the sweep, which
// also gives back locks and places in line whose holder ended or was deleted.
import type { LockRequest } from '@regatta/engine';
import type { ShardStreams } from '@regatta/queue';
import { nodeEnded, workflowEnded, type NodeStatus, type WorkflowStatus } from '@regatta/spec';
import { Keys, LockStore, ResourceStore, readHolder, type LockGrants, type LockHolder, type LockLimit } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import type { Redis } from 'ioredis';

/** A grant is told again when its event was not written within this time (a normal one takes ms). */
const RETELL_AFTER_MS = 5_000;

/** Where waiting order is read: higher priority first, then earlier creation (a lower score). */
function score(priority: number, createdAt: string): number {
  return -priority * 1e13 + (Date.parse(createdAt) || 0);
}

export class LockBroker {
  private readonly locks: LockStore;
  private readonly resources: ResourceStore;
  private readonly keys: Keys;
  private sweeping?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly streams: ShardStreams,
    private readonly logger: Logger,
    private readonly retellAfterMs = RETELL_AFTER_MS,
  ) {
    this.locks = new LockStore(redis, prefix);
    this.resources = new ResourceStore(redis, prefix);
    this.keys = new Keys(prefix);
  }

  async acquire(holder: LockHolder, requests: LockRequest[], priority: number, createdAt: string): Promise<void> {
    const limits = await this.limits(requests);
    if (typeof limits === 'string') return this.streams.append(holder.shard, holder.uid, { type: 'locksRefused', ...node(holder), message: limits });
    await this.tell((await this.locks.acquire(holder, limits, score(priority, createdAt))).grants);
  }

  /** Gives back a holder's locks (or its place in line); a holder may be named by its id alone. */
  async release(holder: LockHolder | string, requests: LockRequest[]): Promise<void> {
    // A lock whose limit cannot be read any more is still given back, keeping the limit Redis knows.
    const limits = await Promise.all(
      requests.map(async (request) => {
        const limit = await this.limits([request]);
        return typeof limit === 'string' ? { name: request.name } : limit[0]!;
      }),
    );
    await this.tell(await this.locks.release(holder, limits));
  }

  /**
   * Tells grants left untold, gives back locks and places in line of holders that ended or were
   * deleted, and grants waiters a raised limit lets in. A sweep asked for while one runs joins it, so
   * slow sweeps never pile up; sweeps of several schedulers at once are safe, since each grant is
   * made once, inside the lock script, and an untold grant is taken by one sweep at a time.
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepAll().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepAll(): Promise<void> {
    // A step that fails (a lock, a grant's shard) must not keep the others from being swept.
    await this.tell(await this.locks.untold(this.retellAfterMs)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'telling lock grants again failed');
    });
    for (const name of await this.locks.lockNames()) {
      try {
        await this.sweepLock(name);
      } catch (error) {
        this.logger.warn({ err: error, lock: name }, 'sweeping a lock failed');
      }
    }
  }

  private async sweepLock(name: string): Promise<void> {
    const entries = [...(await this.locks.held(name)), ...(await this.locks.waiters(name))];
    // Read at once (one pipeline on the scheduler's connection); the dead are rare.
    const living = await Promise.all(entries.map((entry) => (entry.holder ? this.alive(entry.holder) : false)));
    for (const [i, entry] of entries.entries()) {
      if (living[i]) continue;
      if (!entry.holder) this.logger.warn({ lock: name, holder: entry.id }, 'unreadable lock holder or waiter removed');
      await this.release(entry.holder ?? entry.id, entry.locks.map(requestOf));
    }
    const limits = await this.limits([requestOf(name)]);
    if (typeof limits !== 'string') await this.tell(await this.locks.wake(limits));
  }

  /** Whether a holder's workflow (or node) is still there and not ended; unknown counts as alive. */
  private async alive(holder: LockHolder): Promise<boolean> {
    const { uid, nodeId } = holder;
    const keys = this.keys.workflow(uid);
    try {
      const status = await this.redis.hget(keys.record, 'status');
      if (!status) return false;
      if (nodeId === undefined) return !workflowEnded((JSON.parse(status) as WorkflowStatus).phase);
      const json = await this.redis.hget(keys.nodes, nodeId);
      return json !== null && !nodeEnded((JSON.parse(json) as NodeStatus).phase);
    } catch (error) {
      this.logger.warn({ err: error, holder: LockStore.holderId(holder) }, 'lock holder state unreadable, left alone');
      return true;
    }
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

  /**
   * Appends `locksAcquired` for each grant (the engine takes a second one as a no-op), then lets
   * Redis forget those written. A failed write leaves its grant for the sweep to tell again.
   */
  private async tell(grants: LockGrants): Promise<void> {
    const results = await Promise.allSettled(
      grants.entries.map(async (entry) => {
        const holder = readHolder(entry);
        if (holder) await this.streams.append(holder.shard, holder.uid, { type: 'locksAcquired', ...node(holder) });
        else this.logger.warn({ entry }, 'unreadable lock grant dropped');
        return entry;
      }),
    );
    const told = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    await this.locks.told({ at: grants.at, entries: told });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

function node(holder: LockHolder): { nodeId?: string } {
  return holder.nodeId === undefined ? {} : { nodeId: holder.nodeId };
}

/** A lock as the engine asks for it; a semaphore's name says where its limit is: `<namespace>/ConfigMap/<name>/<key>`. */
function requestOf(name: string): LockRequest {
  const [namespace, kind, map, ...key] = name.split('/');
  return kind === 'ConfigMap' && namespace && map ? { name, configMap: { namespace, name: map, key: key.join('/') } } : { name };
}
