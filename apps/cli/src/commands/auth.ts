// `regatta auth token create|list|revoke`: the bearer tokens the server accepts (auth mode client),
// kept hashed in Redis under the instance's prefix. A token is printed once, when created.
import type { Command } from 'commander';
import type { CliConfig } from '../config.js';
import { summaryOf } from '../summaries.js';
import { withConnection } from '../connection.js';
import { alignColumns } from '../render/table.js';
import { namespaceFlag } from './resource-files.js';

interface CreateFlags {
  namespace?: string;
  allNamespaces?: boolean;
  role: string;
}

export function registerAuth(program: Command, config: CliConfig): void {
  const tokens = program.command('auth').description(summaryOf('auth')).command('token').description('bearer tokens for the server (auth mode client)');
  const withTokens = <T>(action: (store: import('@regatta/server').TokenStore) => Promise<T>) =>
    withConnection(config, async ({ redis }) => {
      // Loaded here, so that other commands do not load the server.
      const { TokenStore } = await import('@regatta/server');
      await action(new TokenStore(redis, config.prefix));
    });

  tokens
    .command('create')
    .description('create a token and print it (once: only its hash is kept)')
    .requiredOption('--role <role>', 'viewer (get, list, watch), editor (and create, update, delete, controls) or admin (all, every namespace)')
    .option('-n, --namespace <namespace>', 'the one namespace it may act in', namespaceFlag)
    .option('-A, --all-namespaces', 'every namespace, and cluster-scoped resources')
    .action(async (flags: CreateFlags) => {
      const { isRole, ROLES } = await import('@regatta/server');
      if (!isRole(flags.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}, got "${flags.role}"`);
      if (flags.role === 'admin' && flags.namespace !== undefined) throw new Error('--role admin is for every namespace: leave out --namespace');
      if (flags.role !== 'admin' && (flags.namespace === undefined) === (flags.allNamespaces !== true)) {
        throw new Error('say where the token may act: --namespace <namespace> or --all-namespaces');
      }
      const role = flags.role;
      await withTokens(async (store) => {
        const { token, record } = await store.create(role, flags.namespace);
        process.stderr.write(`token ${record.id} (${record.role}, ${record.namespace ?? 'all namespaces'}); keep it, it is not shown again:\n`);
        process.stdout.write(`${token}\n`);
      });
    });

  tokens
    .command('list')
    .description('list tokens (ids, roles, namespaces; never the tokens)')
    .action(() =>
      withTokens(async (store) => {
        const rows = (await store.list()).map((record) => [record.id, record.role, record.namespace ?? '*', record.createdAt]);
        process.stdout.write(alignColumns([['ID', 'ROLE', 'NAMESPACE', 'CREATED'], ...rows]).map((line) => `${line}\n`).join(''));
      }),
    );

  tokens
    .command('revoke <id>')
    .description('revoke a token by its id: the server refuses it from the next request on')
    .action((id: string) =>
      withTokens(async (store) => {
        if (!(await store.revoke(id))) throw new Error(`no token has id "${id}"`);
        process.stdout.write(`token ${id} revoked\n`);
      }),
    );
}
