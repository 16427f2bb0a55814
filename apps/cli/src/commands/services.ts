// `regatta scheduler` and `regatta worker`: the long-running processes, stopped by SIGINT/SIGTERM.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { prepareWorkflow, submitWorkflow } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { DataExecutor, HttpExecutor, LocalArtifactRepository, LocalExecutor, LocalVolumeClaims, NoopExecutor, RoutingExecutor, type Executor } from '@regatta/executors';
import { CronLoop, Scheduler } from '@regatta/scheduler';
import { ensureInstance, Keys, connectRedis } from '@regatta/store';
import { createLogger, SchedulerMetrics, serveMetrics, WorkerMetrics, type Logger, type MetricsSource } from '@regatta/telemetry';
import { Worker } from '@regatta/worker';
import type { CliConfig } from '../config.js';
import { checkRedis, RedisUnusableError } from '../connection.js';
import { kubernetesExecutor, type KubernetesFlags } from './kubernetes-flags.js';

export type ExecutorName = 'local' | 'kubernetes' | 'noop';

export function createExecutor(name: string, logger: Logger, { artifactsDir, volumesDir, httpEgress }: Pick<CliConfig, 'artifactsDir' | 'volumesDir' | 'httpEgress'>, kube: KubernetesFlags = {}): Executor {
  if (name === 'noop') return new NoopExecutor();
  const inWorker = (containers: Executor) => new RoutingExecutor(containers, new HttpExecutor({ egress: httpEgress }), new DataExecutor(new LocalArtifactRepository(artifactsDir)));
  if (name === 'local') return inWorker(new LocalExecutor({ workDir: join(tmpdir(), 'regatta-nodes'), artifactsDir, volumesDir, warn: (message) => logger.warn(message) }));
  if (name === 'kubernetes') return inWorker(kubernetesExecutor(kube, logger));
  throw new Error(`unknown executor "${name}": use local, kubernetes or noop`);
}

/** Writes the shard count on first start, so schedulers and submitters agree on it. */
export async function prepareInstance(config: CliConfig): Promise<void> {
  const redis = connectRedis(config.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    await ensureInstance(redis, new Keys(config.prefix), { id: randomUUID(), shards: config.shards });
  } finally {
    redis.disconnect();
  }
}

export interface Service {
  close(): Promise<void>;
}

/** How long one check for a starting service's Redis waits before it is logged and made again. */
const REDIS_CHECK_MS = 5000;

/**
 * Waits until the service's Redis answers (and the instance is prepared, for a scheduler): a Redis
 * restarting beside a service, or not up yet, must not end the service, which would otherwise take a
 * supervisor's restart to come back. Refused credentials are a misconfiguration: they stop it at once.
 */
async function awaitRedis(config: CliConfig, logger: Logger, prepare: boolean): Promise<void> {
  for (;;) {
    try {
      await checkRedis(config.redisUrl, REDIS_CHECK_MS);
      if (prepare) await prepareInstance(config);
      return;
    } catch (error) {
      if (error instanceof RedisUnusableError && error.credentialsRefused) throw error;
      logger.warn({ reason: (error as Error).message }, 'Redis cannot be used yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export async function startScheduler(config: CliConfig, logger: Logger, metricsPort?: number): Promise<Service> {
  await awaitRedis(config, logger, true);
  const metrics = metricsPort === undefined ? undefined : new SchedulerMetrics({ customMetricsTtlMs: config.metricsTtlMs });
  const volumeClaims = new LocalVolumeClaims(config.volumesDir);
  const scheduler = new Scheduler({ redisUrl: config.redisUrl, prefix: config.prefix, logger, leaseMs: config.leaseMs, metrics, volumeClaims, defaultTtlStrategy: config.defaultTtlStrategy });
  await scheduler.start();
  const cron = startCronLoop(config, logger, scheduler.metrics);
  const both: Service = { close: async () => (await cron.close(), await scheduler.close()) };
  return withMetrics(both, metrics, metricsPort, config.metricsAddress, logger);
}

/** CronWorkflows' ticks, submitted through the path `regatta submit` takes. */
function startCronLoop(config: CliConfig, logger: Logger, metrics: SchedulerMetrics): Service {
  const redis = connectRedis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const submit = async (child: Workflow, uid: string) => {
    const { namespace, name } = child.metadata;
    const workflow = prepareWorkflow(JSON.stringify(child), `CronWorkflow ${namespace}/${name}`, { namespace, shards: config.shards, uid });
    await submitWorkflow(redis, config.prefix, workflow, config.shards);
  };
  const loop = new CronLoop({ redis, prefix: config.prefix, logger: logger.child({ loop: 'cron' }), submit, metrics });
  loop.start();
  return { close: async () => (await loop.close(), void (await redis.quit())) };
}

export async function startWorker(config: CliConfig, logger: Logger, executorName: string, concurrency: number, metricsPort?: number, kube?: KubernetesFlags): Promise<Service> {
  await awaitRedis(config, logger, false);
  const metrics = metricsPort === undefined ? undefined : new WorkerMetrics();
  const executor = createExecutor(executorName, logger, config, kube);
  const worker = new Worker({
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    logger,
    executor,
    concurrency,
    metrics,
    lockDurationMs: config.nodeLockMs,
    logLimits: config.logLimits,
  });
  worker.start();
  const service: Service = { close: async () => (await worker.close(), await executor.close?.()) };
  return withMetrics(service, metrics?.registry, metricsPort, config.metricsAddress, logger);
}

/** Serves `/metrics` on `host` beside a service when a port is given, and closes both together. */
async function withMetrics(service: Service, source: MetricsSource | undefined, port: number | undefined, host: string, logger: Logger): Promise<Service> {
  if (!source || port === undefined) return service;
  const server = await serveMetrics(source, port, host).catch(async (error: Error) => {
    await service.close();
    throw new Error(`cannot serve /metrics on ${host} port ${port}: ${error.message}`);
  });
  const address = server.address();
  logger.info({ address: host, port: typeof address === 'object' && address ? address.port : port }, 'serving /metrics');
  return {
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    },
  };
}

export async function runUntilSignal(name: string, config: CliConfig, start: (logger: Logger) => Promise<Service>): Promise<void> {
  const logger = createLogger(name, { level: config.logLevel });
  const service = await start(logger);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('shutting down');
  await service.close();
}
