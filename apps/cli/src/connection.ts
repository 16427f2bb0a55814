// How commands reach Regatta: the workflow client (openClient, the one place a command gets it), and
// one Redis connection with the stores for the resource commands; and what the CLI says when a Redis
// cannot be used, never showing its password (checkRedis, which says whether one can, is
// @regatta/service's). The Redis client, stores and workflow client load on first use, not when a
// command module is loaded (see catalog.ts).
import type { Redis } from 'ioredis';
import type { WorkflowClient } from '@regatta/client';
import type { Keys, ResourceStore, WorkflowStore } from '@regatta/store';
import type { CliConfig } from './config.js';
import type { ServerSettings } from './server-settings.js';

export interface Connection {
  url: string;
  redis: Redis;
  store: WorkflowStore;
  resources: ResourceStore;
  keys: Keys;
  close(): Promise<void>;
}

export async function connect(url: string, prefix: string): Promise<Connection> {
  const [{ connectRedis, ResourceStore, WorkflowStore }, { isAuthFailure, redisErrorCause }] = await Promise.all([import('@regatta/store'), import('@regatta/service/redis-errors')]);
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
    // QUIT goes to the offline queue of a connection that is not ready (one refused AUTH is reconnecting),
    // and reconnecting to send it is refused again, forever: such a connection is dropped instead.
    close: async () => (redis.status === 'ready' ? void (await redis.quit()) : redis.disconnect()),
  };
}

/** A command that reaches Redis itself (not yet the server's paths) refuses server mode, rather than quietly use Redis. */
export function refuseServerMode(config: Pick<CliConfig, 'server'>): void {
  if (config.server) {
    throw new Error(`this command is not available in server mode yet: it needs Redis, and --server, REGATTA_SERVER or the config file named the server ${config.server.url}; run it without one`);
  }
}

/** Runs `action` with the configured Redis (local mode only, see refuseServerMode). */
export async function withConnection(config: Pick<CliConfig, 'redisUrl' | 'prefix' | 'server'>, action: (connection: Connection) => Promise<void>): Promise<void> {
  refuseServerMode(config);
  const connection = await connect(config.redisUrl, config.prefix);
  try {
    await action(connection);
  } finally {
    await connection.close();
  }
}

/** The workflow operations over `redis`, which connects to `url` (the configured Redis unless given). */
export async function workflowClient(redis: Redis, config: Pick<CliConfig, 'redisUrl' | 'prefix' | 'shards' | 'artifactsDir'>, url = config.redisUrl): Promise<WorkflowClient> {
  // The Redis transport alone: the submission checks, shard streams and artifact stores load when a command needs them.
  const [{ RedisWorkflowClient }, { storedArtifactDeleter }] = await Promise.all([import('@regatta/client/redis'), import('@regatta/client/stored-artifact-deleter')]);
  const artifacts = storedArtifactDeleter({ redis, prefix: config.prefix, localRoot: config.artifactsDir, env: process.env });
  return new RedisWorkflowClient({ redis, url, prefix: config.prefix, shards: config.shards, artifacts });
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
  if (config.server) return { client: await httpClient(config.server), close: async () => {} };
  const connection = await connect(config.redisUrl, config.prefix);
  return { client: await workflowClient(connection.redis, config), close: connection.close };
}

async function httpClient({ url, token, insecureSkipVerify }: ServerSettings): Promise<WorkflowClient> {
  trustAnyCertificate(insecureSkipVerify);
  const { HttpWorkflowClient } = await import('@regatta/client/http');
  return new HttpWorkflowClient({ baseUrl: url, ...(token && { token }) });
}

/** fetch takes no TLS options a request: with --insecure-skip-verify this process accepts any certificate, as asked. */
function trustAnyCertificate(insecure: boolean): void {
  if (insecure) process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}

/** Where the template commands (and cron list/get) find their resources: the server in server mode, else Redis. */
export type StoredResources = Pick<ResourceStore, 'create' | 'apply' | 'get' | 'list' | 'delete'>;

/** Runs `action` with the stored WorkflowTemplates, ClusterWorkflowTemplates and CronWorkflows (the server's in server mode). */
export async function withStoredResources(config: CliConfig, action: (resources: StoredResources) => Promise<void>): Promise<void> {
  if (!config.server) return withConnection(config, ({ resources }) => action(resources));
  const { url, token, insecureSkipVerify } = config.server;
  trustAnyCertificate(insecureSkipVerify);
  const { HttpResourceClient } = await import('@regatta/client/http-resources');
  // Only the served kinds reach it: the commands that use it name no others.
  return action(new HttpResourceClient({ baseUrl: url, ...(token && { token }) }) as unknown as StoredResources);
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

/**
 * An error as the CLI shows it: in server mode, a refused token or a server that cannot be reached
 * says so (never the token); otherwise as explainRedisError words it.
 */
export async function explainError(error: Error, server: ServerSettings | undefined): Promise<string> {
  if (server && error.name === 'HttpStatusError' && (error as Error & { status: number }).status === 401) {
    return `${error.message}\nthe server ${server.url} refused the token: give a valid one with --token, REGATTA_TOKEN or the config file (regatta auth token create)`;
  }
  if (server && error instanceof TypeError && error.message === 'fetch failed') {
    return `cannot reach the server ${server.url}: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  }
  return explainRedisError(error);
}

/** What a connection of this process was told on AUTH: a Cluster's commands then fail only with "None of startup nodes is available". */
let refusal: Error | undefined;

/**
 * An error as the CLI shows it: after a refused AUTH, where credentials go. The server's words never
 * hold the password (the command's arguments, which ioredis puts on the error, are not shown).
 */
export async function explainRedisError(error: Error): Promise<string> {
  const { isAuthFailure, redisErrorCause, refusedCredentials } = await import('@regatta/service/redis-errors');
  const refused = isAuthFailure(error) ? redisErrorCause(error) : refusal;
  return refused ? refusedCredentials(refused) : error.message;
}
