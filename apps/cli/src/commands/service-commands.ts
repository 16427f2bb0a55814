// `regatta scheduler` and `regatta worker`: the long-running services, started from the apps' code
// (@regatta/scheduler, @regatta/worker), which loads only when one of them starts.
import type { Command } from 'commander';
import type { Service } from '@regatta/service';
import type { Logger } from '@regatta/telemetry';
import { listenAddress, type CliConfig } from '../config.js';
import { summaryOf } from '../summaries.js';
import { addKubernetesFlags, withKubernetesFlags, type KubernetesFlags } from './kubernetes-flags.js';

const SHUTDOWN_GRACE_HELP = 'how long a stopping worker lets running nodes finish before it hands them on (default REGATTA_SHUTDOWN_GRACE_MS, else 30000)';
const METRICS_ADDRESS_HELP = 'the address --metrics-port listens on: 0.0.0.0 in a container (default REGATTA_METRICS_ADDRESS, else 127.0.0.1)';

interface ServiceFlags {
  metricsPort?: number;
  metricsAddress?: string;
  shutdownGraceMs?: number;
}

export async function registerServices(program: Command, config: CliConfig): Promise<void> {
  const { milliseconds, port, readEnv, runUntilSignal } = await import('@regatta/service');
  const metricsPort = (value: string) => readEnv(port('--metrics-port'), value);
  const metricsAddress = (value: string) => listenAddress(value, '--metrics-address');
  const shutdownGrace = (value: string) => readEnv(milliseconds('--shutdown-grace-ms'), value);
  /** The configuration with the flags' overrides; metrics are served only when --metrics-port asks. */
  const withFlags = (flags: ServiceFlags) => ({
    ...config,
    metricsPort: flags.metricsPort,
    metricsAddress: flags.metricsAddress ?? config.metricsAddress,
    shutdownGraceMs: flags.shutdownGraceMs ?? config.shutdownGraceMs,
  });
  const serve = async (name: string, start: (logger: Logger) => Promise<Service>) => {
    const { createLogger } = await import('@regatta/telemetry');
    const logger = createLogger(name, { level: config.logLevel });
    return runUntilSignal(logger, () => start(logger));
  };

  program
    .command('scheduler')
    .description(summaryOf('scheduler'))
    .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics (Argo uses 9090)', metricsPort)
    .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
    .action(async (flags: ServiceFlags) => {
      const { startSchedulerService } = await import('@regatta/scheduler');
      await serve('scheduler', (logger) => startSchedulerService(withFlags(flags), logger));
    });

  addKubernetesFlags(program
    .command('worker')
    .description(summaryOf('worker'))
    .option('--executor <name>', 'local, kubernetes (a pod per node), or noop (finishes every node at once: for benchmarks and dry runs)', config.executor))
    .option('--concurrency <n>', 'nodes run at once', String(config.concurrency))
    .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics', metricsPort)
    .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
    .option('--shutdown-grace-ms <ms>', SHUTDOWN_GRACE_HELP, shutdownGrace)
    .action(async (flags: ServiceFlags & KubernetesFlags & { executor: string; concurrency: string }) => {
      const { executorName, startWorkerService } = await import('@regatta/worker');
      const kubernetes = withKubernetesFlags(config.kubernetes, flags);
      await serve('worker', (logger) =>
        startWorkerService({ ...withFlags(flags), executor: executorName(flags.executor, '--executor'), concurrency: Number(flags.concurrency), kubernetes }, logger),
      );
    });
}
