// The private folder of one node attempt, `<workDir>/<workflow uid>/<nodeId>-<attempt>`: its `tmp` is the
// node's /tmp (mounted over /tmp in the sandbox), and this is where a path the node names is mapped to
// the host path it lies at. Made fresh before the run and removed after the outputs are read.
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** Inside the node's /tmp, so that the sandbox shows it to the node; Argo stages it at /argo/staging/script. */
const SCRIPT = '.regatta/script';

export class NodeDir {
  readonly path: string;
  /** The node's /tmp on the host. */
  readonly tmp: string;
  /** The node's /tmp as the node sees it. */
  readonly tmpView: string;

  private constructor(
    private readonly workflowDir: string,
    name: string,
    private readonly privateTmp: boolean,
  ) {
    this.path = join(workflowDir, name);
    this.tmp = join(this.path, 'tmp');
    this.tmpView = privateTmp ? '/tmp' : this.tmp;
  }

  /** `privateTmp`: the node runs with `tmp` mounted over /tmp. Leftovers of an earlier run of the same attempt are cleared. */
  static async create(workDir: string, workflowUid: string, nodeId: string, attempt: number, privateTmp: boolean): Promise<NodeDir> {
    const dir = new NodeDir(join(workDir, workflowUid), `${nodeId}-${attempt}`, privateTmp);
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

  /** Where a path the node names (relative ones from `cwd`, as the node saw it) lies on the host. */
  hostPath(path: string, cwd: string): string {
    const absolute = posix.resolve(cwd, path);
    if (!this.privateTmp || (absolute !== '/tmp' && !absolute.startsWith('/tmp/'))) return absolute;
    return join(this.tmp, absolute.slice('/tmp'.length));
  }

  /** Where a path the node names lies on the host when it is inside the node's own /tmp; undefined when not. */
  ownPath(path: string, cwd: string): string | undefined {
    const host = this.hostPath(path, cwd);
    return host === this.tmp || host.startsWith(`${this.tmp}/`) ? host : undefined;
  }

  /** Writes a script template's source; returns its path as the node sees it. */
  async writeScript(source: string): Promise<string> {
    const file = join(this.tmp, SCRIPT);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, source, { mode: 0o755 });
    return posix.join(this.tmpView, SCRIPT);
  }

  /** Removes the node's folder, and the workflow's folder once no other node of it is left. */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
    await rmdir(this.workflowDir).catch(() => undefined);
  }
}
