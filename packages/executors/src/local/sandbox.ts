// How a node process is started so that it has a private /tmp and dies with its worker:
//   setpriv --pdeathsig KILL            the launcher dies when the worker dies, even by kill -9;
//   unshare --mount --pid --fork --kill-child   its child is pid 1 of a new pid namespace, killed with
//                                        the launcher, and the kernel kills every process in that namespace;
//   sh -c 'mount --bind <node tmp> /tmp; exec cmd'   the node's own /tmp in a private mount namespace.
// Where namespaces are not allowed, the node still gets its own process group and a parent-death signal.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Isolation = 'namespaces' | 'process-group';

/** $0 is the node's /tmp on the host, $1 the working directory, the rest the command. */
const MOUNT_TMP = 'mount --bind "$0" /tmp && cd "$1" && shift && exec "$@"';

export interface Launch {
  file: string;
  args: string[];
  cwd: string;
}

/** The working directory is the node's private /tmp unless the template names one. */
export function launchCommand(isolation: Isolation, nodeTmp: string, workingDir: string | undefined, argv: string[], hasSetpriv: boolean): Launch {
  if (isolation === 'namespaces') {
    return {
      file: 'setpriv',
      args: ['--pdeathsig', 'KILL', '--', 'unshare', ...namespaceFlags(), '--', 'sh', '-c', MOUNT_TMP, nodeTmp, workingDir ?? '/tmp', ...argv],
      cwd: '/',
    };
  }
  const cwd = workingDir ?? nodeTmp;
  if (hasSetpriv) return { file: 'setpriv', args: ['--pdeathsig', 'KILL', '--', ...argv], cwd };
  return { file: argv[0]!, args: argv.slice(1), cwd };
}

function namespaceFlags(): string[] {
  const user = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  return [...user, '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child'];
}

export interface Probe {
  isolation: Isolation;
  hasSetpriv: boolean;
  /** Why namespaces are not used, when they are not. */
  reason?: string;
}

/** Tries the sandbox once on a harmless command; the answer holds for the life of the executor. */
export function hasSetpriv(): boolean {
  return spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function probeSandbox(): Probe {
  const setprivFound = hasSetpriv();
  const fallback = (reason: string): Probe => ({ isolation: 'process-group', hasSetpriv: setprivFound, reason });
  if (process.platform !== 'linux') return fallback(`${process.platform} has no Linux namespaces`);
  if (!setprivFound) return fallback('setpriv (util-linux) is not on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'regatta-probe-'));
  try {
    const nodeTmp = join(dir, 'tmp');
    mkdirSync(nodeTmp);
    const { file, args, cwd } = launchCommand('namespaces', nodeTmp, undefined, ['sh', '-c', 'touch /tmp/probe'], true);
    const probe = spawnSync(file, args, { cwd, encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0 && existsSync(join(nodeTmp, 'probe'))) return { isolation: 'namespaces', hasSetpriv: true };
    const reason = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
    return fallback(`unshare failed: ${reason}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
