// Reading and removing workflows: `list`, `get`, `logs`, `delete`.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliConfig } from '../config.js';
import { withClient } from '../connection.js';
import { formatWorkflow, parseOutputFormat, printLogEntry } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';

export function registerInspect(program: Command, config: CliConfig): void {
  program
    .command('list')
    .description('list workflows')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((flags: { namespace: string; output?: string }) =>
      withClient(config, async (client) => {
        const summaries = await client.listWorkflows(flags.namespace);
        const output = parseOutputFormat(flags.output);
        if (output !== 'wide') {
          process.stdout.write(output === 'json' ? `${JSON.stringify(summaries, null, 2)}\n` : stringify(summaries));
          return;
        }
        const rows = [['NAME', 'STATUS', 'AGE', 'DURATION', 'MESSAGE']];
        const now = Date.now();
        for (const s of summaries) {
          const started = s.startedAt ? Date.parse(s.startedAt) : now;
          const finished = s.finishedAt ? Date.parse(s.finishedAt) : now;
          rows.push([s.name, s.phase || 'Pending', formatDuration(now - started), formatDuration(finished - started), s.message ?? '']);
        }
        // Argo's `argo list` pads its columns by three.
        process.stdout.write(alignColumns(rows, 3).map((line) => `${line}\n`).join(''));
      }),
    );

  program
    .command('get <name>')
    .description('show a workflow and its node tree')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((name: string, flags: { namespace: string; output?: string }) =>
      withClient(config, async (client) => {
        const output = parseOutputFormat(flags.output);
        const workflow = await client.getWorkflow(flags.namespace, name);
        process.stdout.write(formatWorkflow(workflow, output, process.stdout.isTTY === true && !process.env.NO_COLOR));
      }),
    );

  program
    .command('logs <name>')
    .description("print a workflow's node output")
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node <id>', 'only this node')
    .option('--follow', 'keep printing until the workflow ends')
    .action((name: string, flags: { namespace: string; node?: string; follow?: boolean }) =>
      withClient(config, (client) => client.workflowLogs(flags.namespace, name, printLogEntry, { nodeId: flags.node, follow: flags.follow === true })),
    );

  program
    .command('delete <name>')
    .description('delete a workflow and its logs')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action((name: string, flags: { namespace: string }) =>
      withClient(config, async (client) => {
        await client.deleteWorkflow(flags.namespace, name);
        process.stdout.write(`Workflow '${name}' deleted\n`);
      }),
    );
}
