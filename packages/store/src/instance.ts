// The identity of a Redis data set: written once at first start with the shard count that every
// scheduler and submitter must agree on. Its disappearance later means Redis lost its data.
import type { Redis } from 'ioredis';
import { StoreError } from './errors.js';
import type { Keys } from './keys.js';

export interface InstanceInfo {
  id: string;
  shards: number;
}

export async function ensureInstance(redis: Redis, keys: Keys, proposal: InstanceInfo): Promise<InstanceInfo> {
  await redis.hsetnx(keys.instance, 'id', proposal.id);
  await redis.hsetnx(keys.instance, 'shards', proposal.shards);
  return readInstance(redis, keys);
}

export async function readInstance(redis: Redis, keys: Keys): Promise<InstanceInfo> {
  const [id, shards] = await redis.hmget(keys.instance, 'id', 'shards');
  if (!id || !shards) throw new StoreError('DATA_LOST', `Redis has no Regatta instance record under "${keys.instance}"`);
  return { id, shards: Number(shards) };
}

/** Fails loudly when the data set this process started with is gone (Redis restarted empty). */
export async function verifyInstance(redis: Redis, keys: Keys, expected: InstanceInfo): Promise<void> {
  const [id] = await redis.hmget(keys.instance, 'id');
  if (id !== expected.id) {
    throw new StoreError(
      'DATA_LOST',
      `Redis lost Regatta's data: instance ${expected.id} is ${id ? `replaced by ${id}` : 'gone'}. ` +
        'Restore Redis from its append-only file or snapshot; refusing to recreate state.',
    );
  }
}
