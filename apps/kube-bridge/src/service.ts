// The bridge as a long-running service: waits for its Redis, watches Workflow objects until closed.
import { loadKubeConfig } from '@regatta/executors';
import { RedisWorkflowClient } from '@regatta/client';
import { awaitRedis, type Service } from '@regatta/service';
import { connectRedis, WorkflowStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import { KubeBridge } from './bridge.js';
import type { BridgeConfig } from './config.js';
import { StatusWriter } from './status-writer.js';

export async function startBridgeService(config: BridgeConfig, logger: Logger): Promise<Service> {
  const kubeConfig = loadKubeConfig(config.kubeconfig);
  await awaitRedis(config.redisUrl, logger);
  const redis = connectRedis(config.redisUrl);
  const subscriber = connectRedis(config.redisUrl, { maxRetriesPerRequest: null });
  const store = new WorkflowStore(redis, config.prefix);
  const statusWriter = new StatusWriter(kubeConfig, subscriber, store, logger);
  const client = new RedisWorkflowClient({ redis, url: config.redisUrl, prefix: config.prefix, shards: config.shards });
  const bridge = new KubeBridge({ kubeConfig, ...(config.namespace && { namespace: config.namespace }), client, store, statusWriter, shards: config.shards, logger });
  const close = async (): Promise<void> => {
    await bridge.close();
    await statusWriter.close();
    subscriber.disconnect();
    redis.disconnect();
  };
  try {
    await bridge.start();
  } catch (error) {
    await close();
    throw error;
  }
  logger.info({ namespace: config.namespace ?? '(all)' }, 'bridging Workflow objects to Regatta');
  return { close };
}
