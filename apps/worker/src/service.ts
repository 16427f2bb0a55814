// A worker as a service: it waits for Redis, then takes node jobs (and serves /metrics when asked)
// until closed; closing lets running nodes finish within the shutdown grace. `regatta-worker` and
// `regatta worker` (and `regatta run`, in process) start it here.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@regatta/artifacts';
import { DataExecutor, HttpExecutor, KubeClient, LocalExecutor, NoopExecutor, ResourceExecutor, RoutingExecutor, secretSourceOf, type Executor } from '@regatta/executors';
import { awaitRedis, serveMetricsBeside, type Service } from '@regatta/service';
import { connectRedis, Keys, redisFactory } from '@regatta/store';
import type { Redis } from 'ioredis';
import { WorkerMetrics, type Logger } from '@regatta/telemetry';
import type { ExecutorName, WorkerConfig } from './config.js';
import { configSourcesFor } from './config-sources.js';
import { createKubernetesExecutor } from './kubernetes-executor.js';
import { Worker } from './worker.js';

/** `redis` (connected on first use) holds the ConfigMaps and Secrets of local mode, which artifact stores' credentials are read from too. */
function createExecutor(name: ExecutorName, logger: Logger, config: WorkerConfig, redis: Redis): Executor {
  if (name === 'noop') return new NoopExecutor();
  const { artifactsDir, volumesDir, httpEgress, kubernetes } = config;
  const kubeExecutor = name === 'kubernetes' ? createKubernetesExecutor(kubernetes, logger) : undefined;
  // Resource templates call the API as the worker: the kubernetes executor's client, else, in local mode, one for a configured kubeconfig.
  const kube = kubeExecutor?.client ?? (kubernetes.kubeconfig ? new KubeClient(kubernetes) : undefined);
  const sources = configSourcesFor(config, redis, kube);
  const artifacts = new ArtifactStore({ localRoot: artifactsDir, secrets: secretSourceOf(sources) });
  const containers = kubeExecutor ?? new LocalExecutor({ workDir: join(tmpdir(), 'regatta-nodes'), artifacts, volumesDir, sources, warn: (message) => logger.warn(message) });
  return new RoutingExecutor(containers, new HttpExecutor({ egress: httpEgress, sources }), new DataExecutor(artifacts), new ResourceExecutor(kube));
}

export async function startWorkerService(config: WorkerConfig, logger: Logger): Promise<Service> {
  await awaitRedis(config.redisUrl, logger);
  const metrics = config.metricsPort === undefined ? undefined : new WorkerMetrics();
  const sourcesRedis = connectRedis(config.redisUrl, { lazyConnect: true });
  // A Redis outage is the worker's to ride out (its other connections reconnect too): said once per error, never unhandled.
  sourcesRedis.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'redis connection error (ConfigMaps and Secrets)'));
  const executor = createExecutor(config.executor, logger, config, sourcesRedis);
  const worker = new Worker({
    connect: redisFactory(config.redisUrl),
    keys: new Keys(config.prefix),
    logger,
    executor,
    metrics,
    config: { concurrency: config.concurrency, lockDurationMs: config.nodeLockMs, logLimits: config.logLimits, shutdownGraceMs: config.shutdownGraceMs },
  });
  worker.start();
  const service: Service = { close: async () => (await worker.close(), await executor.close?.(), sourcesRedis.disconnect()) };
  return serveMetricsBeside(service, metrics?.registry, config.metricsPort, config.metricsAddress, logger);
}
