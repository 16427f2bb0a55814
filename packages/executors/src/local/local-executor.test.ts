import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { processesWith } from '../../test-support/processes.js';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { resolveCommand } from './command-resolve.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-executor-'));
/** Outside /tmp, so that it is the same folder inside the sandbox. */
const hostDir = mkdtempSync('/var/tmp/regatta-executor-');
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});
const sandboxed = new LocalExecutor({ workDir, killGraceMs: 2_000 });
const unisolated = new LocalExecutor({ workDir, killGraceMs: 2_000, isolation: 'none' });

function request(container: NodeRunRequest['container'], extra: Partial<NodeRunRequest> = {}): NodeRunRequest {
  return {
    workflow: { name: 'wf', namespace: 'default', uid: 'uid' },
    nodeId: `node-${randomUUID().slice(0, 8)}`,
    nodeName: 'wf',
    attempt: 0,
    templateName: 'main',
    container: { image: 'busybox', ...container },
    ...extra,
  };
}

function context(signal = new AbortController().signal): RunContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal, lines, onLog: (stream, line) => lines.push(`${stream}: ${line}`) };
}

/** Runs `sh -c script` with a `<marker>` command on its PATH: `sleep` by a name no other process has. */
function withMarker(script: (marker: string) => string): { command: string[]; marker: string } {
  const marker = `regatta-test-${randomUUID()}`;
  symlinkSync(resolveCommand('sleep', process.env.PATH ?? '')!, join(hostDir, marker));
  return { command: ['sh', '-c', `PATH="${hostDir}:$PATH"; ${script(marker)}`], marker };
}

describe.each([
  ['sandboxed', sandboxed, '/argo/staging/script'],
  ['unisolated', unisolated, `${workDir}/uid/`],
])('the local executor, %s', (_mode, executor, scriptAt) => {
  it('captures stdout as the result with one trailing newline trimmed, and logs each line', async () => {
    const ctx = context();
    const result = await executor.run(request({ command: ['sh', '-c', 'echo one; printf "two\\n\\n"'] }), ctx);
    expect(result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'one\ntwo\n', exitCode: '0' } });
    expect(ctx.lines).toEqual(['stdout: one', 'stdout: two', 'stdout: ']);
    expect(result.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(result.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('logs stderr but keeps it out of the result', async () => {
    const ctx = context();
    const result = await executor.run(request({ command: ['sh', '-c', 'echo out; echo err >&2; printf partial >&2'] }), ctx);
    expect(result.outputs.result).toBe('out');
    expect(ctx.lines).toContain('stderr: err');
    expect(ctx.lines).toContain('stderr: partial');
  });

  it("fails a non-zero exit with Argo's message", async () => {
    const result = await executor.run(request({ command: ['sh', '-c', 'exit 3'] }), context());
    expect(result).toMatchObject({ phase: 'Failed', exitCode: 3, message: 'Error (exit code 3)', outputs: { exitCode: '3' } });
  });

  it('names the signal that killed the command, with exit code 128 + n', async () => {
    const ctx = context();
    const result = await executor.run(request({ command: ['sh', '-c', 'kill -KILL $$'] }), ctx);
    expect(result).toMatchObject({ phase: 'Failed', exitCode: 137, message: 'Error (exit code 137): killed by SIGKILL', outputs: { exitCode: '137' } });
    expect(ctx.lines).toEqual([]);
  });

  it('runs a script template with sh, the script path after command and args', async () => {
    const ctx = context();
    const result = await executor.run(request({ command: ['sh'], args: ['-x'] }, { script: { source: 'echo "hello from $0"' } }), ctx);
    expect(result.phase).toBe('Succeeded');
    expect(result.outputs.result).toMatch(new RegExp(`^hello from ${scriptAt}`));
    expect(ctx.lines.some((line) => line.startsWith('stderr: + echo'))).toBe(true);
  });

  it('runs a script template with python3', async () => {
    const source = 'import sys\nprint(6 * 7, sys.argv[1:])';
    const result = await executor.run(request({ command: ['python3'], args: ['-u'] }, { script: { source } }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: '42 []' } });
  });

  it("passes the template's env and workingDir over a minimal host env", async () => {
    const result = await executor.run(
      request({
        command: ['sh', '-c', 'echo "$GREETING|$EMPTY|${VITEST-unset}|${HOME:+home}"; pwd'],
        env: [{ name: 'GREETING', value: 'hi' }, { name: 'EMPTY' }],
        workingDir: hostDir,
      }),
      context(),
    );
    expect(result.outputs.result).toBe(`hi||unset|home\n${hostDir}`);
  });

  it('fails a node whose env reads a Secret on a worker given no Secret store, saying so', async () => {
    const result = await executor.run(request({ command: ['true'], env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }), context());
    expect(result).toMatchObject({ phase: 'Error', message: 'CreateContainerConfigError: cannot read Secret default/s: this worker has no Secret store' });
  });

  it('reads an output parameter from a host path outside /tmp as it is', async () => {
    const file = join(hostDir, `param-${randomUUID()}`);
    const result = await executor.run(
      request({ command: ['sh', '-c', `echo host > ${file}`] }, { outputParameters: [{ name: 'p', valueFrom: { path: file } }] }),
      context(),
    );
    expect(result.outputs.parameters).toEqual([{ name: 'p', value: 'host' }]);
  });

  it('uses valueFrom.default when the file is missing, and is an Error without one', async () => {
    const missing = `${hostDir}/none-${randomUUID()}`;
    const withDefault = await executor.run(
      request({ command: ['true'] }, { outputParameters: [{ name: 'p', valueFrom: { path: missing, default: 'fallback' } }] }),
      context(),
    );
    expect(withDefault).toMatchObject({ phase: 'Succeeded', outputs: { parameters: [{ name: 'p', value: 'fallback' }] } });
    const without = await executor.run(request({ command: ['true'] }, { outputParameters: [{ name: 'p', valueFrom: { path: missing } }] }), context());
    expect(without).toMatchObject({ phase: 'Error', exitCode: 0, message: `failed to read output parameter "p" from ${missing}: no such file or directory` });
  });

  it('reads output parameters of a failed node as far as it can, keeping the failure', async () => {
    const file = join(hostDir, `param-${randomUUID()}`);
    const result = await executor.run(
      request(
        { command: ['sh', '-c', `echo partial > ${file}; exit 2`] },
        { outputParameters: [{ name: 'p', valueFrom: { path: file } }, { name: 'q', valueFrom: { path: '/nonexistent' } }] },
      ),
      context(),
    );
    expect(result).toMatchObject({ phase: 'Failed', message: 'Error (exit code 2)', outputs: { parameters: [{ name: 'p', value: 'partial' }] } });
  });

  it('names a missing command and the image it stood for', async () => {
    const result = await executor.run(request({ image: 'docker/whalesay:latest', command: ['cowsay', 'hi'] }), context());
    expect(result).toMatchObject({ phase: 'Error', message: 'command "cowsay" not found on this host (it stands for image "docker/whalesay:latest")' });
    const path = await executor.run(request({ image: 'alpine', command: ['/opt/none/run'] }), context());
    expect(path.message).toBe('command "/opt/none/run" not found on this host (it stands for image "alpine")');
  });

  it("runs a container without a command by its image's entrypoint, known for some images only", async () => {
    const known = await executor.run(request({ image: 'alpine', args: ['hello'] }), context());
    expect(known).toMatchObject({ phase: 'Error', message: 'command "hello" not found on this host (it stands for image "alpine")' });
    const argosay = await executor.run(request({ image: 'argoproj/argosay:v2', args: ['echo', 'hello'] }), context());
    expect(argosay).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hello' } });
    const unknown = await executor.run(request({ image: 'team/tool', args: ['hello'] }), context());
    expect(unknown).toMatchObject({ phase: 'Error', message: `container "team/tool" has no command: the local executor does not know that image's entrypoint; give the template a command` });
  });

  it('runs a script template without a command by its #! line', async () => {
    const result = await executor.run(request({ image: 'alpine' }, { script: { source: '#!/bin/sh\necho by shebang' } }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'by shebang' } });
  });

  it('keeps the last 256 KiB of a 300 KiB stdout', async () => {
    const result = await executor.run(request({ command: ['sh', '-c', `head -c ${300 * 1024} /dev/zero | tr '\\0' a; echo END`] }), context());
    expect(result.outputs.result).toHaveLength(256 * 1024);
    expect(result.outputs.result?.endsWith('aaEND')).toBe(true);
  });

  it('stops the whole process group on abort with SIGTERM, before the grace ends', async () => {
    const controller = new AbortController();
    const { command, marker } = withMarker((sleep) => `${sleep} 30 & sh -c '${sleep} 31; :' & ${sleep} 32; :`);
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await executor.run(request({ command }), context(controller.signal));
    expect(result).toMatchObject({ phase: 'Failed', message: 'terminated' });
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect.poll(() => processesWith(marker), { timeout: 2_000 }).toEqual([]);
  });

  it('kills a node that ignores SIGTERM once the grace is over, with the abort reason as its message', async () => {
    const quick = new LocalExecutor({ workDir, killGraceMs: 200, isolation: executor === unisolated ? 'none' : 'auto' });
    const controller = new AbortController();
    const { command, marker } = withMarker((sleep) => `trap '' TERM; ${sleep} 30 & wait; wait`);
    setTimeout(() => controller.abort("Stopped with strategy 'Terminate'"), 300);
    const result = await quick.run(request({ command }), context(controller.signal));
    expect(result).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    await expect.poll(() => processesWith(marker), { timeout: 2_000 }).toEqual([]);
  });

  it('does not start a node whose signal is aborted already', async () => {
    const controller = new AbortController();
    controller.abort();
    const file = join(hostDir, `never-${randomUUID()}`);
    const result = await executor.run(request({ command: ['touch', file] }), context(controller.signal));
    expect(result).toMatchObject({ phase: 'Failed', message: 'terminated' });
    expect(existsSync(file)).toBe(false);
  });

  it('removes the node folder after the run', async () => {
    const before = readdirSync(workDir).length;
    await executor.run(request({ command: ['sh', '-c', 'echo x > "$TMPDIR/file"'] }, { workflow: { name: 'w', namespace: 'n', uid: `gone-${randomUUID()}` } }), context());
    expect(readdirSync(workDir)).toHaveLength(before);
  });
});

describe('the local executor in its sandbox', () => {
  it('gives each node a private /tmp: parallel nodes writing /tmp/out.txt read their own', async () => {
    const write = (value: string) =>
      sandboxed.run(
        request(
          { command: ['sh', '-c', `echo ${value} > /tmp/out.txt; sleep 0.2; cat /tmp/out.txt`] },
          { outputParameters: [{ name: 'out', valueFrom: { path: '/tmp/out.txt' } }] },
        ),
        context(),
      );
    const [alpha, beta] = await Promise.all([write('alpha'), write('beta')]);
    expect(alpha.outputs).toMatchObject({ result: 'alpha', parameters: [{ name: 'out', value: 'alpha' }] });
    expect(beta.outputs).toMatchObject({ result: 'beta', parameters: [{ name: 'out', value: 'beta' }] });
  });

  it('starts in / (Docker\'s default) with TMPDIR its /tmp, and makes a workingDir (a relative one from /)', async () => {
    const plain = await sandboxed.run(request({ command: ['sh', '-c', 'pwd; echo "$TMPDIR"; ls -A /tmp'] }), context());
    expect(plain.outputs.result).toBe('/\n/tmp');
    const nested = await sandboxed.run(request({ command: ['pwd'], workingDir: '/tmp/work/dir' }), context());
    expect(nested.outputs.result).toBe('/tmp/work/dir');
    const relative = await sandboxed.run(request({ command: ['pwd'], workingDir: 'sub' }), context());
    expect(relative.outputs.result).toBe('/sub');
  });

  it('makes a missing workingDir in its own root, as a container runtime does, not on the host', async () => {
    const missing = `/nonexistent-${randomUUID().slice(0, 8)}/dir`;
    const result = await sandboxed.run(request({ command: ['pwd'], workingDir: missing }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: missing } });
    expect(existsSync(missing)).toBe(false);
  });

  it('mounts a volume under /tmp, shared by its init container and main container', async () => {
    const mount = [{ name: 'scratch', mountPath: '/tmp/scratch' }];
    const result = await sandboxed.run(
      request(
        { command: ['cat', '/tmp/scratch/x'], volumeMounts: mount },
        { volumes: [{ name: 'scratch', emptyDir: true }], initContainers: [{ name: 'fill', image: 'busybox', command: ['sh', '-c', 'echo shared > /tmp/scratch/x'], volumeMounts: mount }] },
      ),
      context(),
    );
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'shared' } });
  });

  it('writes anywhere in a root of its own: the host never sees it, the next node starts clean', async () => {
    const file = `/etc/regatta-test-${randomUUID().slice(0, 8)}`;
    const first = await sandboxed.run(request({ command: ['sh', '-c', `echo one > ${file} && cat ${file}`] }), context());
    expect(first).toMatchObject({ phase: 'Succeeded', outputs: { result: 'one' } });
    expect(existsSync(file)).toBe(false);
    const second = await sandboxed.run(request({ command: ['sh', '-c', `cat ${file} 2>/dev/null || echo absent`] }), context());
    expect(second.outputs.result).toBe('absent');
  });

  it('ends whatever the command left running when it exits, as a container does', async () => {
    const { command, marker } = withMarker((sleep) => `(${sleep} 30 &); ${sleep} 31 & echo done`);
    const result = await sandboxed.run(request({ command }), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'done' } });
    expect(processesWith(marker)).toEqual([]);
  });

  it('leaves no process behind when its worker is killed with SIGKILL', async () => {
    const { command, marker } = withMarker((sleep) => `${sleep} 100 & sh -c '${sleep} 101 & ${sleep} 102; :' & (${sleep} 103 &); echo started; wait`);
    const worker = join(workDir, 'worker.ts');
    const executorModule = fileURLToPath(new URL('./local-executor.ts', import.meta.url));
    writeFileSync(
      worker,
      `import { LocalExecutor } from ${JSON.stringify(executorModule)};
const executor = new LocalExecutor({ workDir: ${JSON.stringify(workDir)} });
const request = ${JSON.stringify(request({ command }))};
void executor.run(request, { signal: new AbortController().signal, onLog: (_stream, line) => console.log(line) });
`,
    );
    // vite-node (vitest's own runner) runs the TypeScript source in a plain Node process.
    const viteNode = join(dirname(createRequire(import.meta.url).resolve('vite-node')), '..', 'vite-node.mjs');
    const child = spawn(process.execPath, [viteNode, worker], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
      child.once('exit', () => reject(new Error('the worker exited before the node started')));
    });
    expect(processesWith(marker).length).toBeGreaterThanOrEqual(5);
    child.kill('SIGKILL');
    await expect.poll(() => processesWith(marker), { timeout: 3_000, interval: 50 }).toEqual([]);
  });
});

describe('the local executor where nodes cannot be isolated', () => {
  it('warns once, saying why, and still runs nodes', async () => {
    const bin = mkdtempSync(join(hostDir, 'bin-'));
    for (const tool of ['sh', 'setpriv']) symlinkSync(resolveCommand(tool, process.env.PATH ?? '')!, join(bin, tool));
    const warnings: string[] = [];
    const executor = new LocalExecutor({ workDir, hostEnv: { PATH: bin }, warn: (message) => warnings.push(message) });
    const [first, second] = await Promise.all([
      executor.run(request({ command: ['sh', '-c', 'echo one'] }), context()),
      executor.run(request({ command: ['sh', '-c', 'echo two'] }), context()),
    ]);
    expect([first.outputs.result, second.outputs.result]).toEqual(['one', 'two']);
    expect(warnings).toEqual([
      'local executor: nodes are not isolated (unshare, mount, env not found on PATH (setpriv, unshare and mount come with util-linux, env with coreutils)); ' +
        'each gets a process group and a parent-death signal (setpriv --pdeathsig KILL) only: ' +
        "nodes share the host's /tmp, and a worker killed with SIGKILL may leave a node's child processes behind",
    ]);
  });

  it('errors on a workingDir that does not exist on this host', async () => {
    const result = await unisolated.run(request({ command: ['true'], workingDir: '/nonexistent/dir' }), context());
    expect(result).toMatchObject({ phase: 'Error', message: 'workingDir "/nonexistent/dir" does not exist on this host' });
  });

  it('does not warn when isolation is turned off', async () => {
    const warnings: string[] = [];
    const executor = new LocalExecutor({ workDir, isolation: 'none', warn: (message) => warnings.push(message) });
    expect((await executor.run(request({ command: ['true'] }), context())).phase).toBe('Succeeded');
    expect(warnings).toEqual([]);
  });
});
