// What one container of a node sees of the filesystem, and where each path it names lies on the host:
// its /tmp is the node's folder, a volume's mount path is the volume's folder, and with a container root
// every other path is the host's / under the container's writable layer (where what it wrote lies).
import { existsSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isKernelPath } from './kernel-mounts.js';
import { BeneathError, resolveBeneath } from '@regatta/artifacts';
import type { ContainerMounts } from './sandbox.js';

export class ContainerFs {
  /** The container's /tmp as it sees it. */
  readonly tmpView: string;
  /** Docker's default working directory (/) where the container has a root of its own, else its /tmp. */
  readonly defaultCwd: string;

  /**
   * `privateTmp`: `mounts.tmp` is shown at /tmp (and the binds at their targets); else the container sees
   * the host as is. `hidden`: the operator's folders, which the container does not see.
   */
  constructor(
    readonly mounts: ContainerMounts,
    private readonly privateTmp: boolean,
    private readonly hidden: string[] = [],
  ) {
    this.tmpView = privateTmp ? '/tmp' : mounts.tmp;
    this.defaultCwd = mounts.root ? '/' : this.tmpView;
  }

  /** Where a path the container names (relative ones from `cwd`, as it saw it) is read from on the host. */
  hostPath(path: string, cwd: string): string {
    const absolute = posix.resolve(cwd, path);
    const own = this.ownPath(absolute, cwd);
    if (own === undefined) return absolute;
    // Under a root, what the container did not write is the host's.
    return this.mounts.root && own.startsWith(`${this.mounts.root.upper}/`) && !existsSync(own) ? absolute : own;
  }

  /**
   * Where the worker may read a path the container names once it has run (an output): in the container's
   * own folders without following a symbolic link it made (a link to /etc/shadow or to another node's
   * folder would be followed by the worker on the host, not in the container); elsewhere the host's, but
   * never /proc, /sys or /dev (the container had its own; the host's are the worker's) nor the operator's
   * folders. Throws a BeneathError saying why not.
   */
  async readablePath(path: string, cwd: string): Promise<string> {
    const absolute = posix.resolve(cwd, path);
    const own = this.ownLocation(absolute);
    if (own) {
      const found = await resolveBeneath(own.base, own.relative);
      const written = await lstat(found).then(
        () => true,
        () => false,
      );
      if (written || !this.mounts.root || own.base !== this.mounts.root.upper) return found;
    }
    // The host's own links count where they lead (/etc/mtab is ../proc/self/mounts).
    for (const path of new Set([absolute, await realpath(absolute).catch(() => absolute)])) {
      if (isKernelPath(path)) throw new BeneathError(`${absolute} is in the container's own ${path.split('/')[1]}, which is gone once it has run`);
      if (this.hidden.some((folder) => path === folder || path.startsWith(`${folder}/`))) throw new BeneathError(`${absolute} is not the container's to read`);
    }
    return absolute;
  }

  /**
   * Where the worker may write a file at a path the container names (relative ones from `cwd`): in the
   * container's own folders, its parents made, none of them nor the file a link a node made (a claim may
   * hold one); undefined for the host's. Throws a BeneathError saying why not. Write with O_NOFOLLOW.
   */
  async ownFile(path: string, cwd: string): Promise<string | undefined> {
    const own = this.ownLocation(posix.resolve(cwd, path));
    if (!own) return undefined;
    const file = join(await resolveBeneath(own.base, posix.dirname(own.relative), { create: 'all' }), posix.basename(own.relative));
    if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) throw new BeneathError(`"${path}" is a symbolic link, which is not followed here`);
    return file;
  }

  /** Where a path the container names is written to on the host: its own folders only; undefined for the host's. */
  ownPath(path: string, cwd: string): string | undefined {
    const own = this.ownLocation(posix.resolve(cwd, path));
    return own && join(own.base, own.relative);
  }

  /** The folder of the container's own that holds an absolute path it names, and the path beneath it; undefined for the host's. */
  ownLocation(absolute: string): { base: string; relative: string } | undefined {
    const beneath = (base: string, target: string) => ({ base, relative: absolute.slice(target.length).replace(/^\//, '') });
    if (this.privateTmp) {
      const shown = [{ source: this.mounts.tmp, target: '/tmp' }, ...this.mounts.binds];
      const bind = shown
        .filter(({ target }) => absolute === target || absolute.startsWith(`${target}/`))
        .reduce<(typeof shown)[number] | undefined>((longest, candidate) => (longest && longest.target.length >= candidate.target.length ? longest : candidate), undefined);
      if (bind) return beneath(bind.source, bind.target);
    }
    if (this.mounts.root) return beneath(this.mounts.root.upper, '');
    // Without a sandbox the node's /tmp is its folder on the host, under the host's path.
    const { tmp } = this.mounts;
    return !this.privateTmp && (absolute === tmp || absolute.startsWith(`${tmp}/`)) ? beneath(tmp, tmp) : undefined;
  }
}
