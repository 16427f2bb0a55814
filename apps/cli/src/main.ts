// The `regatta` command: Argo's CLI verbs over Regatta's Redis-backed scheduler and workers.
import { Command } from 'commander';
import { listenAddress, readConfig, type CliConfig } from './config.js';
import { explainRedisError } from './connection.js';
import { milliseconds, port, readEnv, runUntilSignal, settingsOrExit, type Service } from '@regatta/service';
import { startSchedulerService } from '@regatta/scheduler';
import { executorName, startWorkerService } from '@regatta/worker';
import { createLogger, type Logger } from '@regatta/telemetry';
import { registerArchive } from './commands/archive.js';
import { registerInspect } from './commands/inspect.js';
import { registerLint } from './commands/lint.js';
import { registerControl } from './commands/control.js';
import { registerConfigMaps } from './commands/configmaps.js';
import { registerCron } from './commands/cron.js';
import { registerEventBindings } from './commands/event-bindings.js';
import { registerRun } from './commands/run.js';
import { registerSubmit } from './commands/submit.js';
import { registerTemplates } from './commands/templates.js';
import { registerServer } from './commands/server.js';
import { registerAuth } from './commands/auth.js';
import { addKubernetesFlags, withKubernetesFlags, type KubernetesFlags } from './commands/kubernetes-flags.js';

const config: CliConfig = settingsOrExit(() => readConfig());
const program = new Command('regatta')
  .description('Run Argo Workflows on Redis and BullMQ, locally or at scale')
  .showHelpAfterError();

registerRun(program, config);
registerSubmit(program, config);
registerInspect(program, config);
registerLint(program, config);
registerControl(program, config);
registerTemplates(program, config);
registerConfigMaps(program, config);
registerCron(program, config);
registerServer(program, config);
registerAuth(program, config);
registerEventBindings(program, config);
registerArchive(program, config);

const metricsPort = (value: string) => readEnv(port('--metrics-port'), value);
const metricsAddress = (value: string) => listenAddress(value, '--metrics-address');
const shutdownGrace = (value: string) => readEnv(milliseconds('--shutdown-grace-ms'), value);
const SHUTDOWN_GRACE_HELP = 'how long a stopping worker lets running nodes finish before it hands them on (default REGATTA_SHUTDOWN_GRACE_MS, else 30000)';
const METRICS_ADDRESS_HELP = 'the address --metrics-port listens on: 0.0.0.0 in a container (default REGATTA_METRICS_ADDRESS, else 127.0.0.1)';
interface ServiceFlags {
  metricsPort?: number;
  metricsAddress?: string;
  shutdownGraceMs?: number;
}
/** The configuration with the flags' overrides; metrics are served only when --metrics-port asks. */
const withFlags = (flags: ServiceFlags) => ({
  ...config,
  metricsPort: flags.metricsPort,
  metricsAddress: flags.metricsAddress ?? config.metricsAddress,
  shutdownGraceMs: flags.shutdownGraceMs ?? config.shutdownGraceMs,
});
const serve = (name: string, start: (logger: Logger) => Promise<Service>) => {
  const logger = createLogger(name, { level: config.logLevel });
  return runUntilSignal(logger, () => start(logger));
};

program
  .command('scheduler')
  .description('run a scheduler (owns shards of workflows, applies events, dispatches nodes)')
  .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics (Argo uses 9090)', metricsPort)
  .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
  .action((flags: ServiceFlags) => serve('scheduler', (logger) => startSchedulerService(withFlags(flags), logger)));

addKubernetesFlags(program
  .command('worker')
  .description('run a worker (takes node jobs and runs them)')
  .option('--executor <name>', 'local, kubernetes (a pod per node), or noop (finishes every node at once: for benchmarks and dry runs)', config.executor))
  .option('--concurrency <n>', 'nodes run at once', String(config.concurrency))
  .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics', metricsPort)
  .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
  .option('--shutdown-grace-ms <ms>', SHUTDOWN_GRACE_HELP, shutdownGrace)
  .action((flags: ServiceFlags & KubernetesFlags & { executor: string; concurrency: string }) =>
    serve('worker', (logger) =>
      startWorkerService({ ...withFlags(flags), executor: executorName(flags.executor, '--executor'), concurrency: Number(flags.concurrency), kubernetes: withKubernetesFlags(config.kubernetes, flags) }, logger),
    ),
  );

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`${explainRedisError(error as Error)}\n`);
  process.exitCode = 1;
}
