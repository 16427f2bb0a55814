// The argv a container runs, by Docker's rule: (`command`, or else the image's ENTRYPOINT) followed by
// (`args`, or else, where no command was given, the image's CMD). A script template's file is the last
// of the args, as Argo appends it. Then a tool of the image that this host has under another name (or
// not at all, for Regatta's own stand-ins) gets that name.
import type { Container } from '@regatta/spec';
import { builtinArgv } from './builtin-tools.js';
import { imageDefaults, type ImageDefaults } from './image-defaults.js';

/** `isCommand` tells whether a command would be found as the node will run it. */
export function containerArgv(container: Container, scriptPath: string | undefined, isCommand: (command: string) => boolean): { argv: string[] } | { error: string } {
  const image = container.image ?? '';
  const defaults = imageDefaults(image);
  // An empty list is no list, as in Kubernetes.
  const command = container.command?.length ? container.command : undefined;
  const args = [...(container.args ?? []), ...(scriptPath ? [scriptPath] : [])];
  if (command) return { argv: withAlias([...command, ...args], defaults, isCommand) };
  if (!defaults) {
    // Most images have no ENTRYPOINT, so a script template with no command nor args runs its file by its #! line.
    if (scriptPath && args.length === 1) return { argv: [scriptPath] };
    return { error: `container "${image}" has no command: the local executor does not know that image's entrypoint; give the template a command` };
  }
  const tail = args.length === 0 ? (defaults.cmd ?? []) : withRunner(args, defaults.runsArgsWith, isCommand);
  return { argv: withAlias([...(defaults.entrypoint ?? []), ...tail], defaults, isCommand) };
}

/** What an entrypoint script like node's does: args that start with an option or with no command run with `runner`. */
function withRunner(args: string[], runner: string | undefined, isCommand: (command: string) => boolean): string[] {
  const first = args[0]!;
  return runner && (first.startsWith('-') || !isCommand(first)) ? [runner, ...args] : args;
}

/** The alias takes the command's place only where the command is not found and the alias is. */
function withAlias(argv: string[], defaults: ImageDefaults | undefined, isCommand: (command: string) => boolean): string[] {
  const [command = '', ...rest] = argv;
  const alias = defaults?.aliases?.get(command);
  if (!alias || isCommand(command)) return argv;
  const replacement = 'builtin' in alias ? builtinArgv(alias.builtin) : [alias.program];
  return isCommand(replacement[0]!) ? [...replacement, ...rest] : argv;
}
