// How commands reach Regatta: the workflow client (openClient, the one place a command gets it), and
// one Redis connection with the stores for the resource commands; and what the CLI says when a Redis
// cannot be used, never showing its password. The Redis client, stores and workflow client load on
// first use, not when a command module is loaded (see catalog.ts).
import type { Redis } from 'ioredis';
import type { WorkflowClient } from '@regatta/client';
import type { Keys, ResourceStore, WorkflowStore } from '@regatta/store';
import type { CliConfig } from './config.js';

export interface Connection {
  url: string;
  redis: Redis;
  store: WorkflowStore;
  resources: ResourceStore;
  keys: Keys;
  close(): Promise<void>;
}

export async function connect(url: string, prefix: string): Promise<Connection> {
  const { connectRedis, ResourceStore, WorkflowStore } = await import('@regatta/store');
  const redis = connectRedis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  // A refused AUTH fails the command, whose error explainRedisError then explains, once; other errors,
  // such as a server that is down, show as they come.
  redis.on('error', (error: Error) => {
    if (isAuthFailure(error)) refusal ??= causeOf(error);
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
  const connection = await connect(redisUrl, prefix);
  try {
    await action(connection);
  } finally {
    await connection.close();
  }
}

/** The workflow operations over `redis`, which connects to `url` (the configured Redis unless given). */
export async function workflowClient(redis: Redis, config: Pick<CliConfig, 'redisUrl' | 'prefix' | 'shards'>, url = config.redisUrl): Promise<WorkflowClient> {
  // The Redis transport alone: the submission checks and shard streams load when a command needs them.
  const { RedisWorkflowClient } = await import('@regatta/client/redis');
  return new RedisWorkflowClient({ redis, url, prefix: config.prefix, shards: config.shards });
}

export interface OpenClient {
  client: WorkflowClient;
  close(): Promise<void>;
}

/**
 * The workflow client of a command that works on the configured Regatta: every such command gets it
 * here, so that one change makes them all talk to a server instead of Redis.
 */
export async function openClient(config: CliConfig): Promise<OpenClient> {
  const connection = await connect(config.redisUrl, config.prefix);
  return { client: await workflowClient(connection.redis, config), close: connection.close };
}

/** Runs `action` with the workflow client (openClient), closed after. */
export async function withClient<T>(config: CliConfig, action: (client: WorkflowClient) => Promise<T>): Promise<T> {
  const { client, close } = await openClient(config);
  try {
    return await action(client);
  } finally {
    await close();
  }
}

/** Redis 6+ says WRONGPASS or NOAUTH; Redis 5 `ERR invalid password`. */
const AUTH_FAILURE = /^(WRONGPASS|NOAUTH)\b|^ERR invalid password/;
const causeOf = (error: Error) => (error as { lastNodeError?: Error }).lastNodeError ?? error;
const isAuthFailure = (error: Error) => AUTH_FAILURE.test(causeOf(error).message);
/** What a connection of this process was told on AUTH: a Cluster's commands then fail only with "None of startup nodes is available". */
let refusal: Error | undefined;

/**
 * An error as the CLI shows it: after a refused AUTH, where credentials go. The server's words never
 * hold the password (the command's arguments, which ioredis puts on the error, are not shown).
 */
export function explainRedisError(error: Error): string {
  const refused = isAuthFailure(error) ? causeOf(error) : refusal;
  if (!refused) return error.message;
  return `Redis refused the credentials (${refused.message}): give them in REDIS_URL (redis://user:password@host:port) or as REDIS_USERNAME and REDIS_PASSWORD`;
}

/**
 * Resolves once a Redis (or a Redis Cluster) at `url` answers PING; rejects with a message naming the
 * address (redacted) and the last error: at once when the credentials are refused, else after
 * `timeoutMs` of retrying (a Redis starting beside the service gets that long). Waits for the client's
 * `ready` event, not only on `connect()`: a Cluster whose ready check fails (a cluster still forming
 * reports `cluster_state:fail`) reconnects by itself, but the promise of its first `connect()` then
 * never settles.
 */
export async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const [{ connectRedis }, { redactUrl }] = await Promise.all([import('@regatta/store'), import('@regatta/telemetry')]);
  const client = connectRedis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  let lastError: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      client.on('error', (error: Error) => {
        lastError = error;
        if (isAuthFailure(error)) resolve(false);
      });
      client.once('ready', () => resolve(true));
      client.connect().catch(() => {});
    });
    if (ready && (await client.ping()) === 'PONG') return;
  } catch (error) {
    lastError = error as Error;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
  const reason = lastError ? explainRedisError(lastError) : `no answer within ${timeoutMs} ms`;
  throw new RedisUnusableError(`cannot use the Redis at ${redactUrl(url)}: ${reason}`, lastError !== undefined && isAuthFailure(lastError));
}

/** Why checkRedis gave up; `credentialsRefused` tells a misconfiguration from a Redis that is down. */
export class RedisUnusableError extends Error {
  constructor(
    message: string,
    readonly credentialsRefused: boolean,
  ) {
    super(message);
  }
}
