// The tools an image has that this host lacks by that name, installed into a container's own root where
// it has one, so that they are found as in the image: at their path or on the PATH, from a shell too
// (`sh -c "cowsay hello"`). Regatta's stand-ins (argosay, cowsay) run on the worker's Node; another alias
// (python for python3) is a link to the host's program.
import { symlink, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { builtinSource, type BuiltinTool } from './builtin-tools.js';
import { resolveCommand } from './command-resolve.js';
import type { ContainerFs } from './container-fs.js';
import { imageDefaults } from './image-defaults.js';
import { WRITE_NO_FOLLOW } from '@regatta/artifacts';

/** Where a bare command goes: /usr/local/bin where the PATH has it (as images do), else the PATH's first folder. */
function commandFolder(searchPath: string): string | undefined {
  const folders = searchPath.split(':').filter((folder) => posix.isAbsolute(folder));
  return folders.find((folder) => folder === '/usr/local/bin') ?? folders[0];
}

export async function installImageTools(fs: ContainerFs, image: string | undefined, searchPath: string): Promise<void> {
  const aliases = imageDefaults(image ?? '')?.aliases;
  if (!fs.mounts.root || !aliases) return;
  const folder = commandFolder(searchPath);
  for (const [command, tool] of aliases) {
    if (resolveCommand(command, searchPath, (path) => fs.hostPath(path, '/'))) continue;
    const at = command.includes('/') ? command : folder && posix.join(folder, command);
    const file = at && (await fs.ownFile(at, '/'));
    if (!file) continue;
    if ('builtin' in tool) {
      await installBuiltin(fs, tool.builtin, file);
    } else {
      const program = resolveCommand(tool.program, searchPath);
      if (program) await symlink(program, file);
    }
  }
}

/** The tool's module in the root, and at `file` a script that runs it with the worker's Node. */
async function installBuiltin(fs: ContainerFs, tool: BuiltinTool, file: string): Promise<void> {
  const module = `/usr/local/lib/regatta/${tool}.mjs`;
  const moduleFile = (await fs.ownFile(module, '/'))!;
  await writeFile(moduleFile, builtinSource(tool), { flag: WRITE_NO_FOLLOW });
  // Run as `builtinArgv` runs it (`node -e`), which the tool's reading of process.argv expects.
  await writeFile(file, `#!/bin/sh\nexec ${shellQuote(process.execPath)} --input-type=module -e "$(cat ${module})" -- "$@"\n`, { mode: 0o755, flag: WRITE_NO_FOLLOW });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
