// How a node process is started so that it gets a filesystem of its own, cannot reach the host's processes
// or change the host, and nothing it starts outlives its worker:
//
//   setpriv --pdeathsig KILL        the launcher gets SIGKILL when the worker dies, even by kill -9. It
//                                   must come first: the signal follows the death of the parent, and only
//                                   the launcher's parent is the worker;
//   unshare --user --map-root-user --mount --pid --fork --kill-child
//                                   a new user, mount and pid namespace; the forked child is the namespace's
//                                   pid 1 and gets SIGKILL when the launcher dies, and when pid 1 dies the
//                                   kernel kills every process in the namespace (grandchildren, daemons);
//   sh -c SHIM                      as pid 1: makes the container's mounts (its root, a procfs of its own
//                                   pid namespace, a minimal /dev), enters its root and working directory
//                                   and runs the command as its child. Not as pid 1, which would ignore an
//                                   abort's SIGTERM unless it had a handler for it;
//   setpriv --no-new-privs --bounding-set -all …
//                                   the command runs without capabilities (nor can it gain any), so it can
//                                   neither undo the mounts nor look into pid 1 (/proc/1/root, /proc/1/environ);
//   env -i NAME=VALUE …             only then the template's env: none of it reaches the sandbox's own
//                                   steps (LD_PRELOAD, BASH_ENV), which run with an empty environment.
//
// The mounts, best first, as the host allows (`Isolation`):
//   container   the host's / through overlayfs whose writes land in the container's own folder (as a
//               container's writable layer; see container-root.ts), chrooted into; the node's folder over
//               /tmp; volumes at their mount paths. A node writes anywhere; the host is untouched (its
//               other mount points are read-only).
//   namespaces  the node's folder over /tmp and volumes under it; everything else is the host's.
// A root worker also prefers a user namespace (mapping root to root: what it adds is that the container's
// capabilities and mounts are confined to it) and takes the sandbox without one where that is refused;
// a procfs of its own may be refused too (in some containers), and /proc is then empty. Where namespaces
// are refused, a node still gets its own process group and, with setpriv, a parent-death signal. The
// caller is told once of each of these.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveCommand } from './command-resolve.js';
import { rootEntries, type RootLayer, type RootLayout } from './container-root.js';
import { covered, kernelEntries } from './kernel-mounts.js';

export type Isolation = 'container' | 'namespaces' | 'process-group';

export interface Launch {
  file: string;
  args: string[];
  cwd: string;
  /** The launcher's own environment: empty in the sandbox, where the command gets its env at its exec. */
  env: Record<string, string>;
}

/** A host folder shown to the node at `target` (a path as the node sees it). */
export interface Bind {
  source: string;
  target: string;
  readOnly?: boolean;
}

/**
 * What one container sees, as host folders: `tmp` becomes its /tmp; `root` is given only with `container`
 * isolation. `folder` is the container's own: the launch writes its mount table, its env and its /dev there.
 */
export interface ContainerMounts {
  tmp: string;
  root?: RootLayer;
  binds: Bind[];
  folder: string;
}

export interface Launcher {
  readonly isolation: Isolation;
  /** What each node gets, in words. */
  readonly description: string;
  /** `env` is the command's environment; `cwd` is the working directory as the node sees it. */
  launch(argv: string[], env: Record<string, string>, mounts: ContainerMounts, cwd: string): Promise<Launch>;
}

export interface LauncherChoice {
  launcher: Launcher;
  /** Why nodes are less isolated than `container`, where isolation was asked for and could not be had. */
  fallbackReason?: string;
  /** What a sandbox that works lacks here, and why (no user namespace, no procfs of its own). */
  limits?: string[];
}

export interface LauncherOptions {
  /** The container roots to try, in order. */
  rootLayouts?: RootLayout[];
  /** The operator's folders (work, artifacts, volumes) that nodes must not see: an empty folder covers each. */
  hidden?: string[];
}

/**
 * $1 mount, $2 the mount table, $3 the exec file, $4 the working directory (/ with a root: the chroot's
 * shell enters it), then the command. The exec file puts the entering of the root, the dropping of
 * privileges and the template's env in front of the command; it is read first, as the mounts may hide its
 * folder. The mounts are made by one `mount --all` over the table, in its order. After the setup the
 * shell's own stderr goes to /dev/null (so its "Terminated" notice for a killed command stays out of the
 * node's log) and the command gets the real one back in a subshell that execs it.
 */
const SHIM = [
  'm=$1 f=$2 e=$3 d=$4; shift 4',
  '. "$e" || exit 125',
  '"$m" --all --fstab "$f" || exit 125',
  'cd "$d" || exit 125',
  'exec 3>&2 2>/dev/null && (exec 2>&3 3>&- && exec "$@")',
].join('\n');
const PROBE_TIMEOUT_MS = 10_000;

/** What the command runs under: no capabilities, none to be gained (setuid files included). */
const DROP_PRIVILEGES = ['--no-new-privs', '--bounding-set', '-all', '--inh-caps', '-all', '--ambient-caps', '-all', '--'];

/**
 * Picks how nodes are launched on this host, with the tools found on the worker's PATH. With `auto`,
 * tries each sandbox once, best first, on a harmless command in a scratch folder under `workDir`.
 */
export async function chooseLauncher(isolation: 'auto' | 'none', searchPath: string, workDir: string, options: LauncherOptions = {}): Promise<LauncherChoice> {
  const { rootLayouts = ['whole', 'per-folder'] } = options;
  const find = (tool: string) => resolveCommand(tool, searchPath);
  const setpriv = find('setpriv');
  const groupOnly = new ProcessGroupLauncher(setpriv);
  if (isolation === 'none') return { launcher: groupOnly };
  const fallBack = (launcher: Launcher, reason: string): LauncherChoice => ({ launcher, fallbackReason: reason });
  if (process.platform !== 'linux') return fallBack(groupOnly, `${process.platform} has no Linux namespaces`);
  const [unshare, sh, mount, chroot, env] = [find('unshare'), find('sh'), find('mount'), find('chroot'), find('env')];
  if (!setpriv || !unshare || !sh || !mount || !env) {
    const missing = Object.entries({ setpriv, unshare, sh, mount, env }).filter(([, path]) => !path);
    return fallBack(groupOnly, `${missing.map(([tool]) => tool).join(', ')} not found on PATH (setpriv, unshare and mount come with util-linux, env with coreutils)`);
  }
  const tools = { setpriv, unshare, sh, mount, env, chroot: chroot ?? '' };
  const hidden = (options.hidden ?? []).filter((path) => existsSync(path)).map((path) => realpathSync(path));
  // A user namespace for root too: made for the command alone, once root has made the mounts (a user
  // namespace locks the host's mounts, which the fast root layout cannot overlay), or else for the whole
  // sandbox (what root without CAP_SYS_ADMIN, in a container, may still get), or else none.
  const users: UserNamespace[] = process.getuid?.() === 0 ? ['command', 'sandbox', 'none'] : ['sandbox'];
  const failures = new Map<string, string>();
  const failure = (layout: RootLayout | undefined, user: UserNamespace, procfs: boolean) => failures.get(`${layout}/${user}/${procfs}`) ?? '';
  let last = '';
  // A container root first, then a user namespace, then a procfs of its own.
  for (const layouts of [chroot ? rootLayouts : [], [undefined]]) {
    for (const user of users) {
      for (const [layout, procfs] of layouts.flatMap((layout) => [true, false].map((procfs) => [layout, procfs] as const))) {
        const launcher = new NamespaceLauncher(tools, { user, rootLayout: layout, procfs, hidden });
        last = await probe(launcher, sh, workDir);
        failures.set(`${layout}/${user}/${procfs}`, last);
        if (last) continue;
        const limits = [
          ...(user !== 'none' ? [] : [`no user namespace (${failure(layout, users[0]!, procfs)})`]),
          ...(procfs ? [] : [`an empty /proc rather than a procfs of its own (${failure(layout, user, true)})`]),
        ];
        // The first layout's reason says most: the others are workarounds.
        const rootReason = chroot ? failure(rootLayouts[0], users[0]!, true) : 'chroot not found on PATH (it comes with coreutils)';
        return { launcher, ...(!layout && { fallbackReason: `no container root (${rootReason})` }), ...(limits.length > 0 && { limits }) };
      }
    }
  }
  return fallBack(groupOnly, last);
}

/** Runs a command that writes to /tmp (and /, with a root); returns why the sandbox failed, or '' when the files landed in the node's folders. */
async function probe(launcher: NamespaceLauncher, sh: string, workDir: string): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, '.probe-'));
  try {
    const mounts: ContainerMounts = { tmp: join(dir, 'tmp'), binds: [], folder: dir };
    if (launcher.rootLayout) mounts.root = { upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'root') };
    await Promise.all([mounts.tmp, ...Object.values(mounts.root ?? {})].map((folder) => mkdir(folder)));
    const script = launcher.rootLayout ? ': > /tmp/probe && : > /probe' : ': > /tmp/probe';
    const { file, args, cwd, env } = await launcher.launch([sh, '-c', script], {}, mounts, '/tmp');
    try {
      await promisify(execFile)(file, args, { cwd, env, timeout: PROBE_TIMEOUT_MS });
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
  env: string;
}

/** Where a user namespace begins: around the whole sandbox, around the command only, or nowhere. */
type UserNamespace = 'sandbox' | 'command' | 'none';

interface SandboxKind {
  user: UserNamespace;
  /** How containers get a root of their own; none without it. */
  rootLayout: RootLayout | undefined;
  /** A procfs of the node's own pid namespace at /proc; else an empty folder. */
  procfs: boolean;
  /** Host folders covered by an empty one. */
  hidden: string[];
}

class NamespaceLauncher implements Launcher {
  readonly isolation: Isolation;
  readonly description: string;
  readonly rootLayout: RootLayout | undefined;
  private readonly prefix: string[];

  constructor(
    private readonly tools: Tools,
    private readonly kind: SandboxKind,
  ) {
    this.rootLayout = kind.rootLayout;
    this.isolation = kind.rootLayout ? 'container' : 'namespaces';
    this.description = kind.rootLayout ? 'a container root (an overlay of the host), a private /tmp and pid namespace' : 'a private /tmp and pid namespace';
    const user = kind.user === 'sandbox' ? ['--user', '--map-root-user'] : [];
    const namespaces = [...user, '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child'];
    this.prefix = ['--pdeathsig', 'KILL', '--', tools.unshare, ...namespaces, '--', tools.sh, '-c', SHIM, 'regatta-sandbox', tools.mount];
  }

  async launch(argv: string[], env: Record<string, string>, { tmp, root, binds, folder }: ContainerMounts, cwd: string): Promise<Launch> {
    const volumes = (at: (target: string) => string) =>
      binds.map(({ source, target, readOnly }) => [source, at(target), 'none', readOnly ? 'bind,ro' : 'bind']);
    const { procfs, hidden } = this.kind;
    // Paths under /tmp are hidden by the node's own /tmp already.
    const hide = (at: (target: string) => string) => hidden.filter((path) => path !== '/tmp' && !path.startsWith('/tmp/')).map((path) => covered(at(path)));
    const entries: string[][] = [];
    if (root && this.rootLayout) {
      const inRoot = (target: string) => join(root.merged, target);
      entries.push(...(await rootEntries(this.rootLayout, root, this.kind.user === 'sandbox')));
      entries.push(...(await kernelEntries(folder, inRoot, procfs, false)), ...hide(inRoot));
      entries.push([tmp, inRoot('/tmp'), 'none', 'bind'], ...volumes(inRoot));
    } else {
      // The node's own folders (its /dev, its volumes' sources) may lie under the host's /tmp, hidden next,
      // and under the work folder, hidden last. Volume targets are under /tmp: mounted in the node's folder.
      entries.push(...(await kernelEntries(folder, (path) => path, procfs, true)));
      entries.push(...volumes((target) => join(tmp, target.slice('/tmp'.length))), [tmp, '/tmp', 'none', 'rbind'], ...hide((path) => path));
    }
    const table = join(folder, 'mounts');
    const exec = join(folder, 'exec');
    await writeFile(table, entries.map((fields) => `${fields.map(fstabField).join(' ')} 0 0\n`).join(''), { mode: 0o600 });
    await writeFile(exec, `set -- ${this.execPrefix(argv, env, root?.merged, cwd).map(shellQuote).join(' ')} "$@"\n`, { mode: 0o600 });
    const args = [...this.prefix, table, exec, root ? '/' : cwd, ...argv];
    return { file: this.tools.setpriv, args, cwd: '/', env: {} };
  }

  /**
   * What runs the command: its user namespace, its root (whose shell enters the working directory),
   * privileges dropped, then the template's env (a command whose name has `=` would be taken by env for
   * one more variable: a shell runs it).
   */
  private execPrefix(argv: string[], env: Record<string, string>, root: string | undefined, cwd: string): string[] {
    const { unshare, chroot, sh, setpriv } = this.tools;
    const user = this.kind.user === 'command' ? [unshare, '--user', '--map-root-user', '--'] : [];
    const enter = root ? [chroot, root, sh, '-c', 'cd "$0" && exec "$@"', cwd] : [];
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    const viaShell = argv[0]!.includes('=') ? [sh, '-c', 'exec "$@"', 'sh'] : [];
    return [...user, ...enter, setpriv, ...DROP_PRIVILEGES, this.tools.env, '-i', ...assignments, ...viaShell];
  }
}

/** fstab's escapes for a field: whitespace and backslashes as octal. */
function fstabField(field: string): string {
  return field.replace(/[\s\\]/g, (char) => `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** A word for sh, quoted so that nothing in it is expanded. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

class ProcessGroupLauncher implements Launcher {
  readonly isolation = 'process-group';
  readonly description: string;

  constructor(private readonly setpriv: string | undefined) {
    this.description = setpriv ? 'a process group and a parent-death signal (setpriv --pdeathsig KILL)' : 'a process group';
  }

  async launch(argv: string[], env: Record<string, string>, _mounts: ContainerMounts, cwd: string): Promise<Launch> {
    if (this.setpriv) return { file: this.setpriv, args: ['--pdeathsig', 'KILL', '--', ...argv], cwd, env };
    return { file: argv[0]!, args: argv.slice(1), cwd, env };
  }
}
