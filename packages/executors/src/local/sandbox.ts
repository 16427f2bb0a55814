// How a node process is started so that it gets a private /tmp and nothing it starts outlives its worker:
//
//   setpriv --pdeathsig KILL        the launcher gets SIGKILL when the worker dies, even by kill -9. It
//                                   must come first: the signal follows the death of the parent, and only
//                                   the launcher's parent is the worker;
//   unshare --mount --pid --fork --kill-child
//                                   a new mount and pid namespace; the forked child is the namespace's
//                                   pid 1 and gets SIGKILL when the launcher dies, and when pid 1 dies the
//                                   kernel kills every process in the namespace (grandchildren, daemons);
//   sh -c SHIM                      as pid 1: bind-mounts the node's folder over /tmp, enters the working
//                                   directory and runs the command as its child. Not as pid 1, which would
//                                   ignore an abort's SIGTERM unless it had a handler for it.
//
// Non-root workers add `--user --map-root-user` (the node then runs as root of its own user namespace,
// which maps to the worker's user). Where namespaces are refused, a node still gets its own process group
// and, with setpriv, a parent-death signal; the caller is told why, once.
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveCommand } from './command-resolve.js';

export type Isolation = 'namespaces' | 'process-group';

export interface Launch {
  file: string;
  args: string[];
  cwd: string;
}

export interface Launcher {
  readonly isolation: Isolation;
  /** What each node gets, in words. */
  readonly description: string;
  /** `nodeTmp` is the host folder that becomes the node's /tmp; `cwd` the working directory as the node sees it. */
  launch(argv: string[], nodeTmp: string, cwd: string): Launch;
}

export interface LauncherChoice {
  launcher: Launcher;
  /** Why nodes are not isolated, where isolation was asked for and could not be had. */
  fallbackReason?: string;
}

/**
 * $1 mount, $2 the node's /tmp on the host, $3 the working directory, then the command. After the setup
 * the shell's own stderr goes to /dev/null (so its "Terminated" notice for a killed command stays out of
 * the node's log) and the command gets the real one back in a subshell that execs it.
 */
const SHIM = '"$1" --bind "$2" /tmp && cd "$3" && shift 3 && exec 3>&2 2>/dev/null && (exec 2>&3 3>&- && exec "$@")';
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Picks how nodes are launched on this host, with the tools found on the worker's PATH. With `auto`,
 * tries the sandbox once on a harmless command in a scratch folder under `workDir`.
 */
export async function chooseLauncher(isolation: 'auto' | 'none', searchPath: string, workDir: string): Promise<LauncherChoice> {
  const find = (tool: string) => resolveCommand(tool, searchPath);
  const setpriv = find('setpriv');
  const groupOnly = new ProcessGroupLauncher(setpriv);
  if (isolation === 'none') return { launcher: groupOnly };
  const fallBack = (reason: string): LauncherChoice => ({ launcher: groupOnly, fallbackReason: reason });
  if (process.platform !== 'linux') return fallBack(`${process.platform} has no Linux namespaces`);
  const [unshare, sh, mount] = [find('unshare'), find('sh'), find('mount')];
  if (!setpriv || !unshare || !sh || !mount) {
    const missing = Object.entries({ setpriv, unshare, sh, mount }).filter(([, path]) => !path);
    return fallBack(`${missing.map(([tool]) => tool).join(', ')} not found on PATH (setpriv, unshare and mount come with util-linux)`);
  }
  // root needs no user namespace, but root without CAP_SYS_ADMIN (in a container) may still get one.
  const userNamespace = process.getuid?.() === 0 ? [false, true] : [true];
  let reason = '';
  for (const withUser of userNamespace) {
    const launcher = new NamespaceLauncher({ setpriv, unshare, sh, mount }, withUser);
    reason = await probe(launcher, sh, workDir);
    if (!reason) return { launcher };
  }
  return fallBack(reason);
}

/** Runs a command that writes to /tmp; returns why the sandbox failed, or '' when the file landed in the node's folder. */
async function probe(launcher: Launcher, sh: string, workDir: string): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, '.probe-'));
  try {
    const nodeTmp = join(dir, 'tmp');
    await mkdir(nodeTmp);
    const { file, args, cwd } = launcher.launch([sh, '-c', ': > /tmp/probe'], nodeTmp, '/tmp');
    try {
      await promisify(execFile)(file, args, { cwd, timeout: PROBE_TIMEOUT_MS });
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      return `the sandbox failed: ${(stderr?.trim() || message).split('\n')[0]}`;
    }
    return access(join(nodeTmp, 'probe')).then(
      () => '',
      () => 'the sandbox ran but its /tmp was not the node folder',
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
}

class NamespaceLauncher implements Launcher {
  readonly isolation = 'namespaces';
  readonly description = 'a private /tmp and pid namespace';
  private readonly prefix: string[];

  constructor(
    private readonly tools: Tools,
    userNamespace: boolean,
  ) {
    const user = userNamespace ? ['--user', '--map-root-user'] : [];
    const namespaces = [...user, '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child'];
    this.prefix = ['--pdeathsig', 'KILL', '--', tools.unshare, ...namespaces, '--', tools.sh, '-c', SHIM, 'regatta-sandbox', tools.mount];
  }

  launch(argv: string[], nodeTmp: string, cwd: string): Launch {
    return { file: this.tools.setpriv, args: [...this.prefix, nodeTmp, cwd, ...argv], cwd: '/' };
  }
}

class ProcessGroupLauncher implements Launcher {
  readonly isolation = 'process-group';
  readonly description: string;

  constructor(private readonly setpriv: string | undefined) {
    this.description = setpriv ? 'a process group and a parent-death signal (setpriv --pdeathsig KILL)' : 'a process group';
  }

  launch(argv: string[], _nodeTmp: string, cwd: string): Launch {
    if (this.setpriv) return { file: this.setpriv, args: ['--pdeathsig', 'KILL', '--', ...argv], cwd };
    return { file: argv[0]!, args: argv.slice(1), cwd };
  }
}
