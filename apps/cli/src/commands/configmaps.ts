// `regatta configmap …`: the ConfigMaps that workflows read parameter values from, kept as
// `kubectl apply -f`, `kubectl get configmap` and `kubectl delete configmap` keep them.
import type { Command } from 'commander';
import { loadConfigMaps, type ConfigMap } from '@regatta/spec';
import type { ResourceStore } from '@regatta/store';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { withConnection } from '../connection.js';
import { parseOutputFormat } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';
import { formatResources, namespaceFlag, readResourceFiles } from './resource-files.js';

interface Flags {
  namespace: string;
  output?: string;
}

export function registerConfigMaps(program: Command, config: CliConfig): void {
  const group = program.command('configmap').description(summaryOf('configmap'));
  const connected = (action: (store: ResourceStore) => Promise<void>) => withConnection(config.redisUrl, config.prefix, ({ resources }) => action(resources));
  const namespace = (sub: Command, fallback?: string) => sub.option('-n, --namespace <namespace>', 'namespace', namespaceFlag, fallback);

  namespace(group.command('apply').description('create or update ConfigMaps from files of one or more documents'))
    .requiredOption('-f, --filename <file>', 'a file of ConfigMaps (repeatable)', (file: string, all: string[] = []) => [...all, file])
    .action((flags: { filename: string[]; namespace?: string }) => {
      const configMaps = readResourceFiles(flags.filename, loadConfigMaps, flags.namespace, true);
      return connected(async (store) => {
        const outcomes = await store.apply('ConfigMap', configMaps);
        process.stdout.write(configMaps.map((c, i) => `configmap/${c.metadata.name} ${outcomes[i]}\n`).join(''));
      });
    });

  namespace(group.command('list').description('list ConfigMaps'), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((flags: Flags) => connected(async (store) => print(await store.list('ConfigMap', flags.namespace), flags.output)));

  namespace(group.command('get <name>').description('show a ConfigMap'), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .action((name: string, flags: Flags) =>
      connected(async (store) => {
        const configMap = await store.get('ConfigMap', flags.namespace, name);
        if (!configMap) throw new Error(`ConfigMap "${name}" not found in namespace "${flags.namespace}"`);
        const output = parseOutputFormat(flags.output);
        process.stdout.write(output === 'wide' ? rows([configMap]) : formatResources(configMap, output));
      }),
    );

  namespace(group.command('delete <name>').description('delete a ConfigMap'), 'default').action((name: string, flags: Flags) =>
    connected(async (store) => {
      if (!(await store.delete('ConfigMap', flags.namespace, name))) throw new Error(`ConfigMap "${name}" not found in namespace "${flags.namespace}"`);
      process.stdout.write(`configmap "${name}" deleted\n`);
    }),
  );
}

function print(configMaps: ConfigMap[], format: string | undefined): void {
  const output = parseOutputFormat(format);
  process.stdout.write(output === 'wide' ? rows(configMaps) : formatResources(configMaps, output));
}

/** As `kubectl get configmap` lists them: name, number of keys, age. */
function rows(configMaps: ConfigMap[]): string {
  const now = Date.now();
  const lines = configMaps.map(({ metadata, data }) => [
    metadata.name ?? '',
    String(Object.keys(data ?? {}).length),
    metadata.creationTimestamp ? formatDuration(now - Date.parse(metadata.creationTimestamp)) : '',
  ]);
  return `${alignColumns([['NAME', 'DATA', 'AGE'], ...lines]).join('\n')}\n`;
}
