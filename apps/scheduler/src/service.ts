// A scheduler as a service: it waits for Redis, prepares the instance on first start, runs the
// scheduler and the CronWorkflow loop (and /metrics when asked) until closed. `regatta-scheduler` and
// `regatta scheduler` (and `regatta run`, in process) start it here.
import { randomUUID } from 'node:crypto';
import { installationRepository, prepareWorkflow, storedArtifactDeleter, submitWorkflow } from '@regatta/client';
import { LocalVolumeClaims } from '@regatta/executors';
import { awaitRedis, serveMetricsBeside, type Service } from '@regatta/service';
import type { Workflow } from '@regatta/spec';
import { ensureInstance, Keys, redisFactory, type RedisFactory } from '@regatta/store';
import { SchedulerMetrics, type Logger } from '@regatta/telemetry';
import type { SchedulerConfig } from './config.js';
import { CronLoop } from './cron/cron-loop.js';
import { Scheduler } from './scheduler.js';
import { WorkflowArchiver } from './workflow-archiver.js';

/** Writes the shard count on first start, so schedulers and submitters agree on it. */
async function prepareInstance(connect: RedisFactory, keys: Keys, shards: number): Promise<void> {
  const redis = connect({ maxRetriesPerRequest: 2 });
  try {
    await ensureInstance(redis, keys, { id: randomUUID(), shards });
  } finally {
    redis.disconnect();
  }
}

export async function startSchedulerService(config: SchedulerConfig, logger: Logger): Promise<Service> {
  // The cron loop submits with the installation's artifact repository: a misconfigured one stops the start, naming its variable.
  installationRepository();
  const connect = redisFactory(config.redisUrl);
  const keys = new Keys(config.prefix);
  await awaitRedis(config.redisUrl, logger, () => prepareInstance(connect, keys, config.shards));
  const metrics = config.metricsPort === undefined ? undefined : new SchedulerMetrics({ customMetricsTtlMs: config.metricsTtlMs });
  const archiver = config.archive && (await WorkflowArchiver.open(config.archive, config.redisUrl, config.prefix, logger));
  // artifactGC deletes through the artifact stores, with credentials from the Secrets in Redis.
  const secretsRedis = connect({ maxRetriesPerRequest: 2, lazyConnect: true });
  const scheduler = new Scheduler({
    connect,
    keys,
    logger,
    metrics,
    volumeClaims: new LocalVolumeClaims(config.volumesDir),
    artifacts: storedArtifactDeleter({ redis: secretsRedis, prefix: config.prefix, localRoot: config.artifactsDir, env: process.env }),
    archiver,
    config: { leaseMs: config.leaseMs, defaultTtlStrategy: config.defaultTtlStrategy },
  });
  await scheduler.start();
  const cron = startCronLoop(connect, config, logger, scheduler.metrics);
  const both: Service = { close: async () => (await cron.close(), await scheduler.close(), await archiver?.close(), secretsRedis.disconnect()) };
  return serveMetricsBeside(both, metrics, config.metricsPort, config.metricsAddress, logger);
}

/** CronWorkflows' ticks, submitted through the path `regatta submit` takes. */
function startCronLoop(connect: RedisFactory, config: SchedulerConfig, logger: Logger, metrics: SchedulerMetrics): Service {
  const redis = connect({ maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const submit = async (child: Workflow, uid: string) => {
    const { namespace, name } = child.metadata;
    const workflow = prepareWorkflow(JSON.stringify(child), `CronWorkflow ${namespace}/${name}`, { namespace, shards: config.shards, uid });
    await submitWorkflow(redis, config.prefix, workflow, config.shards);
  };
  const loop = new CronLoop({ redis, prefix: config.prefix, logger: logger.child({ loop: 'cron' }), submit, metrics });
  loop.start();
  return { close: async () => (await loop.close(), void (await redis.quit())) };
}
