// What a container sees of the kernel's file systems: a procfs of its own pid namespace (never the host's,
// whose /proc/<pid>/root and /proc/<pid>/environ reach every process of the host), with the parts that
// change the host (sysctls, sysrq) read-only and those that leak it masked, as Docker does; a minimal /dev
// (null, zero, full, random, urandom, tty bound from the host, the fd links, a /dev/shm of its own); no /sys.
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The host folders a container never gets: the sandbox gives its own in their place. */
const KERNEL_FOLDERS = ['/proc', '/sys', '/dev'];
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
const DEVICE_LINKS: [string, string][] = [
  ['fd', '/proc/self/fd'],
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
];
/** Docker's read-only and masked paths of /proc, those that this kernel has (a mount on a missing path fails). */
const PROC_READ_ONLY = ['sys', 'sysrq-trigger', 'bus', 'fs', 'irq'].filter((name) => existsSync(`/proc/${name}`));
const PROC_MASKED = ['kcore', 'keys', 'timer_list', 'latency_stats', 'sched_debug'].filter((name) => existsSync(`/proc/${name}`));

/** True when `path` is one of the kernel folders or lies under one. */
export function isKernelPath(path: string): boolean {
  return KERNEL_FOLDERS.some((folder) => path === folder || path.startsWith(`${folder}/`));
}

/** An fstab entry that covers `target` with an empty, read-only folder (a tmpfs: it needs no source path, which a mount made before may hide). */
export function covered(target: string): string[] {
  return ['tmpfs', target, 'tmpfs', 'ro,nosuid,nodev,noexec,size=4k'];
}

/**
 * fstab entries for /dev, /proc and /sys as the container sees them (`at` maps a container path to its
 * mount target); `dev/` in `folder` (the container's own) becomes its /dev. `procfs`: mount a fresh procfs
 * (refused in some containers); else /proc is empty. `coverSys`: the container would otherwise see the
 * host's /sys (it has no root of its own).
 */
export async function kernelEntries(folder: string, at: (path: string) => string, procfs: boolean, coverSys: boolean): Promise<string[][]> {
  const dev = join(folder, 'dev');
  await mkdir(join(dev, 'shm'), { recursive: true });
  await Promise.all(DEVICES.map((name) => writeFile(join(dev, name), '', { flag: 'a' })));
  await Promise.all(DEVICE_LINKS.map(([name, target]) => symlink(target, join(dev, name)).catch(ignoreExisting)));
  // The devices are bound into the folder first: once it covers /dev, the host's are out of sight.
  const entries = DEVICES.map((name) => [`/dev/${name}`, join(dev, name), 'none', 'bind']);
  entries.push([dev, at('/dev'), 'none', 'rbind']);
  if (procfs) {
    entries.push(['proc', at('/proc'), 'proc', 'nosuid,nodev,noexec']);
    entries.push(...PROC_READ_ONLY.map((name) => [at(`/proc/${name}`), at(`/proc/${name}`), 'none', 'bind,ro']));
    entries.push(...PROC_MASKED.map((name) => ['/dev/null', at(`/proc/${name}`), 'none', 'bind']));
  } else {
    entries.push(covered(at('/proc')));
  }
  if (coverSys) entries.push(covered(at('/sys')));
  return entries;
}

export function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
