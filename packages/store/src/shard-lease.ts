// Shard ownership for schedulers: a lease per shard with an epoch that grows on every grant, so the
// workflow store can refuse writes from a holder whose lease has passed to someone else.
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export class ShardLease {
  private readonly script: ScriptCaller;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    readonly owner: string,
    readonly durationMs: number,
  ) {
    this.script = registerScripts(redis);
  }

  /** The epoch when the owner holds the shard now (new grant or renewal), else 0. */
  async acquire(shard: number): Promise<number> {
    const { lease, epoch } = this.keys.shard(shard);
    return Number(await this.script('acquireLease', [lease, epoch], [this.owner, this.durationMs]));
  }

  async renew(shard: number, epoch: number): Promise<boolean> {
    return Number(await this.script('renewLease', [this.keys.shard(shard).lease], [this.owner, epoch, this.durationMs])) === 1;
  }

  /** Says this owner is alive for another lease period (0: gone); returns how many owners are alive. */
  async heartbeat(alive: boolean): Promise<number> {
    return Number(await this.script('heartbeatScheduler', [this.keys.schedulers], [this.owner, alive ? this.durationMs : 0]));
  }

  async release(shard: number, epoch: number): Promise<void> {
    await this.script('releaseLease', [this.keys.shard(shard).lease], [this.owner, epoch]);
  }
}
