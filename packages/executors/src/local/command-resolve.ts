// Finds an executable the way execvp would, before anything is spawned, so that a missing one gets an
// exact message naming the command and the image it stood for.
import { accessSync, constants, statSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * A command with a slash is a path (relative ones to the working directory); a bare name is searched
 * on `searchPath`. `hostPath` maps a path as the process will see it to where it lies on this host.
 */
export function resolveCommand(command: string, searchPath: string, hostPath: (path: string) => string = (path) => path): string | undefined {
  const candidates = command.includes('/') ? [command] : searchPath.split(':').map((dir) => posix.join(dir || '.', command));
  return candidates.find((candidate) => isExecutableFile(hostPath(candidate)));
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
