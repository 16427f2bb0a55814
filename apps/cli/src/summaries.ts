// The top-level commands as the overall help shows them: usage and one-line summary. Kept apart from
// the modules that define the commands, which take their summaries from here, so that `regatta --help`
// loads none of them.
export const COMMANDS = {
  run: { usage: 'run <file>', summary: 'run a workflow to completion on this machine (starts a private Redis unless REDIS_URL names one, a scheduler and a worker)' },
  submit: { usage: 'submit [files...]', summary: 'submit workflows from files (- for stdin), or from a stored resource with --from; prints their names' },
  list: { usage: 'list', summary: 'list workflows' },
  get: { usage: 'get <name>', summary: 'show a workflow and its node tree' },
  logs: { usage: 'logs <name> [pod]', summary: "print a workflow's node output, each line after its pod name" },
  delete: { usage: 'delete [names...]', summary: 'delete workflows and their logs, by name or by --completed, --older, --all, -l, --prefix' },
  watch: { usage: 'watch <name>', summary: 'show a workflow as `get` does, again as it changes, until it ends' },
  wait: { usage: 'wait <names...>', summary: 'wait for workflows to end; fails unless all succeeded' },
  lint: { usage: 'lint <files...>', summary: 'validate workflow files' },
  suspend: { usage: 'suspend <names...>', summary: 'suspend a workflow: running nodes go on, no new ones start until resume' },
  terminate: { usage: 'terminate <names...>', summary: 'terminate a workflow: stop its nodes without running exit handlers' },
  retry: { usage: 'retry <names...>', summary: 'run a Failed or Error workflow again: its failed nodes run again, succeeded ones are kept' },
  stop: { usage: 'stop <names...>', summary: 'stop a workflow: stop its nodes, then run its exit handlers' },
  resume: { usage: 'resume <names...>', summary: 'resume a suspended workflow, or its suspend nodes' },
  node: { usage: 'node', summary: 'change a node of a running workflow' },
  resubmit: { usage: 'resubmit <names...>', summary: 'submit a new workflow from the spec of an earlier one' },
  template: { usage: 'template', summary: 'manage WorkflowTemplates' },
  'cluster-template': { usage: 'cluster-template', summary: 'manage ClusterWorkflowTemplates' },
  configmap: { usage: 'configmap', summary: 'manage ConfigMaps that workflow parameters read from' },
  secret: { usage: 'secret', summary: 'manage Secrets that nodes read (stored encrypted with REGATTA_SECRETS_KEY)' },
  cron: { usage: 'cron', summary: 'manage CronWorkflows' },
  scheduler: { usage: 'scheduler', summary: 'run a scheduler (owns shards of workflows, applies events, dispatches nodes)' },
  worker: { usage: 'worker', summary: 'run a worker (takes node jobs and runs them)' },
  server: { usage: 'server', summary: "serve Argo Server's REST API (workflows, watches, logs) over this Redis" },
  auth: { usage: 'auth', summary: "manage the server's access" },
  'event-binding': { usage: 'event-binding', summary: 'manage WorkflowEventBindings: which events submit which WorkflowTemplates' },
  archive: { usage: 'archive', summary: 'manage the workflow archive (PostgreSQL, ARCHIVE_DATABASE_URL)' },
  version: { usage: 'version', summary: 'print the version and how this build was made' },
  completion: { usage: 'completion <shell>', summary: 'print a shell completion script (bash, zsh or fish)' },
} as const satisfies Record<string, { usage: string; summary: string }>;

export type CommandName = keyof typeof COMMANDS;

export const summaryOf = (name: CommandName): string => COMMANDS[name].summary;
