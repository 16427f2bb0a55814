// `regatta template …` and `regatta cluster-template …`: Argo's verbs for WorkflowTemplates and
// ClusterWorkflowTemplates. `create` checks each template as a workflow is checked (an entrypoint and
// argument values may be left to the workflows that use it) and stores all or none.
import type { Command } from 'commander';
import { loadClusterWorkflowTemplates, loadWorkflowTemplates, type ClusterWorkflowTemplate, type WorkflowTemplate } from '@regatta/spec';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { withStoredResources, type StoredResources } from '../connection.js';
import { parseOutputFormat } from '../output.js';
import { alignColumns } from '../render/table.js';
import { formatTimestamp } from '../render/humanize.js';
import { formatResources, namespaceFlag, readResourceFiles } from './resource-files.js';

type TemplateKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate';
type AnyTemplate = WorkflowTemplate | ClusterWorkflowTemplate;

const KINDS: Record<TemplateKind, { command: 'template' | 'cluster-template'; load: (text: string, file: string) => AnyTemplate[]; namespaced: boolean }> = {
  WorkflowTemplate: { command: 'template', load: loadWorkflowTemplates, namespaced: true },
  ClusterWorkflowTemplate: { command: 'cluster-template', load: loadClusterWorkflowTemplates, namespaced: false },
};

interface Flags {
  namespace?: string;
  output?: string;
}

export function registerTemplates(program: Command, config: CliConfig): void {
  for (const kind of Object.keys(KINDS) as TemplateKind[]) registerKind(program, config, kind);
}

function registerKind(program: Command, config: CliConfig, kind: TemplateKind): void {
  const { command, load, namespaced } = KINDS[kind];
  const group = program.command(command).description(summaryOf(command));
  const connected = (action: (store: StoredResources) => Promise<void>) => withStoredResources(config, action);
  // A cluster-scoped kind has no namespace; the store ignores the one it is given.
  const withNamespace = (sub: Command, fallback?: string) =>
    namespaced ? sub.option('-n, --namespace <namespace>', `namespace${fallback ? '' : ' (default: the document\'s, else "default")'}`, namespaceFlag, fallback) : sub;

  withNamespace(group.command('create <files...>').description(`create ${kind}s from files (all or none)`))
    .option('-o, --output <format>', 'print the created templates as json or yaml')
    .action((files: string[], flags: Flags) => {
      const output = parseOutputFormat(flags.output);
      const templates = readResourceFiles(files, load, flags.namespace, namespaced);
      return connected(async (store) => {
        const created = await store.create(kind, templates);
        process.stdout.write(output === 'text' ? created.map(summary).join('\n') : formatResources(created, output));
      });
    });

  withNamespace(group.command('lint <files...>').description(`check ${kind} files without storing them`)).action((files: string[], flags: Flags) => {
    let failed = 0;
    for (const file of files) {
      try {
        readResourceFiles([file], load, flags.namespace, namespaced);
        process.stdout.write(`${file}: no linting errors found\n`);
      } catch (error) {
        failed++;
        process.stderr.write(`${(error as Error).message}\n`);
      }
    }
    if (failed > 0) process.exitCode = 1;
  });

  withNamespace(group.command('update <files...>').description(`replace stored ${kind}s from files (all or none; each must exist)`))
    .option('-o, --output <format>', 'print the updated templates as json or yaml')
    .action((files: string[], flags: Flags) => {
      const output = parseOutputFormat(flags.output);
      const templates = readResourceFiles(files, load, flags.namespace, namespaced);
      return connected(async (store) => {
        for (const { metadata } of templates) {
          if (!(await store.get(kind, metadata.namespace ?? '', metadata.name ?? ''))) throw new Error(notFound(kind, metadata.name ?? '', metadata.namespace));
        }
        await store.apply(kind, templates);
        const updated = await Promise.all(templates.map(async ({ metadata }) => (await store.get(kind, metadata.namespace ?? '', metadata.name ?? ''))!));
        process.stdout.write(output === 'text' ? updated.map(summary).join('\n') : formatResources(updated, output));
      });
    });

  withNamespace(group.command('list').description(`list ${kind}s`), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((flags: Flags) =>
      connected(async (store) => {
        const output = parseOutputFormat(flags.output);
        const templates = await store.list(kind, flags.namespace ?? '');
        if (output !== 'text') process.stdout.write(formatResources(templates, output));
        else process.stdout.write(`${alignColumns([['NAME'], ...templates.map((t) => [t.metadata.name ?? ''])]).join('\n')}\n`);
      }),
    );

  withNamespace(group.command('get <name>').description(`show a ${kind}`), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((name: string, flags: Flags) =>
      connected(async (store) => {
        const output = parseOutputFormat(flags.output);
        const template = await store.get(kind, flags.namespace ?? '', name);
        if (!template) throw new Error(notFound(kind, name, flags.namespace));
        process.stdout.write(output === 'text' ? summary(template) : formatResources(template, output));
      }),
    );

  withNamespace(group.command('delete <name>').description(`delete a ${kind}`), 'default').action((name: string, flags: Flags) =>
    connected(async (store) => {
      if (!(await store.delete(kind, flags.namespace ?? '', name))) throw new Error(notFound(kind, name, flags.namespace));
      process.stdout.write(`${kind} '${name}' deleted\n`);
    }),
  );
}

/** As `argo template get` prints one. */
function summary(template: AnyTemplate): string {
  const { name = '', namespace, creationTimestamp } = template.metadata;
  const rows = [['Name:', name], ...(namespace ? [['Namespace:', namespace]] : []), ['Created:', creationTimestamp ? formatTimestamp(creationTimestamp, new Date()) : '']];
  return rows.map(([label, value]) => `${label!.padEnd(21)}${value}\n`).join('');
}

function notFound(kind: TemplateKind, name: string, namespace: string | undefined): string {
  return namespace === undefined ? `${kind} "${name}" not found` : `${kind} "${name}" not found in namespace "${namespace}"`;
}
