// What one container of a node sees of the filesystem, and where each path it names lies on the host:
// its /tmp is the node's folder, a volume's mount path is the volume's folder, and with a container root
// every other path is the host's / under the container's writable layer (where what it wrote lies).
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ContainerMounts } from './sandbox.js';

export class ContainerFs {
  /** The container's /tmp as it sees it. */
  readonly tmpView: string;
  /** Docker's default working directory (/) where the container has a root of its own, else its /tmp. */
  readonly defaultCwd: string;

  /** `privateTmp`: `mounts.tmp` is shown at /tmp (and the binds at their targets); else the container sees the host as is. */
  constructor(
    readonly mounts: ContainerMounts,
    private readonly privateTmp: boolean,
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

  /** Where a path the container names is written to on the host: its own folders only; undefined for the host's. */
  ownPath(path: string, cwd: string): string | undefined {
    const absolute = posix.resolve(cwd, path);
    if (this.privateTmp) {
      const shown = [{ source: this.mounts.tmp, target: '/tmp' }, ...this.mounts.binds];
      const bind = shown
        .filter(({ target }) => absolute === target || absolute.startsWith(`${target}/`))
        .reduce<(typeof shown)[number] | undefined>((longest, candidate) => (longest && longest.target.length >= candidate.target.length ? longest : candidate), undefined);
      if (bind) return join(bind.source, absolute.slice(bind.target.length));
    }
    if (this.mounts.root) return join(this.mounts.root.upper, absolute);
    // Without a sandbox the node's /tmp is its folder on the host, under the host's path.
    const { tmp } = this.mounts;
    return !this.privateTmp && (absolute === tmp || absolute.startsWith(`${tmp}/`)) ? absolute : undefined;
  }
}
