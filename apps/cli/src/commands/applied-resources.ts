// What `regatta configmap` and `regatta event-binding` share: resources kept as kubectl keeps them
// (`kubectl apply -f`, `get`, `delete`), checked from their files before anything is stored, listed
// with their own columns and an age.
import type { Command } from 'commander';
import type { ResourceOf, ResourceStore } from '@regatta/store';
import type { CliConfig } from '../config.js';
import { withConnection } from '../connection.js';
import { parseOutputFormat } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';
import { formatResources, namespaceFlag, readResourceFiles } from './resource-files.js';

type AppliedKind = 'ConfigMap' | 'WorkflowEventBinding';

export interface AppliedResource<K extends AppliedKind> {
  kind: K;
  /** The command group, `regatta <command> apply|list|get|delete`. */
  command: string;
  description: string;
  /** How kubectl names the kind in what it prints: `configmap`, `workfloweventbinding.argoproj.io`. */
  printedAs: string;
  load(text: string, file: string): ResourceOf[K][];
  /** Columns of `list` and `get` between NAME and AGE. */
  columns: [string, (resource: ResourceOf[K]) => string][];
}

interface Flags {
  namespace: string;
  output?: string;
}

export function registerAppliedResource<K extends AppliedKind>(program: Command, config: CliConfig, resource: AppliedResource<K>): void {
  const { kind, command, printedAs } = resource;
  const group = program.command(command).description(resource.description);
  const connected = (action: (store: ResourceStore) => Promise<void>) => withConnection(config, ({ resources }) => action(resources));
  const namespace = (sub: Command, fallback?: string) => sub.option('-n, --namespace <namespace>', 'namespace', namespaceFlag, fallback);
  const notFound = (name: string, ns: string) => new Error(`${kind} "${name}" not found in namespace "${ns}"`);

  namespace(group.command('apply').description(`create or update ${kind}s from files of one or more documents`))
    .requiredOption('-f, --filename <file>', `a file of ${kind}s (repeatable)`, (file: string, all: string[] = []) => [...all, file])
    .action((flags: { filename: string[]; namespace?: string }) => {
      const loaded = readResourceFiles(flags.filename, resource.load, flags.namespace, true);
      return connected(async (store) => {
        const outcomes = await store.apply(kind, loaded);
        process.stdout.write(loaded.map((r, i) => `${printedAs}/${r.metadata.name} ${outcomes[i]}\n`).join(''));
      });
    });

  namespace(group.command('list').description(`list ${kind}s`), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((flags: Flags) =>
      connected(async (store) => {
        const output = parseOutputFormat(flags.output);
        const listed = await store.list(kind, flags.namespace);
        process.stdout.write(output === 'text' ? rows(resource, listed) : formatResources(listed, output));
      }),
    );

  namespace(group.command('get <name>').description(`show a ${kind}`), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((name: string, flags: Flags) =>
      connected(async (store) => {
        const found = await store.get(kind, flags.namespace, name);
        if (!found) throw notFound(name, flags.namespace);
        const output = parseOutputFormat(flags.output);
        process.stdout.write(output === 'text' ? rows(resource, [found]) : formatResources(found, output));
      }),
    );

  namespace(group.command('delete <name>').description(`delete a ${kind}`), 'default').action((name: string, flags: Flags) =>
    connected(async (store) => {
      if (!(await store.delete(kind, flags.namespace, name))) throw notFound(name, flags.namespace);
      process.stdout.write(`${printedAs} "${name}" deleted\n`);
    }),
  );
}

/** As `kubectl get` lists them: name, the kind's columns, age. */
function rows<K extends AppliedKind>(resource: AppliedResource<K>, listed: ResourceOf[K][]): string {
  const now = Date.now();
  const lines = listed.map((item) => [
    item.metadata.name ?? '',
    ...resource.columns.map(([, value]) => value(item)),
    item.metadata.creationTimestamp ? formatDuration(now - Date.parse(item.metadata.creationTimestamp)) : '',
  ]);
  return `${alignColumns([['NAME', ...resource.columns.map(([header]) => header), 'AGE'], ...lines]).join('\n')}\n`;
}
