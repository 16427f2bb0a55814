import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-executor-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const executor = new LocalExecutor({ workDir, killGraceMs: 500 });

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

describe('the local executor', () => {
  it('captures stdout as the result with one trailing newline trimmed, and logs both streams', async () => {
    const ctx = context();
    const result = await executor.run(request({ command: ['sh', '-c', 'echo one; echo two >&2; printf "three\\n\\n"'] }), ctx);
    expect(result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'one\nthree\n', exitCode: '0' } });
    expect(ctx.lines).toContain('stderr: two');
    expect(ctx.lines).toContain('stdout: three');
    expect(result.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("fails a non-zero exit with Argo's message", async () => {
    const result = await executor.run(request({ command: ['sh', '-c', 'exit 3'] }), context());
    expect(result).toMatchObject({ phase: 'Failed', exitCode: 3, message: 'Error (exit code 3)', outputs: { exitCode: '3' } });
  });

  it('runs a script template with sh and with python3, args after the script', async () => {
    const sh = await executor.run(request({ command: ['sh'], args: ['x'] }, { script: { source: 'echo "script $1"' } }), context());
    expect(sh.outputs.result).toBe('script x');
    const python = await executor.run(request({ command: ['python3'] }, { script: { source: 'print(6 * 7)' } }), context());
    expect(python.outputs.result).toBe('42');
  });

  it('passes the template env and workingDir, and no other variables of the worker', async () => {
    process.env.REGATTA_SECRET_OF_WORKER = 'leak';
    const result = await executor.run(
      request({ command: ['sh', '-c', 'echo "$GREETING $REGATTA_SECRET_OF_WORKER"; pwd'], env: [{ name: 'GREETING', value: 'hi' }], workingDir: '/' }),
      context(),
    );
    delete process.env.REGATTA_SECRET_OF_WORKER;
    expect(result.outputs.result).toBe('hi \n/');
  });

  it('reads output parameters from the node /tmp, each parallel node its own', async () => {
    const write = (value: string) =>
      executor.run(
        request(
          { command: ['sh', '-c', `sleep 0.2; echo ${value} > /tmp/out.txt`] },
          { outputParameters: [{ name: 'out', valueFrom: { path: '/tmp/out.txt' } }] },
        ),
        context(),
      );
    const [a, b] = await Promise.all([write('alpha'), write('beta')]);
    expect(a.outputs.parameters).toEqual([{ name: 'out', value: 'alpha' }]);
    expect(b.outputs.parameters).toEqual([{ name: 'out', value: 'beta' }]);
  });

  it('uses valueFrom.default when the file is missing, and errors without one', async () => {
    const withDefault = await executor.run(
      request({ command: ['true'] }, { outputParameters: [{ name: 'p', valueFrom: { path: '/tmp/none', default: 'fallback' } }] }),
      context(),
    );
    expect(withDefault.outputs.parameters).toEqual([{ name: 'p', value: 'fallback' }]);
    const without = await executor.run(request({ command: ['true'] }, { outputParameters: [{ name: 'p', valueFrom: { path: '/tmp/none' } }] }), context());
    expect(without).toMatchObject({ phase: 'Error', message: 'failed to read output parameter "p" from /tmp/none: ENOENT' });
  });

  it('names the missing command and the image it stood for', async () => {
    const result = await executor.run(request({ image: 'docker/whalesay:latest', command: ['cowsay', 'hi'] }), context());
    expect(result).toMatchObject({ phase: 'Error', message: 'command "cowsay" not found on this host (it stands for image "docker/whalesay:latest")' });
    const none = await executor.run(request({ image: 'alpine' }), context());
    expect(none).toMatchObject({ phase: 'Error', message: `container "alpine" has no command: the local executor cannot run an image's entrypoint` });
  });

  it('keeps the last 256 KiB of a large stdout', async () => {
    const result = await executor.run(request({ command: ['python3', '-c', 'import sys; sys.stdout.write("a" * 300000 + "END\\n")'] }), context());
    expect(result.outputs.result).toHaveLength(256 * 1024 - 1);
    expect(result.outputs.result?.endsWith('aEND')).toBe(true);
  });

  it('kills the whole process group on abort', async () => {
    const controller = new AbortController();
    const marker = `abort-${randomUUID()}`;
    setTimeout(() => controller.abort(), 300);
    const sleeper = `python3 -c "import time; time.sleep(30)" ${marker}`;
    const result = await executor.run(request({ command: ['sh', '-c', `${sleeper} & ${sleeper}`] }), context(controller.signal));
    expect(result).toMatchObject({ phase: 'Failed', message: 'terminated' });
    await expect.poll(() => processesWith(marker), { timeout: 3000 }).toEqual([]);
  });

  it('leaves no process behind when its worker is killed with SIGKILL', async () => {
    const marker = `orphan-${randomUUID()}`;
    const script = fileURLToPath(new URL('../../test-support/run-and-hang.mjs', import.meta.url));
    const worker = spawn(process.execPath, [script, workDir, marker], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => worker.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve()));
    expect(processesWith(marker).length).toBeGreaterThan(0);
    worker.kill('SIGKILL');
    await expect.poll(() => processesWith(marker), { timeout: 5000 }).toEqual([]);
  });
});

/** Pids of live processes whose command line contains the marker. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}
