// `regatta submit FILE`: validate, store and enqueue a workflow for running schedulers and workers.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SCHEDULED_TIME_ANNOTATION } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { connect } from '../connection.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { prepareWorkflow, submitWorkflow } from '../submit.js';
import { workflowFrom } from './submit-from.js';
import { addSubmissionFlags, submitOptions, type SubmissionFlags } from './submission-flags.js';
import { watchToEnd } from './watch.js';

interface SubmitFlags extends SubmissionFlags {
  from?: string;
  scheduledTime?: string;
  watch?: boolean;
  log?: boolean;
  output?: string;
}

export function registerSubmit(program: Command, config: CliConfig): void {
  addSubmissionFlags(program.command('submit [file]'))
    .description('submit a workflow from a file, or from a stored resource with --from; prints its name')
    .option('--from <kind/name>', 'submit from cronwf/NAME, workflowtemplate/NAME or clusterworkflowtemplate/NAME')
    .option('--scheduled-time <time>', 'the RFC 3339 time {{workflow.scheduledTime}} gives')
    .option('-w, --watch', 'follow the workflow until it ends')
    .option('--log', 'with --watch, stream node output')
    .option('-o, --output <format>', 'print the workflow as json or yaml')
    .action(async (file: string | undefined, flags: SubmitFlags) => {
      const output = parseOutputFormat(flags.output);
      if ((file === undefined) === (flags.from === undefined)) throw new Error('submit takes a file or --from kind/name, one of them');
      const options = submitOptions(flags, config.shards);
      // A file is checked before anything connects, so bad input needs no Redis.
      const fromFile = file === undefined ? undefined : prepareWorkflow(readFileSync(file, 'utf8'), file, options);
      const connection = connect(config.redisUrl, config.prefix);
      try {
        const from = flags.from === undefined ? undefined : await workflowFrom(connection, flags.from, options.namespace ?? 'default');
        const workflow = fromFile ?? prepareWorkflow(JSON.stringify(from!.workflow), flags.from!, options);
        if (flags.scheduledTime !== undefined) {
          if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(flags.scheduledTime)) throw new Error(`--scheduled-time must be an RFC 3339 time, got "${flags.scheduledTime}"`);
          workflow.metadata.annotations = { ...workflow.metadata.annotations, [SCHEDULED_TIME_ANNOTATION]: flags.scheduledTime };
        }
        await submitWorkflow(connection.redis, config.prefix, workflow, config.shards);
        await from?.submitted(workflow);
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
