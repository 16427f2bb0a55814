// The mounts that make a container's root: the host's / seen through overlayfs, whose upper layer (the
// container's own folder) takes every write. Two layouts, as the kernel allows:
//   whole       one overlay of /, then the host's other mount points bound in (an overlay shows one
//               filesystem). A user namespace refuses it: / has submounts locked there, and overlayfs
//               cannot clone a lower layer with locked children (dmesg: "failed to clone lowerpath").
//   per-folder  the layer itself bound at the root, then, folder by folder of the host, an overlay of each
//               that holds no mount point; a mount point bound in as it is; a folder that holds one
//               laid out the same way, one level down; links copied, files bound. What the container
//               writes lies at the same path under the layer in both layouts.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RootLayer } from './sandbox.js';

export type RootLayout = 'whole' | 'per-folder';

/** Characters overlayfs's options or fstab cannot carry in a lower layer's path: that folder is bound in as the host's. */
const UNSAFE_IN_OPTIONS = /[,:\s\\]/;

/** fstab entries (`source target type options`), in order, for the root; with `per-folder`, also makes the layer's folders. */
export async function rootEntries(layout: RootLayout, root: RootLayer, userNamespace: boolean): Promise<string[][]> {
  const inRoot = (path: string) => join(root.merged, path);
  if (layout === 'whole') {
    const entries = [['overlay', root.merged, 'overlay', `lowerdir=/,upperdir=${root.upper},workdir=${root.work}`]];
    for (const mountPoint of outermost(mountPoints())) entries.push([mountPoint, inRoot(mountPoint), 'none', 'rbind']);
    return entries;
  }
  const entries = [[root.upper, root.merged, 'none', 'bind']];
  const points = mountPoints();
  const option = userNamespace ? ',userxattr' : '';
  const layOut = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const own = join(root.upper, path);
      // What the executor put in the layer before (a mount's target, an input artifact) stays.
      if (entry.isSymbolicLink()) {
        await symlink(await readlink(path), own).catch(ignoreExisting);
      } else if (entry.isDirectory()) {
        await mkdir(own, { recursive: true });
        // The node's /tmp is mounted there.
        if (path === '/tmp') continue;
        if (points.includes(path) || UNSAFE_IN_OPTIONS.test(path)) entries.push([path, inRoot(path), 'none', 'rbind']);
        else if (points.some((point) => point.startsWith(`${path}/`))) await layOut(path);
        else {
          const work = join(root.work, path);
          await mkdir(work, { recursive: true });
          entries.push(['overlay', inRoot(path), 'overlay', `lowerdir=${path},upperdir=${own},workdir=${work}${option}`]);
        }
      } else if (entry.isFile()) {
        await writeFile(own, '', { flag: 'a' });
        entries.push([path, inRoot(path), 'none', 'bind']);
      }
    }
  };
  await layOut('/');
  return entries;
}

/** The worker's mount points other than /, from its mountinfo, sorted. */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined && field !== '/')
    .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .sort();
}

/** Outermost only: an rbind brings what is mounted below. */
function outermost(points: string[]): string[] {
  return points.filter((point, index) => !points.slice(0, index).some((outer) => point === outer || point.startsWith(`${outer}/`)));
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
