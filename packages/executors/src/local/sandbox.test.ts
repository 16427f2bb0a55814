import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCommand } from './command-resolve.js';
import { chooseLauncher } from './sandbox.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-sandbox-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const hostPath = process.env.PATH ?? '';
const mounts = { tmp: '/w/tmp', binds: [], folder: workDir };

/** Outside /tmp, so that its tools are still there once a node's /tmp is mounted. */
const binDir = mkdtempSync('/var/tmp/regatta-sandbox-');
afterAll(() => rmSync(binDir, { recursive: true, force: true }));

/** A PATH that has only the named tools of this host. */
function pathWith(...tools: string[]): string {
  const bin = mkdtempSync(join(binDir, 'bin-'));
  for (const tool of tools) symlinkSync(resolveCommand(tool, hostPath)!, join(bin, tool));
  return bin;
}

describe('chooseLauncher', () => {
  it('gives nodes a container root where the probe succeeds (this host)', async () => {
    const { launcher, fallbackReason } = await chooseLauncher('auto', hostPath, workDir);
    expect(fallbackReason).toBeUndefined();
    expect(launcher.isolation).toBe('container');
    expect(await launcher.launch(['echo', 'hi'], {}, mounts, '/tmp')).toMatchObject({ file: resolveCommand('setpriv', hostPath), cwd: '/' });
  });

  it('falls back to a private /tmp where chroot is missing, saying why', async () => {
    const bin = pathWith('setpriv', 'unshare', 'sh', 'mount', 'env');
    const { launcher, fallbackReason } = await chooseLauncher('auto', bin, workDir);
    expect(launcher.isolation).toBe('namespaces');
    expect(fallbackReason).toBe('no container root (chroot not found on PATH (it comes with coreutils))');
  });

  it('falls back to a process group with setpriv, saying which tools are missing', async () => {
    const bin = pathWith('setpriv', 'sh');
    const { launcher, fallbackReason } = await chooseLauncher('auto', bin, workDir);
    expect(launcher.isolation).toBe('process-group');
    expect(fallbackReason).toBe('unshare, mount, env not found on PATH (setpriv, unshare and mount come with util-linux, env with coreutils)');
    expect(await launcher.launch(['echo', 'hi'], { A: '1' }, mounts, '/work')).toEqual({
      file: join(bin, 'setpriv'),
      args: ['--pdeathsig', 'KILL', '--', 'echo', 'hi'],
      cwd: '/work',
      env: { A: '1' },
    });
  });

  it("falls back when the probe fails, quoting the sandbox's error", async () => {
    const bin = pathWith('setpriv', 'unshare', 'sh', 'env');
    writeFileSync(join(bin, 'mount'), '#!/bin/sh\necho "mount: /tmp: permission denied." >&2; exit 32\n', { mode: 0o755 });
    const { launcher, fallbackReason } = await chooseLauncher('auto', bin, workDir);
    expect(launcher.isolation).toBe('process-group');
    expect(fallbackReason).toBe('the sandbox failed: mount: /tmp: permission denied.');
  });

  it('takes a sandbox without a user namespace where the host refuses one, saying so', async () => {
    const bin = pathWith('setpriv', 'sh', 'mount', 'chroot', 'env');
    const unshare = resolveCommand('unshare', hostPath)!;
    writeFileSync(join(bin, 'unshare'), `#!/bin/sh\ncase " $* " in *" --user "*) echo "unshare: unshare failed: Operation not permitted" >&2; exit 1;; esac\nexec ${unshare} "$@"\n`, { mode: 0o755 });
    const { launcher, fallbackReason, limits } = await chooseLauncher('auto', bin, workDir);
    expect(launcher.isolation).toBe('container');
    expect(fallbackReason).toBeUndefined();
    expect(limits).toEqual(['no user namespace (the sandbox failed: unshare: unshare failed: Operation not permitted)']);
  });

  it('gives nodes an empty /proc where a procfs of their own is refused, saying so', async () => {
    const bin = pathWith('setpriv', 'unshare', 'sh', 'chroot', 'env');
    const mount = resolveCommand('mount', hostPath)!;
    // The table is the argument after --fstab.
    const refuseProc = `for table; do :; done; if grep -q " proc " "$table"; then echo "mount: /proc: permission denied." >&2; exit 32; fi\nexec ${mount} "$@"\n`;
    writeFileSync(join(bin, 'mount'), `#!/bin/sh\n${refuseProc}`, { mode: 0o755 });
    const { launcher, limits } = await chooseLauncher('auto', bin, workDir);
    expect(launcher.isolation).toBe('container');
    expect(limits).toEqual(['an empty /proc rather than a procfs of its own (the sandbox failed: mount: /proc: permission denied.)']);
  });

  it('spawns the command itself where even setpriv is missing', async () => {
    const { launcher } = await chooseLauncher('auto', pathWith('sh'), workDir);
    expect(await launcher.launch(['echo', 'hi'], {}, mounts, '/work')).toEqual({ file: 'echo', args: ['hi'], cwd: '/work', env: {} });
  });

  it('does not probe or give a reason when isolation is none', async () => {
    const unmade = join(workDir, 'never-made');
    const choice = await chooseLauncher('none', hostPath, unmade);
    expect(choice.launcher.isolation).toBe('process-group');
    expect(choice.fallbackReason).toBeUndefined();
    expect(existsSync(unmade)).toBe(false);
  });
});

describe('a container root laid out folder by folder (what a user namespace allows)', () => {
  it('takes writes anywhere into the layer, shows the host, its mount points and volumes', async () => {
    const { launcher } = await chooseLauncher('auto', hostPath, workDir, { rootLayouts: ['per-folder'] });
    expect(launcher.isolation).toBe('container');
    const dir = mkdtempSync(join(workDir, 'folders-'));
    const root = { upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'root') };
    for (const folder of [join(dir, 'tmp'), join(dir, 'volume'), join(root.upper, 'mnt', 'vol'), root.work, root.merged]) mkdirSync(folder, { recursive: true });
    const script = 'echo top > /top.txt && echo etc > /etc/regatta-test && echo vol > /mnt/vol/v && cat /etc/hostname >/dev/null && ls /proc/self >/dev/null && echo ok';
    const { file, args, cwd, env } = await launcher.launch(
      ['/bin/sh', '-c', script],
      { PATH: process.env.PATH ?? '' },
      { tmp: join(dir, 'tmp'), root, binds: [{ source: join(dir, 'volume'), target: '/mnt/vol' }], folder: dir },
      '/',
    );
    expect(execFileSync(file, args, { cwd, env }).toString()).toBe('ok\n');
    expect(readFileSync(join(root.upper, 'top.txt'), 'utf8')).toBe('top\n');
    expect(readFileSync(join(root.upper, 'etc', 'regatta-test'), 'utf8')).toBe('etc\n');
    expect(readFileSync(join(dir, 'volume', 'v'), 'utf8')).toBe('vol\n');
    expect(existsSync('/etc/regatta-test') || existsSync('/top.txt')).toBe(false);
    expect(readFileSync(join(dir, 'mounts'), 'utf8')).toMatch(/^overlay \S+\/root\/usr overlay lowerdir=\/usr,upperdir=\S+\/upper\/usr,/m);
  });
});
