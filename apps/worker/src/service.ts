// A worker as a service: it waits for Redis, then takes node jobs (and serves /metrics when asked)
// until closed; closing lets running nodes finish within the shutdown grace. `regatta-worker` and
// `regatta worker` (and `regatta run`, in process) start it here.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore, NO_SECRET_STORE, type SecretSource } from '@regatta/artifacts';
import { DataExecutor, HttpExecutor, KubeClient, KubernetesExecutor, LocalExecutor, NoopExecutor, ResourceExecutor, RoutingExecutor, type Executor } from '@regatta/executors';
import { awaitRedis, serveMetricsBeside, type Service } from '@regatta/service';
import { Keys, redisFactory } from '@regatta/store';
import { WorkerMetrics, type Logger } from '@regatta/telemetry';
import type { ExecutorName, WorkerConfig } from './config.js';
import { createKubernetesExecutor } from './kubernetes-executor.js';
import { Worker } from './worker.js';

/** What the installation gives a worker beside its configuration. */
export interface WorkerServiceOptions {
  /** Where artifact stores' credentials are read (Secrets of the workflow's namespace); none configured refuses every read. */
  secrets?: SecretSource;
}

function createExecutor(
  name: ExecutorName,
  logger: Logger,
  { artifactsDir, volumesDir, httpEgress, kubernetes }: Pick<WorkerConfig, 'artifactsDir' | 'volumesDir' | 'httpEgress' | 'kubernetes'>,
  secrets: SecretSource,
): Executor {
  if (name === 'noop') return new NoopExecutor();
  const artifacts = new ArtifactStore({ localRoot: artifactsDir, secrets });
  const containers =
    name === 'kubernetes'
      ? createKubernetesExecutor(kubernetes, logger)
      : new LocalExecutor({ workDir: join(tmpdir(), 'regatta-nodes'), artifacts, volumesDir, warn: (message) => logger.warn(message) });
  // Resource templates call the API as the worker: the kubernetes executor's client, else, in local mode, one for a configured kubeconfig.
  const kube = containers instanceof KubernetesExecutor ? containers.client : kubernetes.kubeconfig ? new KubeClient(kubernetes) : undefined;
  return new RoutingExecutor(containers, new HttpExecutor({ egress: httpEgress }), new DataExecutor(artifacts), new ResourceExecutor(kube));
}

export async function startWorkerService(config: WorkerConfig, logger: Logger, { secrets = NO_SECRET_STORE }: WorkerServiceOptions = {}): Promise<Service> {
  await awaitRedis(config.redisUrl, logger);
  const metrics = config.metricsPort === undefined ? undefined : new WorkerMetrics();
  const executor = createExecutor(config.executor, logger, config, secrets);
  const worker = new Worker({
    connect: redisFactory(config.redisUrl),
    keys: new Keys(config.prefix),
    logger,
    executor,
    metrics,
    config: { concurrency: config.concurrency, lockDurationMs: config.nodeLockMs, logLimits: config.logLimits, shutdownGraceMs: config.shutdownGraceMs },
  });
  worker.start();
  const service: Service = { close: async () => (await worker.close(), await executor.close?.()) };
  return serveMetricsBeside(service, metrics?.registry, config.metricsPort, config.metricsAddress, logger);
}
