// One Redis connection and the stores over it, for commands that read or write workflows and the
// resources they refer to.
import type { Redis } from 'ioredis';
import { Keys, LogStore, ResourceStore, WorkflowStore, connectRedis } from '@regatta/store';

export interface Connection {
  url: string;
  redis: Redis;
  store: WorkflowStore;
  resources: ResourceStore;
  logs: LogStore;
  keys: Keys;
  close(): Promise<void>;
}

export function connect(url: string, prefix: string): Connection {
  const redis = connectRedis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const store = new WorkflowStore(redis, prefix);
  return {
    url,
    redis,
    store,
    resources: new ResourceStore(redis, prefix),
    logs: new LogStore(redis, store.keys),
    keys: store.keys,
    close: async () => void (await redis.quit()),
  };
}

export async function requireUid(connection: Connection, namespace: string, name: string): Promise<string> {
  const uid = await connection.store.uidOf(namespace, name);
  if (!uid) throw new Error(`workflow "${name}" not found in namespace "${namespace}"`);
  return uid;
}

export async function withConnection(redisUrl: string, prefix: string, action: (connection: Connection) => Promise<void>): Promise<void> {
  const connection = connect(redisUrl, prefix);
  try {
    await action(connection);
  } finally {
    await connection.close();
  }
}
