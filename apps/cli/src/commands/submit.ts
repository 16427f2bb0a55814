// `regatta submit FILE…`: validate, store and enqueue workflows for running schedulers and workers.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prepareWorkflows, type SubmittableKind } from '@regatta/client';
import { SCHEDULED_TIME_ANNOTATION } from '@regatta/spec';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { withClient } from '../connection.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { addSubmissionFlags, submitOptions, type SubmissionFlags } from './submission-flags.js';
import { waitForEnd, waitLine } from './follow.js';
import { watchToEnd } from './watch.js';

interface SubmitFlags extends SubmissionFlags {
  from?: string;
  scheduledTime?: string;
  wait?: boolean;
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

/** The text of each file; `-` is standard input. */
function readSources(files: string[]): Array<{ text: string; file: string }> {
  return files.map((file) => (file === '-' ? { text: readFileSync(0, 'utf8'), file: 'stdin' } : { text: readFileSync(file, 'utf8'), file }));
}

export function registerSubmit(program: Command, config: CliConfig): void {
  addSubmissionFlags(program.command('submit [files...]'))
    .description(summaryOf('submit'))
    .option('--from <kind/name>', 'submit from cronwf/NAME, workflowtemplate/NAME or clusterworkflowtemplate/NAME')
    .option('--scheduled-time <time>', 'the RFC 3339 time {{workflow.scheduledTime}} gives')
    .option('-w, --wait', 'wait until the workflows end, then print how each ended (as `regatta wait`)')
    .option('--watch', 'follow the workflow until it ends')
    .option('--log', 'with --watch, stream node output')
    .option('-o, --output <format>', 'print the workflow as json or yaml')
    .action(async (files: string[], flags: SubmitFlags) => {
      const output = parseOutputFormat(flags.output);
      if ((files.length === 0) === (flags.from === undefined)) throw new Error('submit takes files or --from kind/name, one of them');
      const options = submitOptions(flags, config.shards);
      // Files are checked before anything connects, so bad input needs no Redis and changes nothing; a
      // file may hold several workflows separated by `---`, as Argo's submit takes them.
      const prepared = readSources(files).flatMap(({ text, file }) => prepareWorkflows(text, file, options));
      if ((flags.watch || flags.log) && prepared.length > 1) throw new Error('--watch and --log follow one workflow: submit one');
      const from = flags.from === undefined ? undefined : parseFrom(flags.from);
      const annotations = scheduledTimeAnnotation(flags.scheduledTime);
      if (annotations) for (const workflow of prepared) workflow.metadata.annotations = { ...workflow.metadata.annotations, ...annotations };
      await withClient(config, async (client) => {
        const submitted = from ? [await client.submitFrom(from.kind, from.name, { ...options, annotations, source: flags.from })] : [];
        for (const workflow of prepared) submitted.push(await client.createWorkflow(workflow));
        if (flags.watch || flags.log) {
          const final = await watchToEnd(client, submitted[0]!, { log: flags.log === true, output });
          process.exitCode = final.status?.phase === 'Succeeded' ? 0 : 1;
          return;
        }
        for (const workflow of submitted) process.stdout.write(output === 'text' ? `${workflow.metadata.name}\n` : formatWorkflow(workflow, output, false));
        if (flags.wait) {
          const ended = await Promise.all(submitted.map((w) => waitForEnd(client, w.metadata.namespace ?? 'default', w.metadata.name ?? '', w.metadata.uid)));
          for (const workflow of ended) process.stdout.write(waitLine(workflow));
          if (ended.some((workflow) => workflow.status?.phase !== 'Succeeded')) process.exitCode = 1;
        }
      });
    });
}
