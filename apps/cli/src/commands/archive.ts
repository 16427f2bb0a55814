// `regatta archive …`: Argo's workflow archive commands, in local mode straight to PostgreSQL
// (ARCHIVE_DATABASE_URL). pg is loaded only when an archive command runs, not for every `regatta`.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { WorkflowArchive, ArchivedWorkflowSummary } from '@regatta/archive';
import { ClientError } from '@regatta/client';
import { parseLabelSelector, type Workflow } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { summaryOf } from '../summaries.js';
import { refuseServerMode, withClient } from '../connection.js';
import { formatWorkflow, parseOutputFormat } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';

async function withArchive<T>(config: CliConfig, action: (archive: WorkflowArchive) => Promise<T>): Promise<T> {
  refuseServerMode(config);
  const url = process.env.ARCHIVE_DATABASE_URL;
  if (!url) throw new Error('ARCHIVE_DATABASE_URL is not set: the workflow archive needs PostgreSQL (postgres://user@host:5432/db)');
  const { WorkflowArchive } = await import('@regatta/archive');
  const archive = await WorkflowArchive.open({ url });
  try {
    return await action(archive);
  } finally {
    await archive.close();
  }
}

async function archived(archive: WorkflowArchive, uid: string): Promise<Workflow> {
  const workflow = await archive.get(uid);
  if (!workflow) throw new ClientError('NotFound', `archived workflow "${uid}" not found`);
  return workflow;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--chunk-size must be a whole number from 1 to 10000, got "${value}"`);
  return n;
}

/** Argo's workflow table for archived workflows: NAMESPACE NAME STATUS AGE DURATION PRIORITY MESSAGE UID. */
function table(items: readonly ArchivedWorkflowSummary[], now: number): string {
  const rows = [['NAMESPACE', 'NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE', 'UID']];
  for (const { metadata, spec, status } of items) {
    const started = status.startedAt ? Date.parse(status.startedAt) : now;
    const finished = status.finishedAt ? Date.parse(status.finishedAt) : now;
    rows.push([metadata.namespace, metadata.name, status.phase || 'Pending', formatDuration(now - started), formatDuration(finished - started), String(spec.priority ?? 0), status.message ?? '', metadata.uid]);
  }
  return alignColumns(rows, 3).map((line) => `${line}\n`).join('');
}

export function registerArchive(program: Command, config: CliConfig): void {
  const archive = program.command('archive').description(summaryOf('archive'));

  archive
    .command('list')
    .description('list archived workflows, newest first')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-l, --selector <selector>', 'label selector, e.g. env=prod,team in (a,b)')
    .option('--prefix <prefix>', 'only workflows whose name starts with it')
    .option('--chunk-size <n>', 'rows fetched per query', positiveInteger, 500)
    .option('-o, --output <format>', 'wide (default), name, json or yaml')
    .action((flags: { namespace: string; allNamespaces?: boolean; selector?: string; prefix?: string; chunkSize: number; output?: string }) =>
      withArchive(config, async (store) => {
        const output = flags.output === 'name' ? 'name' : parseOutputFormat(flags.output);
        const labelSelector = parseLabelSelector(flags.selector ?? '', '--selector');
        const items: ArchivedWorkflowSummary[] = [];
        let token: string | undefined;
        do {
          const page = await store.list({ namespace: flags.allNamespaces ? undefined : flags.namespace, labelSelector, namePrefix: flags.prefix, limit: flags.chunkSize, continue: token });
          items.push(...page.items);
          token = page.continue;
        } while (token);
        if (output === 'name') process.stdout.write(items.map((item) => `${item.metadata.name}\n`).join(''));
        else if (output === 'json') process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        else if (output === 'yaml') process.stdout.write(stringify(items));
        else process.stdout.write(table(items, Date.now()));
      }),
    );

  archive
    .command('get <uid>')
    .description('show an archived workflow and its node tree')
    .option('-o, --output <format>', 'json or yaml (default: the tree)')
    .action((uid: string, flags: { output?: string }) =>
      withArchive(config, async (store) => {
        const output = parseOutputFormat(flags.output);
        process.stdout.write(formatWorkflow(await archived(store, uid), output, process.stdout.isTTY === true && !process.env.NO_COLOR));
      }),
    );

  archive
    .command('delete <uid...>')
    .description('delete archived workflows')
    .action((uids: string[]) =>
      withArchive(config, async (store) => {
        for (const uid of uids) {
          if (!(await store.delete(uid))) throw new ClientError('NotFound', `archived workflow "${uid}" not found`);
          process.stdout.write(`Archived workflow '${uid}' deleted\n`);
        }
      }),
    );

  archive
    .command('resubmit <uid>')
    .description('submit a new workflow from the spec of an archived one')
    .option('--memoized', 'keep the nodes that succeeded (only for a Failed or Error workflow)')
    .action((uid: string, flags: { memoized?: boolean }) =>
      withArchive(config, async (store) => {
        const original = await archived(store, uid);
        const { resubmitArchived } = await import('@regatta/client');
        await withClient(config, async (client) => {
          const copy = await resubmitArchived(client, original, { memoized: flags.memoized === true });
          process.stdout.write(`Name: ${copy.metadata.name}\n`);
        });
      }),
    );

  archive
    .command('retry <uid>')
    .description('recreate a Failed or Error archived workflow and retry it')
    .action((uid: string) =>
      withArchive(config, async (store) => {
        const original = await archived(store, uid);
        const { retryArchived } = await import('@regatta/client');
        await withClient(config, async (client) => {
          const live = await retryArchived(client, original);
          process.stdout.write(`workflow ${live.metadata.name} retried\n`);
        });
      }),
    );

  archive
    .command('list-label-keys')
    .description('the label keys of archived workflows')
    .action(() =>
      withArchive(config, async (store) => {
        process.stdout.write((await store.labelKeys()).map((key) => `${key}\n`).join(''));
      }),
    );

  archive
    .command('list-label-values')
    .description('the values of one label key on archived workflows')
    .requiredOption('-l, --selector <key>', 'the label key')
    .action((flags: { selector: string }) =>
      withArchive(config, async (store) => {
        const [requirement] = parseLabelSelector(flags.selector, '--selector');
        if (!requirement) throw new Error('--selector names no label key');
        process.stdout.write((await store.labelValues(requirement.key)).map((value) => `${value}\n`).join(''));
      }),
    );
}
