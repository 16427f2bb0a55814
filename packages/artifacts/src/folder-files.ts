// Stores of objects keep a folder as one object per file, named by its path within the folder. Going up,
// the folder is walked without following links (a link a node made to /etc must not carry the host's
// files into the store); coming down, an object's name must not place its file outside the destination.
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

/** The files under `folder`, as `/`-separated paths relative to it, sorted; a symbolic link is refused, naming `where`. */
export async function filesUnder(folder: string, where: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const path = relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isSymbolicLink()) throw new Error(`${where}: ${path} is a symbolic link, which is not stored (archive the folder to keep links)`);
    if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** Where the object named `name` (relative to a folder's prefix) goes under `destination`; one that would leave it is refused. */
export function placeBeneath(destination: string, name: string, where: string): string {
  const root = resolve(destination);
  const target = resolve(root, name);
  if (name === '' || !target.startsWith(root + sep)) throw new Error(`${where}: the object named "${name}" would be written outside the artifact's folder`);
  return target;
}
