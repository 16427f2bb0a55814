// Reading and removing workflows: `list`, `get`, `logs`, `delete`, with Argo's flags, all through the
// workflow client (openClient), so that they work the same against a server.
import type { Command } from 'commander';
import type { ListOptions, LogOptions, WorkflowClient } from '@regatta/client';
import type { WorkflowPhase } from '@regatta/spec';
import type { WorkflowSummary } from '@regatta/store';
import { timeAgo } from '../ages.js';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { withClient } from '../connection.js';
import { formatWorkflow, parseViewFormat, printLogEntry, printTimedLogEntry, type ViewFormat } from '../output.js';
import { resolveName } from '../latest.js';
import { formatDuration } from '../render/humanize.js';
import { alignColumns } from '../render/table.js';

interface SelectionFlags {
  namespace: string;
  allNamespaces?: boolean;
  selector?: string;
  running?: boolean;
  completed?: boolean;
  status?: string;
  since?: string;
  older?: string;
  prefix?: string;
}

interface ListFlags extends SelectionFlags {
  output?: string;
  headers: boolean;
}

const ENDED: WorkflowPhase[] = ['Succeeded', 'Failed', 'Error'];
/** Node phases Argo counts as completed in P/R/C (`Fulfilled`). */
const FULFILLED = ['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted'];

/** The flags `list` and `delete` share to pick workflows, as Argo spells them. */
function addSelectionFlags(command: Command): Command {
  return command
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'in every namespace')
    .option('-l, --selector <selector>', 'only workflows whose labels match, e.g. app=x,tier!=db,env in (a,b)')
    .option('--running', 'only running workflows')
    .option('--completed', 'only workflows that have ended')
    .option('--status <phases>', 'only workflows in these phases, e.g. Failed,Error')
    .option('--since <age>', 'only workflows created within this time, e.g. 1h')
    .option('--older <age>', 'only workflows that finished longer ago than this, e.g. 1d')
    .option('--prefix <prefix>', 'only workflows whose names begin with this');
}

function listOptions(flags: SelectionFlags): ListOptions {
  const phases = [...(flags.running ? ['Running' as const] : []), ...(flags.completed ? ENDED : []), ...(flags.status?.split(',') ?? [])] as WorkflowPhase[];
  return {
    ...(flags.selector !== undefined && { labelSelector: flags.selector }),
    ...(phases.length > 0 && { phases }),
    ...(flags.since !== undefined && { createdAfter: timeAgo(flags.since, '--since') }),
    ...(flags.older !== undefined && { finishedBefore: timeAgo(flags.older, '--older') }),
    ...(flags.prefix !== undefined && { prefix: flags.prefix }),
  };
}

const namespaceOf = (flags: SelectionFlags) => (flags.allNamespaces ? undefined : flags.namespace);


/** Argo's list table (`printTable`): NAMESPACE first with -A; `wide` adds P/R/C and PARAMETERS. */
function listTable(summaries: WorkflowSummary[], format: ViewFormat, allNamespaces: boolean, headers: boolean): string {
  const wide = format === 'wide';
  const rows: string[][] = [];
  if (headers) rows.push([...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE', ...(wide ? ['P/R/C', 'PARAMETERS'] : [])]);
  const now = Date.now();
  for (const s of summaries) {
    const created = Date.parse(s.creationTimestamp ?? s.startedAt ?? '') || now;
    const started = s.startedAt ? Date.parse(s.startedAt) : now;
    const finished = s.finishedAt ? Date.parse(s.finishedAt) : now;
    const row = [s.name, s.phase || 'Pending', formatDuration(now - created), formatDuration(finished - started), String(s.priority ?? 0), s.message ?? ''];
    if (allNamespaces) row.unshift(s.namespace);
    if (wide) row.push(podCounts(s.podPhases ?? {}), Object.entries(s.parameters ?? {}).map(([name, value]) => `${name}=${value}`).join(','));
    rows.push(row);
  }
  // Argo's `argo list` pads its columns by three.
  return alignColumns(rows, 3).map((line) => `${line}\n`).join('');
}

/** Argo's P/R/C: pending, running and completed pods. */
function podCounts(phases: Record<string, number>): string {
  let pending = 0;
  let running = 0;
  let completed = 0;
  for (const [phase, count] of Object.entries(phases)) {
    if (FULFILLED.includes(phase)) completed += count;
    else if (phase === 'Running') running += count;
    else pending += count;
  }
  return `${pending}/${running}/${completed}`;
}

async function printObjects(value: unknown, format: 'json' | 'yaml'): Promise<void> {
  const { stringify } = await import('yaml');
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value));
}

interface LogFlags {
  namespace: string;
  node?: string;
  follow?: boolean;
  container?: string;
  since?: string;
  sinceTime?: string;
  tail?: string;
  grep?: string;
  timestamps?: boolean;
}

function logOptions(pod: string | undefined, flags: LogFlags): LogOptions {
  if (flags.since !== undefined && flags.sinceTime !== undefined) throw new Error('logs takes --since or --since-time, not both');
  const tail = flags.tail === undefined ? undefined : Number(flags.tail);
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) throw new Error(`--tail expects a whole number of lines, got "${flags.tail}"`);
  const sinceTime = flags.since !== undefined ? timeAgo(flags.since, '--since') : flags.sinceTime;
  return {
    follow: flags.follow === true,
    ...(flags.node !== undefined && { nodeId: flags.node }),
    ...(pod !== undefined && { podName: pod }),
    ...(flags.container !== undefined && { container: flags.container }),
    ...(flags.grep !== undefined && { grep: flags.grep }),
    ...(sinceTime !== undefined && { sinceTime }),
    ...(tail !== undefined && { tailLines: tail }),
  };
}

interface DeleteFlags extends SelectionFlags {
  all?: boolean;
}

/** The workflows `delete` names or selects; refuses a call that does neither, as Argo does. */
async function toDelete(client: WorkflowClient, names: string[], flags: DeleteFlags): Promise<Array<{ namespace: string; name: string }>> {
  const options = listOptions(flags);
  const selects = flags.all === true || Object.keys(options).length > 0;
  if (names.length > 0 && selects) throw new Error('delete takes workflow names or selection flags (--all, --completed, --older, -l, --prefix, …), not both');
  if (names.length > 0) return Promise.all(names.map(async (name) => ({ namespace: flags.namespace, name: await resolveName(client, flags.namespace, name) })));
  if (!selects) throw new Error('delete needs workflow names, or --all, --completed, --older, -l, --prefix, --status, --running or --since');
  return client.listWorkflows(namespaceOf(flags), options);
}

export function registerInspect(program: Command, config: CliConfig): void {
  addSelectionFlags(program.command('list').description(summaryOf('list')))
    .option('--no-headers', 'leave out the header line')
    .option('-o, --output <format>', 'wide, name, json or yaml')
    .action((flags: ListFlags) => {
      const format = parseViewFormat(flags.output);
      const options = { ...listOptions(flags), ...(format === 'wide' && { podPhases: true }) };
      return withClient(config, async (client) => {
        const summaries = await client.listWorkflows(namespaceOf(flags), options);
        if (format === 'json' || format === 'yaml') await printObjects(summaries, format);
        else if (format === 'name') process.stdout.write(summaries.map((s) => `${s.name}\n`).join(''));
        else process.stdout.write(listTable(summaries, format, flags.allNamespaces === true, flags.headers));
      });
    });

  program
    .command('get <name>')
    .description(summaryOf('get'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-o, --output <format>', 'wide, name, json or yaml')
    .action((name: string, flags: { namespace: string; output?: string }) => {
      const format = parseViewFormat(flags.output);
      return withClient(config, async (client) => {
        const workflow = await client.getWorkflow(flags.namespace, await resolveName(client, flags.namespace, name));
        process.stdout.write(formatWorkflow(workflow, format, process.stdout.isTTY === true && !process.env.NO_COLOR));
      });
    });

  program
    .command('logs <name> [pod]')
    .description(summaryOf('logs'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-c, --container <name>', 'only this container: main, or a container set container')
    .option('-f, --follow', 'keep printing until the workflow ends')
    .option('--since <age>', 'only lines written within this time, e.g. 5m')
    .option('--since-time <time>', 'only lines written at or after this RFC 3339 time')
    .option('--tail <lines>', 'only the last this many lines there are now')
    .option('--grep <pattern>', 'only lines this RE2 pattern matches')
    .option('--timestamps', "each line's time after the pod name")
    .option('--node <id>', 'only this node')
    .action((name: string, pod: string | undefined, flags: LogFlags) => {
      const options = logOptions(pod, flags);
      const print = flags.timestamps ? printTimedLogEntry : printLogEntry;
      return withClient(config, async (client) => client.workflowLogs(flags.namespace, await resolveName(client, flags.namespace, name), print, options));
    });

  addSelectionFlags(program.command('delete [names...]').description(summaryOf('delete')))
    .option('--all', 'every workflow of the namespace (of all, with -A)')
    .action((names: string[], flags: DeleteFlags) =>
      withClient(config, async (client) => {
        for (const { namespace, name } of await toDelete(client, names, flags)) {
          await client.deleteWorkflow(namespace, name);
          process.stdout.write(`Workflow '${name}' deleted\n`);
        }
      }),
    );
}
