// Where a worker's nodes get their ConfigMaps and Secrets: in Kubernetes mode the API (pods get theirs
// from the kubelet through their spec; the worker reads them for HTTP headers and artifact credentials),
// otherwise the Redis stores, Secrets decrypted with the operator's key (asked for only when one is read).
import type { Redis } from 'ioredis';
import { KubeConfigSources, type ConfigSources, type KubeClient } from '@regatta/executors';
import { StoredConfigSources } from '@regatta/store';
import type { WorkerConfig } from './config.js';

export function configSourcesFor(config: Pick<WorkerConfig, 'executor' | 'prefix' | 'secretsKey'>, redis: Redis, kube: KubeClient | undefined): ConfigSources {
  if (config.executor === 'kubernetes') {
    if (!kube) throw new Error('the kubernetes executor has no API client to read ConfigMaps and Secrets with');
    return new KubeConfigSources(kube);
  }
  return new StoredConfigSources(redis, config.prefix, config.secretsKey);
}
