// Everything a route needs, made once at start and handed to each routes file: one shared Redis
// connection with the stores and the workflow client over it. Routes never read configuration.
import type { Redis } from 'ioredis';
import type { ArtifactStore } from '@regatta/artifacts';
import { storedArtifactStore } from '@regatta/client/stored-artifact-store';
import type { WorkflowArchive } from '@regatta/archive';
import { RedisWorkflowClient, type WorkflowClient } from '@regatta/client';
import { connectRedis, CronStore, Keys, ResourceStore, WorkflowStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import type { AuthMode } from './auth/authorize.js';
import type { EventQueueOptions } from './event-queue.js';
import { TokenStore } from './auth/token-store.js';

export interface ServerResources {
  /** The shared command connection. Never block it (SUBSCRIBE, XREAD BLOCK): open your own with connectRedis(redisUrl). */
  redis: Redis;
  /** Where `redis` connects (credentials included: never log it). */
  redisUrl: string;
  prefix: string;
  shards: number;
  keys: Keys;
  /** The workflow operations (Argo's WorkflowService) over Redis. */
  client: WorkflowClient;
  workflowStore: WorkflowStore;
  /** WorkflowTemplates, ClusterWorkflowTemplates, CronWorkflows, ConfigMaps. */
  resourceStore: ResourceStore;
  cronStore: CronStore;
  tokens: TokenStore;
  authMode: AuthMode;
  logger: Logger;
  /** The events endpoint's queue (Argo's --event-operation-queue-size and --event-worker-count); 64 and 4 when absent. */
  eventQueue?: EventQueueOptions;
  /** The workflow archive (ARCHIVE_DATABASE_URL); the archived-workflows paths answer 501 without it. */
  archive?: WorkflowArchive;
  /** The artifact stores, for downloads; credentials read from the Secrets of the workflow's namespace. */
  artifacts: ArtifactStore;
}

export interface ResourceOptions {
  redisUrl: string;
  prefix: string;
  shards: number;
  authMode: AuthMode;
  logger: Logger;
  /** The local artifact store's folder; without it, artifacts with a bare key cannot be downloaded. */
  artifactsDir?: string;
  /** Where REGATTA_SECRETS_KEY(_FILE) are read (none: stores needing credentials refuse, naming the variable). */
  secretsEnv?: NodeJS.ProcessEnv;
}

/** Opens the connection and builds the stores over it; `close` closes what this opened. */
export function openServerResources(options: ResourceOptions): ServerResources & { close(): Promise<void> } {
  const redis = connectRedis(options.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  redis.on('error', (error: Error) => options.logger.warn({ err: { message: error.message } }, 'redis connection error'));
  const workflowStore = new WorkflowStore(redis, options.prefix);
  // Downloads read through it, and DELETE removes a workflow's OnWorkflowDeletion artifacts with it.
  const artifacts = storedArtifactStore({ redis, prefix: options.prefix, localRoot: options.artifactsDir, env: options.secretsEnv ?? {} });
  return {
    redis,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    shards: options.shards,
    keys: workflowStore.keys,
    client: new RedisWorkflowClient({
      redis,
      url: options.redisUrl,
      prefix: options.prefix,
      shards: options.shards,
      artifacts,
    }),
    workflowStore,
    resourceStore: new ResourceStore(redis, options.prefix),
    cronStore: new CronStore(redis, options.prefix),
    tokens: new TokenStore(redis, options.prefix),
    authMode: options.authMode,
    logger: options.logger,
    artifacts,
    close: async () => void (await redis.quit()),
  };
}
