// `regatta lint FILE…`: the checks `submit` makes, without storing anything. A workflow that refers to
// WorkflowTemplates or ConfigMaps is checked against the stored ones, as `argo lint` asks its server (in
// server mode, the server's lint path does). A file may hold several workflows separated by `---`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareWorkflows, type WorkflowClient } from '@regatta/client';
import { SpecError } from '@regatta/spec';
import { connectRedis } from '@regatta/store';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { openClient, refuseServerMode, workflowClient } from '../connection.js';
import { CronLintError, lintCronFile } from './cron.js';

export function registerLint(program: Command, config: CliConfig): void {
  program
    .command('lint <files...>')
    .description(summaryOf('lint'))
    .action(async (files: string[]) => {
      // Connects only when a workflow refers to stored resources (lazily, in local mode).
      const redis = config.server ? undefined : connectRedis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      const opened: { client: WorkflowClient; close(): Promise<void> } = redis ? { client: await workflowClient(redis, config), close: async () => redis.disconnect() } : await openClient(config);
      let failed = 0;
      try {
        for (const file of files) {
          try {
            const text = readFileSync(file, 'utf8');
            // As `argo lint`, CronWorkflows too, with `cron lint`'s checks (local mode: the server has no cron lint path here).
            if (/^kind:\s*["']?CronWorkflow\b/m.test(text)) {
              refuseServerMode(config);
              await lintCronFile(redis!, config, file);
            } else {
              for (const workflow of prepareWorkflows(text, file, { shards: config.shards })) await opened.client.lintWorkflow(workflow);
            }
            process.stdout.write(`${file}: no linting errors found\n`);
          } catch (error) {
            failed++;
            process.stderr.write(`${error instanceof SpecError || error instanceof CronLintError ? error.message : `${file}: ${(error as Error).message}`}\n`);
          }
        }
      } finally {
        await opened.close();
      }
      if (failed > 0) process.exitCode = 1;
    });
}
