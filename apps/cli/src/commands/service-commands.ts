// `regatta scheduler` and `regatta worker`: the long-running services, started from apps' code in services.ts.
import type { Command } from 'commander';
import { summaryOf } from '../summaries.js';
import { listenAddress, type CliConfig } from '../config.js';

const metricsPort = (value: string) => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--metrics-port must be a port number, got "${value}"`);
  return port;
};

const metricsAddress = (value: string) => listenAddress(value, '--metrics-address');
const METRICS_ADDRESS_HELP = 'the address --metrics-port listens on: 0.0.0.0 in a container (default REGATTA_METRICS_ADDRESS, else 127.0.0.1)';
interface MetricsFlags {
  metricsPort?: number;
  metricsAddress?: string;
}

export function registerServices(program: Command, config: CliConfig): void {
  const withAddress = (flags: MetricsFlags) => ({ ...config, metricsAddress: flags.metricsAddress ?? config.metricsAddress });
  // The services' dependencies (BullMQ, the executors, the engine) load only when one starts.
  const services = () => import('./services.js');

  program
    .command('scheduler')
    .description(summaryOf('scheduler'))
    .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics (Argo uses 9090)', metricsPort)
    .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
    .action(async (flags: MetricsFlags) => {
      const { runUntilSignal, startScheduler } = await services();
      await runUntilSignal('scheduler', config, (logger) => startScheduler(withAddress(flags), logger, flags.metricsPort));
    });

  program
    .command('worker')
    .description(summaryOf('worker'))
    .option('--executor <name>', 'local, or noop (finishes every node at once: for benchmarks and dry runs)', 'local')
    .option('--concurrency <n>', 'nodes run at once', '16')
    .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics', metricsPort)
    .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
    .action(async (flags: MetricsFlags & { executor: string; concurrency: string }) => {
      const { runUntilSignal, startWorker } = await services();
      await runUntilSignal('worker', config, (logger) => startWorker(withAddress(flags), logger, flags.executor, Number(flags.concurrency), flags.metricsPort));
    });
}
