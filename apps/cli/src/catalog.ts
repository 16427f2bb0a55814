// The module that defines each top-level command (summaries.ts has their help lines). `regatta`
// loads only the module of the command it runs (and none for `--help`), so that no command pays for
// the dependencies of the others at start: the Redis client, the engine, BullMQ, the executors.
import type { Command } from 'commander';
import type { CliConfig } from './config.js';
import type { CommandName } from './summaries.js';

/** Defines a module's commands on `program`; a module may first load what its flags need. */
export type Register = (program: Command, config: CliConfig) => void | Promise<void>;

const run = () => import('./commands/run.js').then((m) => m.registerRun);
const submit = () => import('./commands/submit.js').then((m) => m.registerSubmit);
const inspect = () => import('./commands/inspect.js').then((m) => m.registerInspect);
const follow = () => import('./commands/follow.js').then((m) => m.registerFollow);
const lint = () => import('./commands/lint.js').then((m) => m.registerLint);
const control = () => import('./commands/control.js').then((m) => m.registerControl);
const templates = () => import('./commands/templates.js').then((m) => m.registerTemplates);
const configMaps = () => import('./commands/configmaps.js').then((m) => m.registerConfigMaps);
const secrets = () => import('./commands/secrets.js').then((m) => m.registerSecrets);
const cron = () => import('./commands/cron.js').then((m) => m.registerCron);
const services = () => import('./commands/service-commands.js').then((m) => m.registerServices);
const server = () => import('./commands/server.js').then((m) => m.registerServer);
const auth = () => import('./commands/auth.js').then((m) => m.registerAuth);
const eventBindings = () => import('./commands/event-bindings.js').then((m) => m.registerEventBindings);
const archive = () => import('./commands/archive.js').then((m) => m.registerArchive);
const about = () => import('./commands/about.js').then((m) => m.registerAbout);

/** The module of each command: several commands share one. */
export const LOADERS: Record<CommandName, () => Promise<Register>> = {
  run: run,
  submit: submit,
  list: inspect,
  get: inspect,
  logs: inspect,
  delete: inspect,
  watch: follow,
  wait: follow,
  lint: lint,
  suspend: control,
  terminate: control,
  retry: control,
  stop: control,
  resume: control,
  node: control,
  resubmit: control,
  template: templates,
  'cluster-template': templates,
  configmap: configMaps,
  secret: secrets,
  cron: cron,
  scheduler: services,
  worker: services,
  server,
  auth,
  'event-binding': eventBindings,
  archive,
  version: about,
  completion: about,
};

/** Each module once: the whole command tree, which `completion` describes. */
export function allModules(): Array<() => Promise<Register>> {
  return [...new Set(Object.values(LOADERS))];
}
