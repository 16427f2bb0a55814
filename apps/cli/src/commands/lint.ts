// `regatta lint FILE…`: the checks `submit` makes, without storing anything. A workflow that refers to
// WorkflowTemplates or ConfigMaps is checked against the stored ones, as `argo lint` asks its server.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareWorkflow } from '@regatta/client';
import { SpecError } from '@regatta/spec';
import { connectRedis } from '@regatta/store';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { refuseServerMode, workflowClient } from '../connection.js';
import { CronLintError, lintCronFile } from './cron.js';

export function registerLint(program: Command, config: CliConfig): void {
  program
    .command('lint <files...>')
    .description(summaryOf('lint'))
    .action(async (files: string[]) => {
      // Connects only when a workflow refers to stored resources.
      refuseServerMode(config);
      const redis = connectRedis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      const client = await workflowClient(redis, config);
      let failed = 0;
      try {
        for (const file of files) {
          try {
            const text = readFileSync(file, 'utf8');
            // As `argo lint`, CronWorkflows too, with `cron lint`'s checks.
            if (/^kind:\s*["']?CronWorkflow\b/m.test(text)) await lintCronFile(redis, config, file);
            else await client.lintWorkflow(prepareWorkflow(text, file, { shards: config.shards }));
            process.stdout.write(`${file}: no linting errors found\n`);
          } catch (error) {
            failed++;
            process.stderr.write(`${error instanceof SpecError || error instanceof CronLintError ? error.message : `${file}: ${(error as Error).message}`}\n`);
          }
        }
      } finally {
        redis.disconnect();
      }
      if (failed > 0) process.exitCode = 1;
    });
}
