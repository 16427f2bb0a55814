// The `regatta` command: Argo's CLI verbs over Regatta's Redis-backed scheduler and workers. Only the
// module of the command being run is loaded (see catalog.ts); the overall help loads none.
import { Command } from 'commander';
import { allModules, LOADERS } from './catalog.js';
import { COMMANDS, type CommandName } from './summaries.js';
import type { CliConfig } from './config.js';
import { versionLine } from './version.js';

/** A bad setting is the user's to fix: its message, not a stack trace. */
async function configOrExit(): Promise<CliConfig> {
  const [{ readConfig }, { settingsOrExit }] = await Promise.all([import('./config.js'), import('@regatta/service/env')]);
  return settingsOrExit(() => readConfig());
}

/** The top-level command the arguments name (`help X` names X), if it is one of ours. */
function requestedCommand(args: string[]): CommandName | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? (word as CommandName) : undefined;
}

const program = new Command('regatta')
  .description('Run Argo Workflows on Redis and BullMQ, locally or at scale')
  .version(versionLine(), '--version', 'print the version')
  .showHelpAfterError();

const requested = requestedCommand(process.argv.slice(2));
if (requested) {
  const config = await configOrExit();
  // `completion` describes the whole tree: every module, once.
  const loaders = requested === 'completion' ? allModules() : [LOADERS[requested]];
  for (const register of await Promise.all(loaders.map((load) => load()))) await register(program, config);
} else {
  // Only the names and summaries, for the help and commander's "unknown command" suggestions.
  for (const { usage, summary } of Object.values(COMMANDS)) program.command(usage).description(summary);
}

try {
  await program.parseAsync();
} catch (error) {
  const { explainRedisError } = await import('./connection.js');
  process.stderr.write(`${await explainRedisError(error as Error)}\n`);
  process.exitCode = 1;
}
