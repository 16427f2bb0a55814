// How a long-running process lives: it waits for its Redis, serves /metrics beside its work when asked,
// and runs until SIGTERM or SIGINT, then closes (letting its work in hand finish: see each service).
import { serveMetrics, type Logger, type MetricsSource } from '@regatta/telemetry';
import { checkRedis, RedisUnusableError } from './redis-check.js';

export interface Service {
  close(): Promise<void>;
}

/** How long one check for a starting service's Redis waits before it is logged and made again. */
const REDIS_CHECK_MS = 5000;

/**
 * Waits until the service's Redis answers (and `prepare`, if given, succeeds): a Redis restarting
 * beside a service, or not up yet, must not end the service, which would otherwise take a supervisor's
 * restart to come back. Refused credentials are a misconfiguration: they stop it at once.
 */
export async function awaitRedis(redisUrl: string, logger: Logger, prepare?: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await checkRedis(redisUrl, REDIS_CHECK_MS);
      await prepare?.();
      return;
    } catch (error) {
      if (error instanceof RedisUnusableError && error.credentialsRefused) throw error;
      logger.warn({ reason: (error as Error).message }, 'Redis cannot be used yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Serves `/metrics` on `host` beside a service when a port is given, and closes both together. */
export async function serveMetricsBeside(service: Service, source: MetricsSource | undefined, port: number | undefined, host: string, logger: Logger): Promise<Service> {
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

/** The settings `read` gives; a refusal is the user's to fix: its message, not a stack trace, and exit 1. */
export function settingsOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

/** Starts the service and closes it on the first SIGTERM or SIGINT; a second one ends the process at once. */
export async function runUntilSignal(logger: Logger, start: () => Promise<Service>): Promise<void> {
  const service = await start();
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'shutting down');
  const now = (again: NodeJS.Signals) => {
    logger.warn({ signal: again }, 'signalled again while shutting down: exiting now');
    process.exit(1);
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  await service.close();
  logger.info('shut down');
}
