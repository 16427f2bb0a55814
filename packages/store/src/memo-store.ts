// Memoization caches in Redis, one hash per cache: each entry holds a node's outputs as Argo's cache
// ConfigMap entries do (node id, outputs, when stored, when last hit).
import type { NodeOutputs } from '@regatta/spec';
import { argoTime } from '@regatta/spec';
import type { Redis } from 'ioredis';
import { Keys } from './keys.js';

export interface MemoEntry {
  nodeID: string;
  outputs: NodeOutputs;
  creationTimestamp: string;
  lastHitTimestamp: string;
}

export class MemoStore {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
  }

  /** The cached outputs, unless absent or older than `maxAgeMs`; a hit is recorded on the entry. */
  async get(namespace: string, cache: string, key: string, maxAgeMs?: number): Promise<NodeOutputs | undefined> {
    const hash = this.keys.memoCache(namespace, cache);
    const json = await this.redis.hget(hash, key);
    if (!json) return undefined;
    const entry = JSON.parse(json) as MemoEntry;
    if (maxAgeMs !== undefined && Date.now() - Date.parse(entry.creationTimestamp) > maxAgeMs) return undefined;
    await this.redis.hset(hash, key, JSON.stringify({ ...entry, lastHitTimestamp: argoTime() }));
    return entry.outputs;
  }

  async save(namespace: string, cache: string, key: string, nodeID: string, outputs: NodeOutputs): Promise<void> {
    const now = argoTime();
    const entry: MemoEntry = { nodeID, outputs, creationTimestamp: now, lastHitTimestamp: now };
    await this.redis.hset(this.keys.memoCache(namespace, cache), key, JSON.stringify(entry));
  }
}
