// The `regatta` command: Argo's CLI verbs over Regatta's Redis-backed scheduler and workers.
import { Command } from 'commander';
import { readConfig } from './config.js';
import { registerInspect } from './commands/inspect.js';
import { registerLint } from './commands/lint.js';
import { registerRun } from './commands/run.js';
import { runUntilSignal, startScheduler, startWorker } from './commands/services.js';
import { registerSubmit } from './commands/submit.js';

const config = readConfig();
const program = new Command('regatta')
  .description('Run Argo Workflows on Redis and BullMQ, locally or at scale')
  .showHelpAfterError();

registerRun(program, config);
registerSubmit(program, config);
registerInspect(program, config);
registerLint(program, config);

program
  .command('scheduler')
  .description('run a scheduler (owns shards of workflows, applies events, dispatches nodes)')
  .action(() => runUntilSignal('scheduler', config, (logger) => startScheduler(config, logger)));

program
  .command('worker')
  .description('run a worker (takes node jobs and runs them)')
  .option('--executor <name>', 'local or noop', 'local')
  .option('--concurrency <n>', 'nodes run at once', '16')
  .action((flags: { executor: string; concurrency: string }) =>
    runUntilSignal('worker', config, async (logger) => startWorker(config, logger, flags.executor, Number(flags.concurrency))),
  );

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
