// The `regatta` command: Argo's CLI verbs over Regatta's Redis-backed scheduler and workers.
import { Command } from 'commander';
import { listenAddress, readConfig, type CliConfig } from './config.js';
import { explainRedisError } from './connection.js';
import { registerInspect } from './commands/inspect.js';
import { registerLint } from './commands/lint.js';
import { registerControl } from './commands/control.js';
import { registerConfigMaps } from './commands/configmaps.js';
import { registerCron } from './commands/cron.js';
import { registerRun } from './commands/run.js';
import { runUntilSignal, startScheduler, startWorker } from './commands/services.js';
import { addKubernetesFlags, type KubernetesFlags } from './commands/kubernetes-flags.js';
import { registerSubmit } from './commands/submit.js';
import { registerTemplates } from './commands/templates.js';

function configOrExit(): CliConfig {
  try {
    return readConfig();
  } catch (error) {
    // A bad setting is the user's to fix: its message, not a stack trace.
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
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
const withAddress = (flags: MetricsFlags) => ({ ...config, metricsAddress: flags.metricsAddress ?? config.metricsAddress });

program
  .command('scheduler')
  .description('run a scheduler (owns shards of workflows, applies events, dispatches nodes)')
  .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics (Argo uses 9090)', metricsPort)
  .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
  .action((flags: MetricsFlags) => runUntilSignal('scheduler', config, (logger) => startScheduler(withAddress(flags), logger, flags.metricsPort)));

addKubernetesFlags(program
  .command('worker')
  .description('run a worker (takes node jobs and runs them)')
  .option('--executor <name>', 'local, kubernetes (a pod per node), or noop (finishes every node at once: for benchmarks and dry runs)', 'local'))
  .option('--concurrency <n>', 'nodes run at once', '16')
  .option('--metrics-port <port>', 'serve Prometheus metrics on <port>/metrics', metricsPort)
  .option('--metrics-address <ip>', METRICS_ADDRESS_HELP, metricsAddress)
  .action((flags: MetricsFlags & KubernetesFlags & { executor: string; concurrency: string }) =>
    runUntilSignal('worker', config, (logger) => startWorker(withAddress(flags), logger, flags.executor, Number(flags.concurrency), flags.metricsPort, flags)),
  );

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`${explainRedisError(error as Error)}\n`);
  process.exitCode = 1;
}
