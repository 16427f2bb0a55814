// `regatta submit FILE`: validate, store and enqueue a workflow for running schedulers and workers.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliConfig } from '../config.js';
import { connect } from '../connection.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { prepareWorkflow, submitWorkflow } from '../submit.js';
import { addSubmissionFlags, submitOptions, type SubmissionFlags } from './submission-flags.js';
import { watchToEnd } from './watch.js';

interface SubmitFlags extends SubmissionFlags {
  watch?: boolean;
  log?: boolean;
  output?: string;
}

export function registerSubmit(program: Command, config: CliConfig): void {
  addSubmissionFlags(program.command('submit <file>'))
    .description('submit a workflow; prints its name')
    .option('-w, --watch', 'follow the workflow until it ends')
    .option('--log', 'with --watch, stream node output')
    .option('-o, --output <format>', 'print the workflow as json or yaml')
    .action(async (file: string, flags: SubmitFlags) => {
      const output = parseOutputFormat(flags.output);
      const workflow = prepareWorkflow(readFileSync(file, 'utf8'), file, submitOptions(flags, config.shards));
      const connection = connect(config.redisUrl, config.prefix);
      try {
        await submitWorkflow(connection.redis, config.prefix, workflow, config.shards);
        if (flags.watch || flags.log) {
          const final = await watchToEnd(connection, workflow.metadata.uid!, { log: flags.log === true, output });
          process.exitCode = final.workflow.status.phase === 'Succeeded' ? 0 : 1;
        } else if (output === 'wide') {
          process.stdout.write(`${workflow.metadata.name}\n`);
        } else {
          process.stdout.write(formatWorkflow(workflow, output, false));
        }
      } finally {
        await connection.close();
      }
    });
}
