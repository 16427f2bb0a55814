// Argo's submission flags, shared by `submit` and `run`.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { SubmitOptions } from '@regatta/client';
import { parseParameterFile } from '@regatta/spec';

export interface SubmissionFlags {
  parameter: string[];
  parameterFile?: string;
  entrypoint?: string;
  generateName?: string;
  labels?: Record<string, string>;
  namespace: string;
}

/** `-l k=v,k2=v2`, repeatable. */
function collectLabels(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const labels = { ...previous };
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`-l expects key=value[,key=value…], got "${value}"`);
    labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return labels;
}

export function addSubmissionFlags(command: Command): Command {
  return command
    .option('-p, --parameter <name=value>', 'workflow parameter (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('-f, --parameter-file <file>', 'YAML or JSON file of parameters')
    .option('-e, --entrypoint <template>', 'override the entrypoint')
    .option('--generate-name <prefix>', 'name prefix; a random suffix is added')
    .option('-l, --labels <key=value,…>', "labels added to the workflow's own", collectLabels)
    .addOption(new Option('-n, --namespace <namespace>', 'namespace').default('default'));
}

export function submitOptions(flags: SubmissionFlags, shards: number): SubmitOptions {
  const parameters: Record<string, string> = {};
  if (flags.parameterFile) Object.assign(parameters, parseParameterFile(readFileSync(flags.parameterFile, 'utf8'), flags.parameterFile));
  for (const pair of flags.parameter) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`-p expects name=value, got "${pair}"`);
    parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    parameters,
    ...(flags.entrypoint !== undefined && { entrypoint: flags.entrypoint }),
    ...(flags.generateName !== undefined && { generateName: flags.generateName }),
    ...(flags.labels !== undefined && { labels: flags.labels }),
    namespace: flags.namespace,
    shards,
  };
}
