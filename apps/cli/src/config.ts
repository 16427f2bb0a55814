// Settings every command shares, read from the environment once at start: those of the scheduler and
// the worker (which `regatta scheduler`, `regatta worker` and `regatta run` start), and the CLI's own.
import { readSchedulerConfig, type SchedulerConfig } from '@regatta/scheduler';
import { readWorkerConfig, type WorkerConfig } from '@regatta/worker';

export { listenAddress } from '@regatta/service';

export interface CliConfig extends SchedulerConfig, WorkerConfig {
  /** Named by the operator (REDIS_URL or credentials for it): `run` uses it and starts no Redis of its own. */
  redisUrlExplicit: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    ...readSchedulerConfig(env),
    ...readWorkerConfig(env),
    redisUrlExplicit: env.REDIS_URL !== undefined || env.REDIS_USERNAME !== undefined || env.REDIS_PASSWORD !== undefined,
  };
}
