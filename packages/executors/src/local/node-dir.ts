// The private folder of one node attempt, `<workDir>/<workflow uid>/<nodeId>-<attempt>`: its `tmp` is the
// node's /tmp (mounted over /tmp in the sandbox), `volumes` holds its emptyDir volumes, and with a
// container root each container has its overlay's folders under `containers/<name>`. Made fresh before
// the run and removed after the outputs are read.
import { constants } from 'node:fs';
import { mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { ContainerFs } from './container-fs.js';
import { WRITE_NO_FOLLOW } from '@regatta/artifacts';
import type { Bind, Isolation } from './sandbox.js';

/** Where Argo stages a script template's source; inside the node's /tmp where the container has no root of its own. */
const STAGED_SCRIPT = '/argo/staging/script';
const TMP_SCRIPT = '.regatta/script';

export class NodeDir {
  readonly path: string;
  /** The node's /tmp on the host. */
  readonly tmp: string;

  private constructor(
    private readonly workflowDir: string,
    name: string,
    private readonly isolation: Isolation,
    private readonly hidden: string[],
  ) {
    this.path = join(workflowDir, name);
    this.tmp = join(this.path, 'tmp');
  }

  /** Leftovers of an earlier run of the same attempt are cleared. `hidden`: the operator's folders, which nodes do not see. */
  static async create(workDir: string, workflowUid: string, nodeId: string, attempt: number, isolation: Isolation, hidden: string[] = []): Promise<NodeDir> {
    const dir = new NodeDir(join(workDir, workflowUid), `${nodeId}-${attempt}`, isolation, hidden);
    await rm(dir.path, { recursive: true, force: true });
    // A sibling node's `remove` may take the workflow's folder away between the steps of a recursive mkdir.
    for (let tries = 1; ; tries++) {
      try {
        await mkdir(dir.tmp, { recursive: true });
        return dir;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || tries === 3) throw error;
      }
    }
  }

  /** An emptyDir volume's folder, shared by the node's containers. */
  async emptyDir(name: string): Promise<string> {
    const folder = join(this.path, 'volumes', name);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  /** The filesystem of one container of the node, with `binds` (its volumes) made ready to be mounted. */
  async containerFs(name: string, binds: Bind[]): Promise<ContainerFs> {
    const container = join(this.path, 'containers', name);
    const root = this.isolation === 'container' ? { upper: join(container, 'upper'), work: join(container, 'work'), merged: join(container, 'root') } : undefined;
    const mounts = { tmp: this.tmp, folder: container, ...(root && { root }) };
    const privateTmp = this.isolation !== 'process-group';
    await Promise.all([container, ...Object.values(root ?? {})].map((folder) => mkdir(folder, { recursive: true })));
    // A mount needs its target where the container sees it before the volumes are mounted: in its layer
    // or the node's /tmp, never on the host.
    const beneathVolumes = new ContainerFs({ ...mounts, binds: [] }, privateTmp);
    for (const [index, { source, target }] of binds.entries()) {
      // A target inside an earlier volume (/var/run/regatta/inputs in /var/run/regatta) is made in that
      // volume's folder, as a container runtime makes it once the outer one is mounted.
      const outer = binds.slice(0, index).findLast((bind) => bind.target !== target && target.startsWith(`${bind.target}/`));
      const own = outer ? join(outer.source, target.slice(outer.target.length)) : beneathVolumes.ownPath(target, '/');
      if (own === undefined) continue;
      // A file (a subPath that names one) is bound onto a file, as a container runtime makes it.
      if ((await stat(source)).isFile()) {
        await mkdir(dirname(own), { recursive: true });
        await writeFile(own, '', { flag: constants.O_CREAT | constants.O_WRONLY | constants.O_NOFOLLOW });
      } else {
        await mkdir(own, { recursive: true });
      }
    }
    return new ContainerFs({ ...mounts, binds }, privateTmp, this.hidden);
  }

  /** Writes a script template's source for the container; returns its path as the container sees it. Throws a BeneathError where a link is in the way. */
  async writeScript(fs: ContainerFs, source: string): Promise<string> {
    const path = fs.mounts.root ? STAGED_SCRIPT : posix.join(fs.tmpView, TMP_SCRIPT);
    const file = (await fs.ownFile(path, '/')) ?? path;
    await writeFile(file, source, { mode: 0o755, flag: WRITE_NO_FOLLOW });
    return path;
  }

  /** Removes the node's folder, and the workflow's folder once no other node of it is left. */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
    await rmdir(this.workflowDir).catch(() => undefined);
  }
}
