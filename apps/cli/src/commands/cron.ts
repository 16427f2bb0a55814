// `regatta cron …`: Argo's verbs for CronWorkflows (create, list, get, delete, suspend, resume, lint).
// `create` and `lint` check each CronWorkflow as Argo does: the document, its schedules and time zone,
// its expressions, and its workflowSpec as a workflow submitted from it would be checked (with any
// WorkflowTemplate it names resolved from the store); `create` stores all or none.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import { cronExpressionIssues, cronWorkflowSpecIssues, deleteCronWorkflow, suspendCronWorkflow } from '@regatta/client';
import { nextTick } from '@regatta/scheduler';
import { argoTime, cronSchedules, loadCronWorkflows, SCHEDULED_TIME_ANNOTATION, type CronWorkflow } from '@regatta/spec';
import { connectRedis, CronStore, type ResourceStore } from '@regatta/store';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { refuseServerMode, withClient, withConnection, withStoredResources, workflowClient, type Connection, type StoredResources } from '../connection.js';
import { formatGoTime } from '../go-time.js';
import { parseOutputFormat } from '../output.js';
import { formatDuration, formatTimestamp } from '../render/humanize.js';
import { alignColumns } from '../render/table.js';
import { waitForEnd } from './follow.js';
import { formatResources, namespaceFlag, readResourceFiles } from './resource-files.js';

interface Flags {
  namespace?: string;
  output?: string;
}

interface BackfillFlags extends Flags {
  start: string;
  end?: string;
  parallel?: boolean;
  argname: string;
  format: string;
  maxworkflowcount: string;
}

function backfillTime(text: string, flag: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`${flag} expects a time such as 2026-01-02T00:00:00Z, got "${text}"`);
  return time;
}

/** The times from `start` to `end` (both included) at which the CronWorkflow's schedules fire, at most `max`. */
function scheduledTimes(cron: CronWorkflow, start: number, end: number, max: number): number[] {
  const times: number[] = [];
  for (let tick = nextTick(cron, start - 1); tick !== undefined && tick <= end && times.length < max; tick = nextTick(cron, tick)) times.push(tick);
  return times;
}

export function registerCron(program: Command, config: CliConfig): void {
  const group = program.command('cron').description(summaryOf('cron'));
  const connected = (action: (connection: Connection, crons: CronStore) => Promise<void>) =>
    withConnection(config, (connection) => action(connection, new CronStore(connection.redis, config.prefix)));
  const namespace = (sub: Command, fallback?: string) =>
    sub.option('-n, --namespace <namespace>', `namespace${fallback ? '' : ' (default: the document\'s, else "default")'}`, namespaceFlag, fallback);

  namespace(group.command('create <files...>').description('create CronWorkflows from files (all or none)'))
    .option('-o, --output <format>', 'name, json or yaml')
    .action((files: string[], flags: Flags) => {
      const output = outputFormat(flags.output);
      const crons = readResourceFiles(files, loadWithExpressions, flags.namespace, true);
      return connected(async ({ redis, resources }, store) => {
        await checkWorkflowSpecs(redis, config, crons);
        const created = await resources.create('CronWorkflow', crons);
        if (output === 'name') process.stdout.write(created.map((c) => `${c.metadata.name}\n`).join(''));
        else if (output === 'text') process.stdout.write(created.map((c) => summary(c)).join('\n'));
        else process.stdout.write(formatResources(await Promise.all(created.map((c) => store.withStatus(c))), output));
      });
    });

  namespace(group.command('lint <files...>').description('check CronWorkflow files without storing them')).action(async (files: string[], flags: Flags) => {
    refuseServerMode(config);
    const redis = connectRedis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    let failed = 0;
    try {
      for (const file of files) {
        try {
          await lintCronFile(redis, config, file, flags.namespace);
          process.stdout.write(`${file}: no linting errors found\n`);
        } catch (error) {
          failed++;
          process.stderr.write(`${(error as Error).message}\n`);
        }
      }
    } finally {
      redis.disconnect();
    }
    if (failed > 0) process.exitCode = 1;
  });

  namespace(group.command('update <files...>').description('replace stored CronWorkflows from files (all or none; each must exist)'))
    .option('-o, --output <format>', 'name, json or yaml')
    .action((files: string[], flags: Flags) => {
      const output = outputFormat(flags.output);
      const crons = readResourceFiles(files, loadWithExpressions, flags.namespace, true);
      return connected(async ({ redis, resources }, store) => {
        for (const { metadata } of crons) await requireCron(resources, metadata.namespace!, metadata.name!);
        await checkWorkflowSpecs(redis, config, crons);
        await resources.apply('CronWorkflow', crons);
        const updated = await Promise.all(crons.map(async ({ metadata }) => store.withStatus(await requireCron(resources, metadata.namespace!, metadata.name!))));
        if (output === 'name') process.stdout.write(updated.map((c) => `${c.metadata.name}\n`).join(''));
        else if (output === 'text') process.stdout.write(updated.map((c) => summary(c)).join('\n'));
        else process.stdout.write(formatResources(updated, output));
      });
    });

  namespace(group.command('backfill <name>').description("run a CronWorkflow for each time its schedules gave between --start and --end"), 'default')
    .requiredOption('--start <time>', 'the first time to run for (RFC 3339, or as JavaScript reads dates)')
    .option('--end <time>', 'the last time to run for (default: now)')
    .option('--parallel', 'submit all at once rather than one after another ends')
    .option('--argname <name>', 'the workflow parameter that gets the scheduled time', 'cronScheduleTime')
    .option('--format <layout>', "the scheduled time's Go layout", 'Mon, 02 Jan 2006 15:04:05 MST')
    .option('--maxworkflowcount <n>', 'at most this many workflows', '1000')
    .action((name: string, flags: BackfillFlags) => {
      const namespace = flags.namespace!;
      const max = Number(flags.maxworkflowcount);
      if (!Number.isInteger(max) || max < 1) throw new Error(`--maxworkflowcount expects a positive integer, got "${flags.maxworkflowcount}"`);
      const start = backfillTime(flags.start, '--start');
      const end = flags.end === undefined ? Date.now() : backfillTime(flags.end, '--end');
      if (end < start) throw new Error('--end is before --start');
      return connected(async ({ resources }) => {
        const cron = await requireCron(resources, namespace, name);
        const times = scheduledTimes(cron, start, end, max);
        await withClient(config, async (client) => {
          const submit = (time: number) =>
            client.submitFrom('CronWorkflow', name, {
              namespace,
              parameters: { [flags.argname]: formatGoTime(new Date(time), flags.format) },
              annotations: { [SCHEDULED_TIME_ANNOTATION]: argoTime(new Date(time)) },
            });
          if (flags.parallel) {
            for (const time of times) process.stdout.write(`${(await submit(time)).metadata.name}\n`);
            return;
          }
          // One after another, as Argo's backfill runs them without --parallel.
          for (const time of times) {
            const workflow = await submit(time);
            process.stdout.write(`${workflow.metadata.name}\n`);
            await waitForEnd(client, namespace, workflow.metadata.name!, workflow.metadata.uid);
          }
        });
      });
    });

  /** Stored CronWorkflows shown with their status: in server mode, as the server shows them. */
  const shown = (action: (show: (cron: CronWorkflow) => Promise<CronWorkflow>, resources: StoredResources) => Promise<void>) =>
    config.server ? withStoredResources(config, (resources) => action(async (cron) => cron, resources)) : connected(({ resources }, store) => action((cron) => store.withStatus(cron), resources));

  namespace(group.command('list').description('list CronWorkflows'), 'default')
    .option('-o, --output <format>', 'name, json or yaml')
    .action((flags: Flags) =>
      shown(async (show, resources) => {
        const output = outputFormat(flags.output);
        const crons = await Promise.all((await resources.list('CronWorkflow', flags.namespace!)).map(show));
        if (output === 'name') process.stdout.write(crons.map((c) => `${c.metadata.name}\n`).join(''));
        else if (output === 'text') process.stdout.write(table(crons));
        else process.stdout.write(formatResources(crons, output));
      }),
    );

  namespace(group.command('get <name>').description('show a CronWorkflow and its status'), 'default')
    .option('-o, --output <format>', 'name, json or yaml')
    .action((name: string, flags: Flags) =>
      shown(async (show, resources) => {
        const output = outputFormat(flags.output);
        const shown = await show(await requireCron(resources, flags.namespace!, name));
        if (output === 'name') process.stdout.write(`${name}\n`);
        else process.stdout.write(output === 'text' ? summary(shown) : formatResources(shown, output));
      }),
    );

  namespace(group.command('delete <names...>').description('delete CronWorkflows and the workflows they started'), 'default').action((names: string[], flags: Flags) =>
    connected(async ({ resources, store: workflows }, crons) => {
      for (const name of names) {
        await deleteCronWorkflow({ resources, crons, workflows }, flags.namespace!, name);
        process.stdout.write(`CronWorkflow '${name}' deleted\n`);
      }
    }),
  );

  for (const [verb, suspend] of [
    ['suspend', true],
    ['resume', false],
  ] as const) {
    namespace(group.command(`${verb} <names...>`).description(suspend ? 'stop scheduling CronWorkflows' : 'schedule suspended or stopped CronWorkflows again'), 'default').action(
      (names: string[], flags: Flags) =>
        connected(async ({ resources }, crons) => {
          for (const name of names) {
            await suspendCronWorkflow({ resources, crons }, flags.namespace!, name, suspend);
            process.stdout.write(`CronWorkflow '${name}' ${suspend ? 'suspended' : 'resumed'}\n`);
          }
        }),
    );
  }
}

/** The checks of `cron create` on one file, storing nothing; throws what is wrong. Used by `lint` too. */
export async function lintCronFile(redis: Redis, config: CliConfig, file: string, namespace?: string): Promise<void> {
  try {
    await checkWorkflowSpecs(redis, config, readResourceFiles([file], loadWithExpressions, namespace, true));
  } catch (error) {
    // Every line names the file.
    const lines = (error as Error).message.split('\n').map((line) => (line.startsWith(`${file}:`) ? line : `${file}: ${line}`));
    throw new CronLintError(lines.join('\n'));
  }
}

/** What `lintCronFile` found, each line naming the file. */
export class CronLintError extends Error {}

type CronOutput = 'name' | 'json' | 'yaml' | 'text';

function outputFormat(value: string | undefined): CronOutput {
  return value === 'name' ? 'name' : parseOutputFormat(value);
}

/** Loads CronWorkflows and checks their expressions, naming the file and the CronWorkflow. */
function loadWithExpressions(text: string, file: string): CronWorkflow[] {
  const crons = loadCronWorkflows(text, file);
  const problems = crons.flatMap((cron) => cronExpressionIssues(cron).map(({ path, message }) => `${file}: CronWorkflow "${cron.metadata.name}": ${path}: ${message}`));
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return crons;
}

/**
 * Checks each CronWorkflow's workflowSpec as a workflow submitted from it: what the engine cannot run,
 * and the WorkflowTemplates, templates and ConfigMaps it refers to, resolved from the store.
 */
async function checkWorkflowSpecs(redis: Redis, config: CliConfig, crons: CronWorkflow[]): Promise<void> {
  const problems: string[] = [];
  const client = await workflowClient(redis, config);
  for (const cron of crons) {
    const { name, namespace } = cron.metadata;
    for (const { path, message } of await cronWorkflowSpecIssues(client, cron, config.shards)) {
      problems.push(`CronWorkflow "${name}" in namespace "${namespace}": ${path ? `${path}: ` : ''}${message}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

async function requireCron(resources: StoredResources, namespace: string, name: string): Promise<CronWorkflow> {
  const cron = await resources.get('CronWorkflow', namespace, name);
  if (!cron) throw new Error(notFound(name, namespace));
  return cron;
}

function notFound(name: string, namespace: string): string {
  return `CronWorkflow "${name}" not found in namespace "${namespace}"`;
}

/** As `argo cron get` prints one. */
function summary(cron: CronWorkflow): string {
  const now = new Date();
  const { metadata, spec, status } = cron;
  const next = spec.suspend || status?.phase === 'Stopped' ? undefined : nextTick(cron, now.getTime());
  const rows: [string, string][] = [
    ['Name:', metadata.name ?? ''],
    ['Namespace:', metadata.namespace ?? 'default'],
    ['Created:', metadata.creationTimestamp ? formatTimestamp(metadata.creationTimestamp, now) : ''],
    ['Schedules:', cronSchedules(spec).join(',')],
    ...(spec.timezone ? [['Timezone:', spec.timezone] as [string, string]] : []),
    ['Suspended:', String(spec.suspend ?? false)],
    ['StartingDeadlineSeconds:', String(spec.startingDeadlineSeconds ?? 0)],
    ['ConcurrencyPolicy:', spec.concurrencyPolicy ?? 'Allow'],
    ...(status?.lastScheduledTime ? [['LastScheduledTime:', formatTimestamp(status.lastScheduledTime, now)] as [string, string]] : []),
    ...(next !== undefined ? [['NextScheduledTime:', formatTimestamp(argoTime(new Date(next)), now)] as [string, string]] : []),
    ...(status?.active?.length ? [['Active Workflows:', status.active.map((a) => a.name).join(', ')] as [string, string]] : []),
    ...(status?.conditions?.length ? [['Conditions:', status.conditions.map((c) => `${c.type}: ${c.message ?? ''}`).join('; ')] as [string, string]] : []),
    ['Phase:', status?.phase ?? 'Active'],
    ['Succeeded:', String(status?.succeeded ?? 0)],
    ['Failed:', String(status?.failed ?? 0)],
  ];
  return rows.map(([label, value]) => `${label.padEnd(30)} ${value}\n`).join('');
}

/** As `argo cron list` lists them. */
function table(crons: CronWorkflow[]): string {
  const now = Date.now();
  const rows = crons.map((cron) => {
    const { metadata, spec, status } = cron;
    const next = spec.suspend || status?.phase === 'Stopped' ? undefined : nextTick(cron, now);
    return [
      metadata.name ?? '',
      metadata.creationTimestamp ? formatDuration(now - Date.parse(metadata.creationTimestamp)) : '',
      status?.lastScheduledTime ? formatDuration(now - Date.parse(status.lastScheduledTime)) : 'N/A',
      next === undefined ? 'N/A' : formatDuration(next - now),
      cronSchedules(spec).join(','),
      spec.timezone ?? '',
      String(spec.suspend ?? false),
    ];
  });
  return `${alignColumns([['NAME', 'AGE', 'LAST RUN', 'NEXT RUN', 'SCHEDULES', 'TIMEZONE', 'SUSPENDED'], ...rows]).join('\n')}\n`;
}
