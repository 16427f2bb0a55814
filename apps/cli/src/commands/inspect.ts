// Reading and removing workflows: `list`, `get`, `logs`, `delete`.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliConfig } from '../config.js';
import { requireUid, withConnection as withRedis, type Connection } from '../connection.js';
import { hasEnded } from '../follow.js';
import { LogFollower } from '../log-follower.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';

function withConnection(config: CliConfig, action: (connection: Connection) => Promise<void>): Promise<void> {
  return withRedis(config.redisUrl, config.prefix, action);
}

export function registerInspect(program: Command, config: CliConfig): void {
  program
    .command('list')
    .description('list workflows')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((flags: { namespace: string; output?: string }) =>
      withConnection(config, async ({ store }) => {
        const summaries = (await store.list(flags.namespace)).sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
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
      withConnection(config, async (connection) => {
        const output = parseOutputFormat(flags.output);
        const stored = await connection.store.load(await requireUid(connection, flags.namespace, name));
        if (!stored) throw new Error(`workflow "${name}" not found in namespace "${flags.namespace}"`);
        process.stdout.write(formatWorkflow(stored.workflow, output, process.stdout.isTTY === true && !process.env.NO_COLOR));
      }),
    );

  program
    .command('logs <name>')
    .description("print a workflow's node output")
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node <id>', 'only this node')
    .option('--follow', 'keep printing until the workflow ends')
    .action((name: string, flags: { namespace: string; node?: string; follow?: boolean }) =>
      withConnection(config, async (connection) => {
        const uid = await requireUid(connection, flags.namespace, name);
        const follower = new LogFollower(connection.logs, connection.store, uid, { nodeId: flags.node }, (text) =>
          process.stdout.write(text),
        );
        await follower.drain();
        while (flags.follow) {
          const stored = await connection.store.load(uid);
          if (!stored || hasEnded(stored)) break;
          await follower.drain(1000);
        }
        await follower.drain();
      }),
    );

  program
    .command('delete <name>')
    .description('delete a workflow and its logs')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action((name: string, flags: { namespace: string }) =>
      withConnection(config, async ({ store }) => {
        if (!(await store.delete(flags.namespace, name))) {
          throw new Error(`workflow "${name}" not found in namespace "${flags.namespace}"`);
        }
        process.stdout.write(`Workflow '${name}' deleted\n`);
      }),
    );
}
