// `regatta submit FILE`: validate, store and enqueue a workflow for running schedulers and workers.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareWorkflow, type SubmittableKind } from '@regatta/client';
import { SCHEDULED_TIME_ANNOTATION } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { connect, workflowClient } from '../connection.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { addSubmissionFlags, submitOptions, type SubmissionFlags } from './submission-flags.js';
import { watchToEnd } from './watch.js';

interface SubmitFlags extends SubmissionFlags {
  from?: string;
  scheduledTime?: string;
  watch?: boolean;
  log?: boolean;
  output?: string;
}

/** `--from`'s kinds, as Argo spells them. */
const KINDS: Record<string, SubmittableKind> = {
  cronwf: 'CronWorkflow',
  cronworkflow: 'CronWorkflow',
  workflowtemplate: 'WorkflowTemplate',
  wftmpl: 'WorkflowTemplate',
  clusterworkflowtemplate: 'ClusterWorkflowTemplate',
  cwftmpl: 'ClusterWorkflowTemplate',
};

function parseFrom(from: string): { kind: SubmittableKind; name: string } {
  const slash = from.indexOf('/');
  const kind = KINDS[from.slice(0, slash).toLowerCase()];
  const name = from.slice(slash + 1);
  if (slash <= 0 || !kind || name === '') throw new Error(`--from expects cronwf/NAME, workflowtemplate/NAME or clusterworkflowtemplate/NAME, got "${from}"`);
  return { kind, name };
}

function scheduledTimeAnnotation(time: string | undefined): Record<string, string> | undefined {
  if (time === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(time)) throw new Error(`--scheduled-time must be an RFC 3339 time, got "${time}"`);
  return { [SCHEDULED_TIME_ANNOTATION]: time };
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
      const from = flags.from === undefined ? undefined : parseFrom(flags.from);
      const annotations = scheduledTimeAnnotation(flags.scheduledTime);
      if (fromFile && annotations) fromFile.metadata.annotations = { ...fromFile.metadata.annotations, ...annotations };
      const connection = connect(config.redisUrl, config.prefix);
      const client = workflowClient(connection.redis, config);
      try {
        const workflow = fromFile ? await client.createWorkflow(fromFile) : await client.submitFrom(from!.kind, from!.name, { ...options, annotations, source: flags.from });
        if (flags.watch || flags.log) {
          const final = await watchToEnd(client, workflow, { log: flags.log === true, output });
          process.exitCode = final.status?.phase === 'Succeeded' ? 0 : 1;
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
