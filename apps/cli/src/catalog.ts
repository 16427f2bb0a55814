// The top-level commands, each with its one-line summary and the module that defines it. `regatta`
// loads only the module of the command it runs (and none for `--help`), so that no command pays for
// the dependencies of the others at start: the Redis client, the engine, BullMQ, the executors.
import type { Command } from 'commander';
import type { CliConfig } from './config.js';

export type Register = (program: Command, config: CliConfig) => void;

interface Entry {
  /** As the overall help shows it, e.g. `get <name>`. */
  usage: string;
  summary: string;
  load: () => Promise<Register>;
}

const run = () => import('./commands/run.js').then((m) => m.registerRun);
const submit = () => import('./commands/submit.js').then((m) => m.registerSubmit);
const inspect = () => import('./commands/inspect.js').then((m) => m.registerInspect);
const follow = () => import('./commands/follow.js').then((m) => m.registerFollow);
const lint = () => import('./commands/lint.js').then((m) => m.registerLint);
const control = () => import('./commands/control.js').then((m) => m.registerControl);
const templates = () => import('./commands/templates.js').then((m) => m.registerTemplates);
const configMaps = () => import('./commands/configmaps.js').then((m) => m.registerConfigMaps);
const cron = () => import('./commands/cron.js').then((m) => m.registerCron);
const services = () => import('./commands/service-commands.js').then((m) => m.registerServices);
const about = () => import('./commands/about.js').then((m) => m.registerAbout);

export const COMMANDS = {
  run: { usage: 'run <file>', summary: 'run a workflow to completion on this machine (starts a private Redis unless REDIS_URL names one, a scheduler and a worker)', load: run },
  submit: { usage: 'submit [files...]', summary: 'submit workflows from files (- for stdin), or from a stored resource with --from; prints their names', load: submit },
  list: { usage: 'list', summary: 'list workflows', load: inspect },
  get: { usage: 'get <name>', summary: 'show a workflow and its node tree', load: inspect },
  logs: { usage: 'logs <name> [pod]', summary: "print a workflow's node output, each line after its pod name", load: inspect },
  delete: { usage: 'delete [names...]', summary: 'delete workflows and their logs, by name or by --completed, --older, --all, -l, --prefix', load: inspect },
  watch: { usage: 'watch <name>', summary: 'show a workflow as `get` does, again as it changes, until it ends', load: follow },
  wait: { usage: 'wait <names...>', summary: 'wait for workflows to end; fails unless all succeeded', load: follow },
  lint: { usage: 'lint <files...>', summary: 'validate workflow files', load: lint },
  suspend: { usage: 'suspend <name>', summary: 'suspend a workflow: running nodes go on, no new ones start until resume', load: control },
  terminate: { usage: 'terminate <name>', summary: 'terminate a workflow: stop its nodes without running exit handlers', load: control },
  retry: { usage: 'retry <name>', summary: 'run a Failed or Error workflow again: its failed nodes run again, succeeded ones are kept', load: control },
  stop: { usage: 'stop <name>', summary: 'stop a workflow: stop its nodes, then run its exit handlers', load: control },
  resume: { usage: 'resume <name>', summary: 'resume a suspended workflow, or its suspend nodes', load: control },
  node: { usage: 'node', summary: 'change a node of a running workflow', load: control },
  resubmit: { usage: 'resubmit <name>', summary: 'submit a new workflow from the spec of an earlier one', load: control },
  template: { usage: 'template', summary: 'manage WorkflowTemplates', load: templates },
  'cluster-template': { usage: 'cluster-template', summary: 'manage ClusterWorkflowTemplates', load: templates },
  configmap: { usage: 'configmap', summary: 'manage ConfigMaps that workflow parameters read from', load: configMaps },
  cron: { usage: 'cron', summary: 'manage CronWorkflows', load: cron },
  scheduler: { usage: 'scheduler', summary: 'run a scheduler (owns shards of workflows, applies events, dispatches nodes)', load: services },
  worker: { usage: 'worker', summary: 'run a worker (takes node jobs and runs them)', load: services },
  version: { usage: 'version', summary: 'print the version and how this build was made', load: about },
  completion: { usage: 'completion <shell>', summary: 'print a shell completion script (bash, zsh or fish)', load: about },
} satisfies Record<string, Entry>;

export type CommandName = keyof typeof COMMANDS;

/** The summary a module gives its command, kept here so that the overall help needs no module. */
export const summaryOf = (name: CommandName): string => COMMANDS[name].summary;

/** Each module once, in the catalog's order: what `completion` and an unknown command need. */
export function allModules(): Array<() => Promise<Register>> {
  return [...new Set(Object.values(COMMANDS).map((entry) => entry.load))];
}
