// A path beneath a folder the worker trusts (a volume, the node's /tmp, a container's layer, the artifact
// repository), whose parts a node may have written: walked part by part with lstat, as openat2's
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS would, so that a symbolic link a node planted (in a claim shared
// with later nodes, say) never takes the worker, which runs as root, anywhere else on the host.
import { constants } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export class BeneathError extends Error {}

/** A BeneathError is the node's doing (a link it planted, a `..`), answered as its error; any other failure is the host's and is thrown on. */
export function beneathFailure(error: unknown): { error: string } {
  if (error instanceof BeneathError) return { error: error.message };
  throw error;
}

export interface BeneathOptions {
  /** Make missing folders: every part (`all`), or all but the last (`parents`). */
  create?: 'all' | 'parents';
}

/**
 * `relative` beneath `base`, none of its parts a symbolic link (the last one included, where it exists)
 * nor `..`. Parts that do not exist are made as folders where asked; otherwise the path is answered as
 * it is from the first part missing (or a file), and reading it then fails as for any missing file.
 */
export async function resolveBeneath(base: string, relative: string, options: BeneathOptions = {}): Promise<string> {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new BeneathError(`"${relative}" climbs out of its folder with ".."`);
  let path = base;
  for (const [index, part] of parts.entries()) {
    path = join(path, part);
    const last = index === parts.length - 1;
    const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stats?.isSymbolicLink()) throw new BeneathError(`"${parts.slice(0, index + 1).join('/')}" is a symbolic link, which is not followed here`);
    if (stats && !last && !stats.isDirectory()) {
      if (options.create) throw new BeneathError(`"${parts.slice(0, index + 1).join('/')}" is not a folder`);
      return join(path, ...parts.slice(index + 1));
    }
    if (stats) continue;
    if (options.create === 'all' || (options.create === 'parents' && !last)) {
      // A folder made by another node at the same moment is as good; a link it made is refused next time round.
      await mkdir(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      const made = await lstat(path);
      if (!made.isDirectory()) throw new BeneathError(`"${parts.slice(0, index + 1).join('/')}" is not a folder`);
    } else {
      return join(path, ...parts.slice(index + 1));
    }
  }
  return path;
}

/** The flags to write a file that `resolveBeneath` found: made or truncated, never through a link put there since. */
export const WRITE_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
