// One Redis connection, with the workflow client over it for the workflow commands and the stores
// for the resource commands; and what the CLI says when a Redis cannot be used, never showing its password
// (checkRedis, which says whether one can, is @regatta/service's).
import type { Redis } from 'ioredis';
import { RedisWorkflowClient, type WorkflowClient } from '@regatta/client';
import { Keys, ResourceStore, WorkflowStore, connectRedis } from '@regatta/store';
import { isAuthFailure, redisErrorCause, refusedCredentials } from '@regatta/service';
import type { CliConfig } from './config.js';

export interface Connection {
  url: string;
  redis: Redis;
  store: WorkflowStore;
  resources: ResourceStore;
  keys: Keys;
  close(): Promise<void>;
}

export function connect(url: string, prefix: string): Connection {
  const redis = connectRedis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  // A refused AUTH fails the command, whose error explainRedisError then explains, once; other errors,
  // such as a server that is down, show as they come.
  redis.on('error', (error: Error) => {
    if (isAuthFailure(error)) refusal ??= redisErrorCause(error);
    else process.stderr.write(`[ioredis] ${error.message}\n`);
  });
  const store = new WorkflowStore(redis, prefix);
  return {
    url,
    redis,
    store,
    resources: new ResourceStore(redis, prefix),
    keys: store.keys,
    close: async () => void (await redis.quit()),
  };
}

export async function withConnection(redisUrl: string, prefix: string, action: (connection: Connection) => Promise<void>): Promise<void> {
  const connection = connect(redisUrl, prefix);
  try {
    await action(connection);
  } finally {
    await connection.close();
  }
}

/** The workflow operations over `redis`, which connects to `url` (the configured Redis unless given). */
export function workflowClient(redis: Redis, config: Pick<CliConfig, 'redisUrl' | 'prefix' | 'shards'>, url = config.redisUrl): WorkflowClient {
  return new RedisWorkflowClient({ redis, url, prefix: config.prefix, shards: config.shards });
}

/** Runs `action` with the workflow operations over one connection, closed after. */
export function withClient(config: CliConfig, action: (client: WorkflowClient) => Promise<void>): Promise<void> {
  return withConnection(config.redisUrl, config.prefix, (connection) => action(workflowClient(connection.redis, config)));
}

/** What a connection of this process was told on AUTH: a Cluster's commands then fail only with "None of startup nodes is available". */
let refusal: Error | undefined;

/**
 * An error as the CLI shows it: after a refused AUTH, where credentials go. The server's words never
 * hold the password (the command's arguments, which ioredis puts on the error, are not shown).
 */
export function explainRedisError(error: Error): string {
  const refused = isAuthFailure(error) ? redisErrorCause(error) : refusal;
  return refused ? refusedCredentials(refused) : error.message;
}
