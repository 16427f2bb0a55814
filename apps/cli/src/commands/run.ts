// `regatta run FILE`: the whole system in one process for a laptop. A scheduler and a worker start
// here, but talk only through Redis queues and state, exactly as separate processes do.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareWorkflow } from '@regatta/client';
import { createLogger } from '@regatta/telemetry';
import type { CliConfig } from '../config.js';
import { connect, workflowClient } from '../connection.js';
import { parseOutputFormat } from '../output.js';
import { ensureRedis } from '../redis-server.js';
import { addSubmissionFlags, submitOptions, type SubmissionFlags } from './submission-flags.js';
import { startSchedulerService } from '@regatta/scheduler';
import { executorName, startWorkerService } from '@regatta/worker';
import { watchToEnd } from './watch.js';

interface RunFlags extends SubmissionFlags {
  log?: boolean;
  output?: string;
  executor: string;
  concurrency: string;
}

export function registerRun(program: Command, config: CliConfig): void {
  addSubmissionFlags(program.command('run <file>'))
    .description('run a workflow to completion on this machine (starts a private Redis unless REDIS_URL names one, a scheduler and a worker)')
    .option('--log', 'stream node output while it runs')
    .option('-o, --output <format>', 'print the final workflow as json or yaml')
    .option('--executor <name>', 'local or noop', config.executor)
    .option('--concurrency <n>', 'nodes run at once', String(config.concurrency))
    .action(async (file: string, flags: RunFlags) => {
      const output = parseOutputFormat(flags.output);
      const workflow = prepareWorkflow(readFileSync(file, 'utf8'), file, submitOptions(flags, config.shards));
      const redis = await ensureRedis(config.redisUrl, config.redisUrlExplicit);
      // No /metrics, and a worker that stops what still runs at once: the workflow has ended.
      const local = { ...config, redisUrl: redis.url, metricsPort: undefined, shutdownGraceMs: 0 };
      // In-process services log only warnings, so they do not tear the live view.
      const logger = createLogger('regatta', { level: process.env.LOG_LEVEL ?? 'warn' });
      const connection = connect(redis.url, config.prefix);
      const client = workflowClient(connection.redis, config, redis.url);
      try {
        // Before any service starts, so that a missing WorkflowTemplate or ConfigMap changes nothing.
        await client.lintWorkflow(workflow);
        const scheduler = await startSchedulerService(local, logger.child({ component: 'scheduler' }));
        const worker = await startWorkerService(
          { ...local, executor: executorName(flags.executor, '--executor'), concurrency: Number(flags.concurrency) },
          logger.child({ component: 'worker' }),
        );
        try {
          await client.createWorkflow(workflow);
          const final = await watchToEnd(client, workflow, { log: flags.log === true, output });
          process.exitCode = final.status?.phase === 'Succeeded' ? 0 : 1;
        } finally {
          await worker.close();
          await scheduler.close();
        }
      } finally {
        await connection.close();
        await redis.stop();
      }
    });
}
