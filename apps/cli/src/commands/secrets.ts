// `regatta secret …`: the Secrets nodes read (env, envFrom, secret volumes, HTTP headers), kept as
// `kubectl create secret generic`, `kubectl apply -f`, `kubectl get secrets` and `kubectl delete secret`
// keep them, in Redis, each value encrypted with the operator's key (REGATTA_SECRETS_KEY). Values are
// never printed unless asked for (`get --show-values`); listing needs no key.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { DATA_KEY_RULE, isDataKey, isValidName, loadSecrets, type Secret } from '@regatta/spec';
import type { SecretStore, SecretSummary } from '@regatta/store';
import type { CliConfig } from '../config.js';
import { withConnection } from '../connection.js';
import { parseOutputFormat } from '../output.js';
import { formatDuration } from '../render/index.js';
import { alignColumns } from '../render/table.js';
import { summaryOf } from '../summaries.js';
import { formatResources, namespaceFlag, readResourceFiles } from './resource-files.js';

const REDACTED = '<redacted>';
const repeatable = (value: string, all: string[] = []) => [...all, value];

export function registerSecrets(program: Command, config: CliConfig): void {
  const group = program.command('secret').description(summaryOf('secret'));
  const connected = (action: (store: SecretStore) => Promise<void>) =>
    withConnection(config, async ({ redis }) => {
      const { SecretStore } = await import('@regatta/store');
      await action(new SecretStore(redis, config.prefix, config.secretsKey));
    });
  const namespace = (sub: Command, fallback?: string) => sub.option('-n, --namespace <namespace>', 'namespace', namespaceFlag, fallback);
  const notFound = (name: string, ns: string) => new Error(`Secret "${name}" not found in namespace "${ns}"`);

  namespace(group.command('create <name>').description('create a Secret from literal values and files (kubectl create secret generic)'), 'default')
    .option('--from-literal <key=value>', 'a key and its value (repeatable)', repeatable)
    .option('--from-file <[key=]path>', "a file's content under its name or the key given; a folder's files each under their names (repeatable)", repeatable)
    .option('--type <type>', 'the Secret type', 'Opaque')
    .action((name: string, flags: { namespace: string; fromLiteral?: string[]; fromFile?: string[]; type: string }) => {
      if (!isValidName('secret', name)) throw new Error(`secret name "${name}" must be a lower-case DNS-1123 subdomain of at most 253 characters`);
      const data = secretData(flags.fromLiteral ?? [], flags.fromFile ?? []);
      const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: flags.namespace }, type: flags.type, data };
      return connected(async (store) => {
        await store.create(secret);
        process.stdout.write(`secret/${name} created\n`);
      });
    });

  namespace(group.command('apply').description('create or update Secrets from files of one or more documents (data base64, stringData text)'))
    .requiredOption('-f, --filename <file>', 'a file of Secrets (repeatable)', repeatable)
    .action((flags: { filename: string[]; namespace?: string }) => {
      const loaded = readResourceFiles(flags.filename, loadSecrets, flags.namespace, true);
      return connected(async (store) => {
        const outcomes = await store.apply(loaded);
        process.stdout.write(loaded.map((secret, i) => `secret/${secret.metadata.name} ${outcomes[i]}\n`).join(''));
      });
    });

  namespace(group.command('list').description('list Secrets: NAME TYPE DATA AGE, as kubectl get secrets'), 'default')
    .option('-A, --all-namespaces', 'Secrets of every namespace')
    .action((flags: { namespace: string; allNamespaces?: boolean }) =>
      connected(async (store) => {
        process.stdout.write(rows(await store.list(flags.allNamespaces ? undefined : flags.namespace), flags.allNamespaces === true));
      }),
    );

  namespace(group.command('get <name>').description('show a Secret; its values only with --show-values'), 'default')
    .option('-o, --output <format>', 'json or yaml')
    .option('--show-values', 'print the values (base64, as kubectl does) instead of <redacted>')
    .action((name: string, flags: { namespace: string; output?: string; showValues?: boolean }) =>
      connected(async (store) => {
        const output = parseOutputFormat(flags.output);
        // The table and the redacted document need no key: the summary holds all they show.
        if (output === 'text' || !flags.showValues) {
          const found = await store.summary(flags.namespace, name);
          if (!found) throw notFound(name, flags.namespace);
          process.stdout.write(output === 'text' ? rows([found], false) : formatResources(redacted(found), output));
          return;
        }
        const secret = await store.get(flags.namespace, name);
        if (!secret) throw notFound(name, flags.namespace);
        process.stdout.write(formatResources(secret, output));
      }),
    );

  namespace(group.command('delete <names...>').description('delete Secrets'), 'default').action((names: string[], flags: { namespace: string }) =>
    connected(async (store) => {
      const missing: string[] = [];
      for (const name of names) {
        if (await store.delete(flags.namespace, name)) process.stdout.write(`secret "${name}" deleted\n`);
        else missing.push(name);
      }
      if (missing.length > 0) throw new Error(missing.map((name) => notFound(name, flags.namespace).message).join('\n'));
    }),
  );
}

/** The values of `--from-literal` and `--from-file`, base64 as `data` holds them; a key given twice is refused, as kubectl refuses it. */
function secretData(literals: string[], files: string[]): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (key: string, value: Buffer, flag: string) => {
    if (!isDataKey(key)) throw new Error(`${flag}: key "${key}" ${DATA_KEY_RULE}`);
    if (key in data) throw new Error(`${flag}: cannot add key ${key}, another key by that name already exists`);
    data[key] = value.toString('base64');
  };
  for (const literal of literals) {
    const equals = literal.indexOf('=');
    // The value is not repeated in the message: it is a secret.
    if (equals <= 0) throw new Error(`--from-literal: expected key=value, got a value without "=" or without a key`);
    add(literal.slice(0, equals), Buffer.from(literal.slice(equals + 1)), '--from-literal');
  }
  for (const source of files) {
    const equals = source.indexOf('=');
    const [key, path] = equals > 0 ? [source.slice(0, equals), source.slice(equals + 1)] : [undefined, source];
    const flag = `--from-file ${source}`;
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      throw new Error(`${flag}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    if (!isFolder) add(key ?? basename(path), readFileSync(path), flag);
    else if (key !== undefined) throw new Error(`${flag}: a key names one file, not a folder`);
    else for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isFile()) add(entry.name, readFileSync(join(path, entry.name)), flag);
  }
  return data;
}

/** As `kubectl get secrets` lists them: NAME TYPE DATA AGE (NAMESPACE first across namespaces). */
function rows(secrets: SecretSummary[], allNamespaces: boolean): string {
  const now = Date.now();
  const lines = secrets.map(({ metadata, type, keys }) => [
    ...(allNamespaces ? [metadata.namespace ?? 'default'] : []),
    metadata.name ?? '',
    type,
    String(keys.length),
    metadata.creationTimestamp ? formatDuration(now - Date.parse(metadata.creationTimestamp)) : '',
  ]);
  return `${alignColumns([[...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'TYPE', 'DATA', 'AGE'], ...lines]).join('\n')}\n`;
}

/** The Secret as stored, each value shown as <redacted>. */
function redacted({ metadata, type, keys }: SecretSummary): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata, type, data: Object.fromEntries(keys.map((key) => [key, REDACTED])) };
}
