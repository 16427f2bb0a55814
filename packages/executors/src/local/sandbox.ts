// How a node process is started so that it gets a filesystem of its own and nothing it starts outlives
// its worker:
//
//   setpriv --pdeathsig KILL        the launcher gets SIGKILL when the worker dies, even by kill -9. It
//                                   must come first: the signal follows the death of the parent, and only
//                                   the launcher's parent is the worker;
//   unshare --mount --pid --fork --kill-child
//                                   a new mount and pid namespace; the forked child is the namespace's
//                                   pid 1 and gets SIGKILL when the launcher dies, and when pid 1 dies the
//                                   kernel kills every process in the namespace (grandchildren, daemons);
//   sh -c SHIM                      as pid 1: makes the container's mounts, enters its root and working
//                                   directory and runs the command as its child. Not as pid 1, which would
//                                   ignore an abort's SIGTERM unless it had a handler for it.
//
// The mounts, best first, as the host allows (`Isolation`):
//   container   the host's / through overlayfs whose writes land in the container's own folder (as a
//               container's writable layer; see container-root.ts), chrooted into; the node's folder over
//               /tmp; volumes at their mount paths. A node writes anywhere; the host's root file system is
//               untouched (its other mount points, such as /dev/shm, are the host's).
//   namespaces  the node's folder over /tmp and volumes under it; everything else is the host's.
// Non-root workers add `--user --map-root-user` (the node then runs as root of its own user namespace,
// which maps to the worker's user). Where namespaces are refused, a node still gets its own process group
// and, with setpriv, a parent-death signal; the caller is told why, once.
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveCommand } from './command-resolve.js';
import { rootEntries, type RootLayout } from './container-root.js';

export type Isolation = 'container' | 'namespaces' | 'process-group';

export interface Launch {
  file: string;
  args: string[];
  cwd: string;
}

/** A host folder shown to the node at `target` (a path as the node sees it). */
export interface Bind {
  source: string;
  target: string;
  readOnly?: boolean;
}

/** The overlay of a container root: host folders for its writable layer, the overlay's work folder and the mount point. */
export interface RootLayer {
  upper: string;
  work: string;
  merged: string;
}

/**
 * What one container sees, as host folders: `tmp` becomes its /tmp; `root` is given only with `container`
 * isolation. `table` is a host file the launch writes its mount table to.
 */
export interface ContainerMounts {
  tmp: string;
  root?: RootLayer;
  binds: Bind[];
  table: string;
}

export interface Launcher {
  readonly isolation: Isolation;
  /** What each node gets, in words. */
  readonly description: string;
  /** `cwd` is the working directory as the node sees it. */
  launch(argv: string[], mounts: ContainerMounts, cwd: string): Promise<Launch>;
}

export interface LauncherChoice {
  launcher: Launcher;
  /** Why nodes are less isolated than `container`, where isolation was asked for and could not be had. */
  fallbackReason?: string;
}

/**
 * $1 mount, $2 chroot, $3 the mount table, $4 the root ('' for none), $5 the working directory, $6 sh,
 * then the command. The mounts are made by one `mount --all` over the table, in its order. After the
 * setup the shell's own stderr goes to /dev/null (so its "Terminated" notice for a killed command stays
 * out of the node's log) and the command gets the real one back in a subshell that execs it.
 */
const SHIM = [
  'm=$1 c=$2 f=$3 r=$4 d=$5 s=$6; shift 6',
  '"$m" --all --fstab "$f" || exit 125',
  'if [ -n "$r" ]; then set -- "$c" "$r" "$s" -c \'cd "$0" && exec "$@"\' "$d" "$@"; else cd "$d" || exit 125; fi',
  'exec 3>&2 2>/dev/null && (exec 2>&3 3>&- && exec "$@")',
].join('\n');
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Picks how nodes are launched on this host, with the tools found on the worker's PATH. With `auto`,
 * tries each sandbox once, best first, on a harmless command in a scratch folder under `workDir`;
 * `rootLayouts` are the container roots to try, in order.
 */
export async function chooseLauncher(
  isolation: 'auto' | 'none',
  searchPath: string,
  workDir: string,
  rootLayouts: RootLayout[] = ['whole', 'per-folder'],
): Promise<LauncherChoice> {
  const find = (tool: string) => resolveCommand(tool, searchPath);
  const setpriv = find('setpriv');
  const groupOnly = new ProcessGroupLauncher(setpriv);
  if (isolation === 'none') return { launcher: groupOnly };
  const fallBack = (launcher: Launcher, reason: string): LauncherChoice => ({ launcher, fallbackReason: reason });
  if (process.platform !== 'linux') return fallBack(groupOnly, `${process.platform} has no Linux namespaces`);
  const [unshare, sh, mount, chroot] = [find('unshare'), find('sh'), find('mount'), find('chroot')];
  if (!setpriv || !unshare || !sh || !mount) {
    const missing = Object.entries({ setpriv, unshare, sh, mount }).filter(([, path]) => !path);
    return fallBack(groupOnly, `${missing.map(([tool]) => tool).join(', ')} not found on PATH (setpriv, unshare and mount come with util-linux)`);
  }
  // root needs no user namespace, but root without CAP_SYS_ADMIN (in a container) may still get one.
  const userNamespaces = process.getuid?.() === 0 ? [false, true] : [true];
  const tmpOnly = async (): Promise<{ launcher?: Launcher; reason: string }> => {
    let reason = '';
    for (const withUser of userNamespaces) {
      const launcher = new NamespaceLauncher({ setpriv, unshare, sh, mount, chroot: '' }, withUser, undefined);
      reason = await probe(launcher, sh, workDir);
      if (!reason) return { launcher, reason };
    }
    return { reason };
  };
  let rootReason = 'chroot not found on PATH (it comes with coreutils)';
  for (const layout of chroot ? rootLayouts : []) {
    for (const withUser of userNamespaces) {
      const launcher = new NamespaceLauncher({ setpriv, unshare, sh, mount, chroot: chroot! }, withUser, layout);
      const reason = await probe(launcher, sh, workDir);
      if (!reason) return { launcher };
      // The first layout's reason says most: the others are workarounds.
      if (layout === rootLayouts[0]) rootReason = reason;
    }
  }
  const { launcher, reason } = await tmpOnly();
  if (launcher) return fallBack(launcher, `no container root (${rootReason})`);
  return fallBack(groupOnly, reason);
}

/** Runs a command that writes to /tmp (and /, with a root); returns why the sandbox failed, or '' when the files landed in the node's folders. */
async function probe(launcher: NamespaceLauncher, sh: string, workDir: string): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, '.probe-'));
  try {
    const mounts: ContainerMounts = { tmp: join(dir, 'tmp'), binds: [], table: join(dir, 'mounts') };
    if (launcher.rootLayout) mounts.root = { upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'root') };
    await Promise.all([mounts.tmp, ...Object.values(mounts.root ?? {})].map((folder) => mkdir(folder)));
    const script = launcher.rootLayout ? ': > /tmp/probe && : > /probe' : ': > /tmp/probe';
    const { file, args, cwd } = await launcher.launch([sh, '-c', script], mounts, '/tmp');
    try {
      await promisify(execFile)(file, args, { cwd, timeout: PROBE_TIMEOUT_MS });
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      return `the sandbox failed: ${(stderr?.trim() || message).split('\n')[0]}`;
    }
    const landed = [join(mounts.tmp, 'probe'), ...(mounts.root ? [join(mounts.root.upper, 'probe')] : [])];
    return Promise.all(landed.map((file) => access(file))).then(
      () => '',
      () => "the sandbox ran but the node's files were not in its folders",
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Tools {
  setpriv: string;
  unshare: string;
  sh: string;
  mount: string;
  chroot: string;
}

class NamespaceLauncher implements Launcher {
  readonly isolation: Isolation;
  readonly description: string;
  private readonly prefix: string[];

  /** `rootLayout`: how containers get a root of their own; none without it. */
  constructor(
    private readonly tools: Tools,
    private readonly userNamespace: boolean,
    readonly rootLayout: RootLayout | undefined,
  ) {
    this.isolation = rootLayout ? 'container' : 'namespaces';
    this.description = rootLayout ? 'a container root (an overlay of the host), a private /tmp and pid namespace' : 'a private /tmp and pid namespace';
    const user = userNamespace ? ['--user', '--map-root-user'] : [];
    const namespaces = [...user, '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child'];
    this.prefix = ['--pdeathsig', 'KILL', '--', tools.unshare, ...namespaces, '--', tools.sh, '-c', SHIM, 'regatta-sandbox', tools.mount, tools.chroot];
  }

  async launch(argv: string[], { tmp, root, binds, table }: ContainerMounts, cwd: string): Promise<Launch> {
    const volumes = (at: (target: string) => string) =>
      binds.map(({ source, target, readOnly }) => [source, at(target), 'none', readOnly ? 'bind,ro' : 'bind']);
    const entries: string[][] = [];
    if (root && this.rootLayout) {
      const inRoot = (target: string) => join(root.merged, target);
      entries.push(...(await rootEntries(this.rootLayout, root, this.userNamespace)));
      entries.push([tmp, inRoot('/tmp'), 'none', 'bind'], ...volumes(inRoot));
    } else {
      // Targets are under /tmp: mounted in the node's folder first, as the sources may lie under the host's /tmp it hides.
      entries.push(...volumes((target) => join(tmp, target.slice('/tmp'.length))), [tmp, '/tmp', 'none', 'rbind']);
    }
    await writeFile(table, entries.map((fields) => `${fields.map(fstabField).join(' ')} 0 0\n`).join(''));
    const args = [...this.prefix, table, root?.merged ?? '', cwd, this.tools.sh, ...argv];
    return { file: this.tools.setpriv, args, cwd: '/' };
  }
}

/** fstab's escapes for a field: whitespace and backslashes as octal. */
function fstabField(field: string): string {
  return field.replace(/[\s\\]/g, (char) => `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

class ProcessGroupLauncher implements Launcher {
  readonly isolation = 'process-group';
  readonly description: string;

  constructor(private readonly setpriv: string | undefined) {
    this.description = setpriv ? 'a process group and a parent-death signal (setpriv --pdeathsig KILL)' : 'a process group';
  }

  async launch(argv: string[], _mounts: ContainerMounts, cwd: string): Promise<Launch> {
    if (this.setpriv) return { file: this.setpriv, args: ['--pdeathsig', 'KILL', '--', ...argv], cwd };
    return { file: argv[0]!, args: argv.slice(1), cwd };
  }
}
