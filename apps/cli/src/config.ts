// Settings every command shares, read from the environment once at start: those of the scheduler and
// the worker (which `regatta scheduler`, `regatta worker` and `regatta run` start), and the CLI's own.
// The apps' settings modules alone (not the apps): every command reads its configuration at start.
import { readSchedulerConfig, type SchedulerConfig } from '@regatta/scheduler/config';
import { readWorkerConfig, type WorkerConfig } from '@regatta/worker/config';

import type { ServerSettings } from './server-settings.js';

export { listenAddress } from '@regatta/service/env';

export interface CliConfig extends SchedulerConfig, WorkerConfig {
  /** Named by the operator (REDIS_URL or credentials for it): `run` uses it and starts no Redis of its own. */
  redisUrlExplicit: boolean;
  /** Server mode: the commands reach this server instead of Redis (see server-settings.ts). */
  server?: ServerSettings;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  return {
    ...readSchedulerConfig(env),
    ...readWorkerConfig(env),
    redisUrlExplicit: env.REDIS_URL !== undefined || env.REDIS_USERNAME !== undefined || env.REDIS_PASSWORD !== undefined,
  };
}
