// The `regatta` command: Argo's CLI verbs over Regatta's Redis-backed scheduler and workers. Only the
// module of the command being run is loaded (see catalog.ts); the overall help loads none.
import { Command } from 'commander';
import { allModules, LOADERS } from './catalog.js';
import { COMMANDS, type CommandName } from './summaries.js';
import type { CliConfig } from './config.js';
import { versionLine } from './version.js';
import { readServerSettings, takeGlobalFlags, type GlobalFlags } from './server-settings.js';

/** A bad setting is the user's to fix: its message, not a stack trace. */
async function configOrExit(flags: GlobalFlags): Promise<CliConfig> {
  const [{ readConfig }, { settingsOrExit }] = await Promise.all([import('./config.js'), import('@regatta/service/env')]);
  const config = settingsOrExit(() => readConfig());
  const server = await readServerSettings(flags).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  });
  return { ...config, ...(server && { server }) };
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
  // Taken from the arguments before commander sees them (takeGlobalFlags): listed here for the help.
  .option('--server <url>', 'talk to this Regatta server instead of Redis (REGATTA_SERVER)')
  .option('--token <token>', 'the bearer token for --server (REGATTA_TOKEN)')
  .option('--insecure-skip-verify', "accept the server's TLS certificate unverified")
  .showHelpAfterError();

let globals: ReturnType<typeof takeGlobalFlags>;
try {
  globals = takeGlobalFlags(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const requested = requestedCommand(globals.rest);
let config: CliConfig | undefined;
if (requested) {
  config = await configOrExit(globals.flags);
  // `completion` describes the whole tree: every module, once.
  const loaders = requested === 'completion' ? allModules() : [LOADERS[requested]];
  for (const register of await Promise.all(loaders.map((load) => load()))) await register(program, config);
} else {
  // Only the names and summaries, for the help and commander's "unknown command" suggestions.
  for (const { usage, summary } of Object.values(COMMANDS)) program.command(usage).description(summary);
}

try {
  await program.parseAsync(globals.rest, { from: 'user' });
} catch (error) {
  const { explainError } = await import('./connection.js');
  process.stderr.write(`${await explainError(error as Error, config?.server)}\n`);
  process.exitCode = 1;
}
