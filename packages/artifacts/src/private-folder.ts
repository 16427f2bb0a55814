// The operator's folders (the work folder, the artifact repository, the volumes folder) default to fixed
// names under the system's temporary folder, which every local user may create first: one made by another
// user, or a symbolic link put there to point the worker elsewhere, would hand that user the nodes' files.
// Each is made with mode 0700, and one found must be a folder of the worker's own user, not a link.
import { chmod, lstat, mkdir } from 'node:fs/promises';

/** Makes `path` (0700, its parents as the umask allows) or checks the one there and makes it 0700; throws saying what is wrong. */
export async function ensurePrivateFolder(path: string, what: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const stats = await lstat(path);
  const uid = process.getuid?.();
  if (stats.isSymbolicLink() || !stats.isDirectory()) throw new Error(`${what} ${path} is not a folder (a symbolic link or a file is there): remove it, or choose another folder`);
  if (uid !== undefined && stats.uid !== uid) {
    throw new Error(`${what} ${path} belongs to user ${stats.uid}, not to this worker's user ${uid}: another user made it first; remove it, or choose another folder`);
  }
  // One of ours made before (or by hand) with a wider mode is made private too.
  if ((stats.mode & 0o077) !== 0) await chmod(path, 0o700);
}
