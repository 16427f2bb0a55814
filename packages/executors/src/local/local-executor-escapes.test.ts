// What a node must not reach, run by a root worker (as here and in CI): the worker's environment and
// every process of the host through /proc, the host's devices and sysctls, the sandbox's own setup steps.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '@regatta/artifacts';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-escapes-'));
/** Outside /tmp, so that it is the same path on the host and in a container root. */
const hostDir = mkdtempSync('/var/tmp/regatta-escapes-');
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});
const executor = new LocalExecutor({ workDir });

function sh(script: string, env: Record<string, string> = {}): NodeRunRequest {
  return {
    workflow: { name: 'wf', namespace: 'default', uid: 'uid' },
    nodeId: `node-${randomUUID().slice(0, 8)}`,
    nodeName: 'wf',
    attempt: 0,
    templateName: 'main',
    container: { image: 'busybox', command: ['sh', '-c', script], env: Object.entries(env).map(([name, value]) => ({ name, value })) },
  };
}

function context(): RunContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal: new AbortController().signal, lines, onLog: (stream, line) => lines.push(`${stream}: ${line}`) };
}

describe('a node run by a root worker', () => {
  it("finds nothing of the worker's environment in any /proc/<pid>/environ, its parent's and pid 1's included", async () => {
    // The node looks for the two halves joined, so that its own environment (holding them apart) cannot match.
    const [first, second] = [randomUUID(), randomUUID()];
    // A process's /proc/<pid>/environ shows the environment it was started with: a process of the host
    // started with the secret stands for a worker started with its REDIS_URL.
    const worker = spawn('sleep', ['60'], { env: { ...process.env, REDIS_URL: `redis://:${first}${second}@127.0.0.1:6379` }, stdio: 'ignore' });
    try {
      const script = 'grep -l "$A$B" /proc/*/environ /proc/1/environ "/proc/$PPID/environ" 2>/dev/null; echo searched';
      const result = await executor.run(sh(script, { A: first, B: second }), context());
      expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'searched' } });
    } finally {
      worker.kill();
    }
  });

  it("cannot write to the host through another process's /proc/<pid>/root", async () => {
    const escaped = join(hostDir, `escaped-${randomUUID()}`);
    const script = `for root in /proc/[0-9]*/root; do echo x > "$root${escaped}"; done 2>/dev/null; echo tried`;
    const result = await executor.run(sh(script), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'tried' } });
    expect(existsSync(escaped)).toBe(false);
  });

  it('runs in a user namespace of its own without capabilities: sysctls are read-only and nothing can be mounted', async () => {
    const script = [
      'cat /proc/sys/kernel/printk_ratelimit > /proc/sys/kernel/printk_ratelimit 2>/dev/null && echo sysctl written',
      'mount -t tmpfs none /mnt 2>/dev/null && echo mounted',
      'grep CapEff /proc/self/status',
      // Root mapped to root, and nothing else: the host's user namespace maps every uid.
      'tr -s " " < /proc/self/uid_map',
    ].join('; ');
    const result = await executor.run(sh(script), context());
    expect(result.outputs.result).toBe('CapEff:\t0000000000000000\n 0 0 1');
  });

  it("sees a /dev of its own, with the usual devices, and no /sys of the host's", async () => {
    const script = 'ls -A /dev | tr "\\n" " "; echo hi > /dev/null && head -c 4 /dev/zero | wc -c; ls -A /sys | wc -l';
    const result = await executor.run(sh(script), context());
    expect(result.outputs.result).toBe('fd full null random shm stderr stdin stdout tty urandom zero 4\n0');
  });

  it("applies the template's env to its command only, not to the sandbox's own steps", async () => {
    // The loader names a preload it cannot find once for each program it starts with LD_PRELOAD set.
    const preload = `/nonexistent/regatta-preload-${randomUUID()}.so`;
    const ctx = context();
    const result = await executor.run(sh('echo ran', { LD_PRELOAD: preload }), ctx);
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'ran' } });
    expect(ctx.lines.filter((line) => line.startsWith('stderr: ') && line.includes(preload))).toHaveLength(1);
  });
});

describe("a node's outputs", () => {
  it("are read from its own folders without following a link it made, and never from the worker's /proc", async () => {
    const request = sh('ln -s /proc/self/environ /tmp/linked; ln -s / /tmp/root');
    request.outputParameters = [
      { name: 'linked', valueFrom: { path: '/tmp/linked' } },
      { name: 'through', valueFrom: { path: '/tmp/root/proc/self/environ' } },
      { name: 'direct', valueFrom: { path: '/proc/self/environ' } },
    ];
    const result = await executor.run(request, context());
    expect(result).toMatchObject({ phase: 'Error', message: 'failed to read output parameter "linked" from /tmp/linked: "linked" is a symbolic link, which is not followed here' });
    expect(result.outputs.parameters ?? []).toEqual([]);
    const direct = sh('true');
    direct.outputParameters = [{ name: 'direct', valueFrom: { path: '/proc/self/environ' } }];
    expect(await executor.run(direct, context())).toMatchObject({
      phase: 'Error',
      message: "failed to read output parameter \"direct\" from /proc/self/environ: /proc/self/environ is in the container's own proc, which is gone once it has run",
    });
    // A folder link of the host's own that leads into /proc (as /etc/mtab leads to /proc/self/mounts).
    const hostLink = join(hostDir, `to-proc-${randomUUID()}`);
    symlinkSync('/proc/self', hostLink);
    const viaHost = sh('true');
    viaHost.outputParameters = [{ name: 'host', valueFrom: { path: `${hostLink}/environ` } }];
    expect(await executor.run(viaHost, context())).toMatchObject({
      phase: 'Error',
      message: `failed to read output parameter "host" from ${hostLink}/environ: ${hostLink}/environ is in the container's own proc, which is gone once it has run`,
    });
  });
});

describe('volumes', () => {
  const volumesDir = join(hostDir, 'volumes');
  const withClaims = new LocalExecutor({ workDir, volumesDir });
  const claim = (script: string): NodeRunRequest => ({
    ...sh(script),
    volumes: [{ name: 'shared', claim: { name: `claim-${randomUUID().slice(0, 8)}`, ofWorkflow: false } }],
  });
  const mounted = (request: NodeRunRequest, subPath?: string): NodeRunRequest => ({
    ...request,
    container: { ...request.container, volumeMounts: [{ name: 'shared', mountPath: '/mnt/vol', ...(subPath !== undefined && { subPath }) }] },
  });

  it('refuse a subPath, an input artifact and a working directory through a link that a node planted in a shared claim', async () => {
    const target = mkdtempSync(join(hostDir, 'target-'));
    const first = mounted(claim(`ln -s ${target} /mnt/vol/link`));
    expect((await withClaims.run(first, context())).phase).toBe('Succeeded');
    const bySubPath = mounted({ ...first, nodeId: 'by-sub-path', container: { ...first.container, command: ['sh', '-c', 'echo x > /mnt/vol/evil'] } }, 'link');
    expect(await withClaims.run(bySubPath, context())).toMatchObject({
      phase: 'Error',
      message: 'volume "shared" at /mnt/vol: subPath "link": "link" is a symbolic link, which is not followed here',
    });
    const byInput = mounted({ ...first, nodeId: 'by-input', container: { ...first.container, command: ['true'] } });
    byInput.inputArtifacts = [{ name: 'in', path: '/mnt/vol/link/evil', raw: { data: 'x' } }];
    expect(await withClaims.run(byInput, context())).toMatchObject({
      phase: 'Error',
      message: 'failed to load input artifact "in": "link" is a symbolic link, which is not followed here',
    });
    const byWorkingDir = mounted({ ...first, nodeId: 'by-working-dir', container: { ...first.container, command: ['true'], workingDir: '/mnt/vol/link/made' } });
    expect(await withClaims.run(byWorkingDir, context())).toMatchObject({
      phase: 'Error',
      message: 'workingDir "/mnt/vol/link/made": "link" is a symbolic link, which is not followed here',
    });
    expect(existsSync(join(target, 'evil')) || existsSync(join(target, 'made'))).toBe(false);
  });

  it("refuse to write a script template's source through a link that a node planted where it goes", async () => {
    const target = join(hostDir, `script-target-${randomUUID()}`);
    writeFileSync(target, 'host\n');
    const staging = (script: string): NodeRunRequest => {
      const request = claim(script);
      return { ...request, container: { ...request.container, volumeMounts: [{ name: 'shared', mountPath: '/argo/staging' }] } };
    };
    const first = staging(`ln -s ${target} /argo/staging/script`);
    expect((await withClaims.run(first, context())).phase).toBe('Succeeded');
    const scripted = { ...first, nodeId: 'scripted', container: { ...first.container, command: ['sh'] }, script: { source: 'echo overwritten' } };
    expect(await withClaims.run(scripted, context())).toMatchObject({ phase: 'Error', message: '"/argo/staging/script" is a symbolic link, which is not followed here' });
    expect(readFileSync(target, 'utf8')).toBe('host\n');
  });

  it('refuse a hostPath unless the operator allows its folder, and a link below that folder', async () => {
    const allowed = mkdtempSync(join(hostDir, 'allowed-'));
    symlinkSync('/etc', join(allowed, 'etc'));
    const hostPath = (path: string): NodeRunRequest => ({
      ...mounted(sh('ls /mnt/vol >/dev/null')),
      volumes: [{ name: 'shared', hostPath: { path } }],
    });
    expect(await executor.run(hostPath(allowed), context())).toMatchObject({
      phase: 'Error',
      message: `volume "shared" at /mnt/vol: hostPath "${allowed}" is refused: hostPath volumes are off on this worker (the operator allows folders for them with REGATTA_HOSTPATH_ALLOW)`,
    });
    const allowing = new LocalExecutor({ workDir, hostEnv: { ...process.env, REGATTA_HOSTPATH_ALLOW: `/nonexistent:${allowed}` } });
    expect((await allowing.run(hostPath(allowed), context())).phase).toBe('Succeeded');
    expect(await allowing.run(hostPath('/etc'), context())).toMatchObject({
      phase: 'Error',
      message: `volume "shared" at /mnt/vol: hostPath "/etc" is refused: this worker allows hostPath volumes under /nonexistent, ${allowed} only (REGATTA_HOSTPATH_ALLOW)`,
    });
    expect(await allowing.run(hostPath(join(allowed, 'etc')), context())).toMatchObject({
      phase: 'Error',
      message: `volume "shared" at /mnt/vol: "etc" is a symbolic link, which is not followed here`,
    });
  });
});

describe("the operator's folders", () => {
  it('are not seen by nodes, and must be folders of the worker\'s own, not links put there first', async () => {
    const artifactsDir = join(hostDir, 'artifacts');
    mkdirSync(join(artifactsDir, 'team-b'), { recursive: true });
    const own = new LocalExecutor({ workDir, artifacts: new ArtifactStore({ localRoot: artifactsDir }) });
    expect((await own.run(sh(`ls -A ${artifactsDir} | wc -l`), context())).outputs.result).toBe('0');
    // A work folder found with a wider mode is made private.
    const open = join(hostDir, 'open-work');
    mkdirSync(open, { mode: 0o755 });
    expect((await new LocalExecutor({ workDir: open }).run(sh('true'), context())).phase).toBe('Succeeded');
    expect(statSync(open).mode & 0o777).toBe(0o700);
    const planted = join(hostDir, 'planted');
    symlinkSync(hostDir, planted);
    await expect(new LocalExecutor({ workDir: planted }).run(sh('true'), context())).rejects.toThrow(`the work folder ${planted} is not a folder (a symbolic link or a file is there): remove it, or choose another folder`);
  });
});

describe('an input artifact', () => {
  it("that unpacks to a link out of it is refused, and the worker never applies its mode to the link's target", async () => {
    const artifactsDir = join(hostDir, 'link-artifacts');
    const target = join(hostDir, 'target-file');
    writeFileSync(target, 'host\n', { mode: 0o600 });
    // An archive whose one entry is a link to a host file (stored by hand, or by an older worker).
    const packing = mkdtempSync(join(hostDir, 'packing-'));
    symlinkSync(target, join(packing, 'entry'));
    mkdirSync(join(artifactsDir, 'default', 'uid', 'pod'), { recursive: true });
    execFileSync('tar', ['-czf', join(artifactsDir, 'default', 'uid', 'pod', 'linked.tgz'), '-C', packing, 'entry']);
    const request = sh('true');
    request.inputArtifacts = [{ name: 'in', path: '/tmp/in', key: 'default/uid/pod/linked.tgz', mode: 0o777 }];
    const result = await new LocalExecutor({ workDir, artifacts: new ArtifactStore({ localRoot: artifactsDir }) }).run(request, context());
    expect(result).toMatchObject({ phase: 'Error', message: `failed to load input artifact "in": key default/uid/pod/linked.tgz: unsafe archive refused: entry entry links to the absolute path ${target}` });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
});
