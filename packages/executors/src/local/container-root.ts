// The mounts that make a container's root: the host's / seen through overlayfs, whose upper layer (the
// container's own folder) takes every write. Two layouts, as the kernel allows:
//   whole       one overlay of /, then the host's other mount points bound in read-only (an overlay shows
//               one filesystem). A user namespace refuses it: / has submounts locked there, and overlayfs
//               cannot clone a lower layer with locked children (dmesg: "failed to clone lowerpath").
//   per-folder  the layer itself bound at the root, then, folder by folder of the host, an overlay of each
//               that holds no mount point; a mount point bound in read-only; a folder that holds one
//               laid out the same way, one level down; links copied, files bound read-only. What the container
//               writes lies at the same path under the layer in both layouts.
// Neither shows the host's /proc, /sys, /dev (kernel-mounts.ts gives the container its own) or /tmp (the
// node's is mounted there); the host's other mount points are read-only, so a write reaches the host nowhere.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ignoreExisting, isKernelPath } from './kernel-mounts.js';

export type RootLayout = 'whole' | 'per-folder';

/** The overlay of a container root: host folders for its writable layer, the overlay's work folder and the mount point. */
export interface RootLayer {
  upper: string;
  work: string;
  merged: string;
}

/** Characters overlayfs's options or fstab cannot carry in a lower layer's path: that folder is bound in as the host's. */
const UNSAFE_IN_OPTIONS = /[,:\s\\]/;

/** fstab entries (`source target type options`), in order, for the root; with `per-folder`, also makes the layer's folders. */
export async function rootEntries(layout: RootLayout, root: RootLayer, userNamespace: boolean): Promise<string[][]> {
  const inRoot = (path: string) => join(root.merged, path);
  const mounted = mountPoints();
  const points = [...mounted.keys()];
  // Each read-only, parents first: `ro` on an rbind applies to its top mount alone, so each mount point
  // below gets a read-only bind of its own over it. The mount's own flags are kept: in a user namespace
  // they are locked, and a remount that drops one (nosuid, say) is refused.
  const readOnly = (under: string) =>
    points.filter((point) => point === under || point.startsWith(`${under}/`)).map((point) => [point, inRoot(point), 'none', `rbind,ro${mounted.get(point)}`]);
  if (layout === 'whole') return [['overlay', root.merged, 'overlay', `lowerdir=/,upperdir=${root.upper},workdir=${root.work}`], ...readOnly('')];
  const entries = [[root.upper, root.merged, 'none', 'bind']];
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
        // The node's /tmp and the sandbox's own kernel folders are mounted there.
        if (path === '/tmp' || isKernelPath(path)) continue;
        if (mounted.has(path)) entries.push(...readOnly(path));
        else if (UNSAFE_IN_OPTIONS.test(path)) entries.push([path, inRoot(path), 'none', 'rbind,ro'], ...readOnly(path));
        else if (points.some((point) => point.startsWith(`${path}/`))) await layOut(path);
        else {
          const work = join(root.work, path);
          await mkdir(work, { recursive: true });
          entries.push(['overlay', inRoot(path), 'overlay', `lowerdir=${path},upperdir=${own},workdir=${work}${option}`]);
        }
      } else if (entry.isFile()) {
        await writeFile(own, '', { flag: 'a' });
        entries.push([path, inRoot(path), 'none', 'bind,ro']);
      }
    }
  };
  await layOut('/');
  return entries;
}

/** Per-mount flags a bind keeps (mountinfo's field 6, less rw/ro). */
const MOUNT_FLAGS = new Set(['nosuid', 'nodev', 'noexec', 'noatime', 'nodiratime', 'relatime', 'strictatime', 'nosymfollow']);

/**
 * The worker's mount points other than /, the kernel folders and /tmp, from its mountinfo, sorted, each
 * with its flags as options (`,nosuid,nodev`); the last mount at a path is the one seen.
 */
function mountPoints(): Map<string, string> {
  const points = new Map<string, string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [, , , , field, options] = line.split(' ');
    if (field === undefined || options === undefined || field === '/') continue;
    const point = field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (isKernelPath(point) || point === '/tmp' || point.startsWith('/tmp/')) continue;
    points.set(point, options.split(',').filter((flag) => MOUNT_FLAGS.has(flag)).map((flag) => `,${flag}`).join(''));
  }
  return new Map([...points].sort(([a], [b]) => (a < b ? -1 : 1)));
}
