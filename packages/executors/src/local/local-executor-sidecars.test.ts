import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesWith } from '../../test-support/processes.js';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { resolveCommand } from './command-resolve.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-sidecars-'));
/** Outside /tmp, so that it is the same folder inside the sandbox. */
const hostDir = mkdtempSync('/var/tmp/regatta-sidecars-');
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});
const sandboxed = new LocalExecutor({ workDir, killGraceMs: 500 });
const unisolated = new LocalExecutor({ workDir, killGraceMs: 500, isolation: 'none' });

function request(command: string[], sidecars: NodeRunRequest['sidecars']): NodeRunRequest {
  const node = { nodeId: `node-${randomUUID().slice(0, 8)}`, nodeName: 'wf', attempt: 0, templateName: 'main' };
  return { workflow: { name: 'wf', namespace: 'default', uid: 'uid' }, ...node, container: { image: 'busybox', command }, sidecars };
}

function context(signal = new AbortController().signal): RunContext & { lines: string[]; started: number } {
  const ctx = { signal, lines: [] as string[], started: 0, onLog: (stream: string, line: string) => ctx.lines.push(`${stream}: ${line}`), onStarted: () => ctx.started++ };
  return ctx;
}

/** A `sh -c` command with `<marker>` on its PATH: `sleep` by a name no other process has. */
function withMarker(marker: string, script: string): string[] {
  if (!existsSync(join(hostDir, marker))) symlinkSync(resolveCommand('sleep', process.env.PATH ?? '')!, join(hostDir, marker));
  return ['sh', '-c', `PATH="${hostDir}:$PATH"; ${script}`];
}

const sidecar = (name: string, command: string[]) => ({ name, image: 'busybox', command });

describe('sidecars in the sandbox', () => {
  it("share the node's private /tmp with the main container", async () => {
    const writer = sidecar('writer', ['sh', '-c', 'echo from-sidecar > /tmp/shared; exec sleep 30']);
    const main = ['sh', '-c', 'while [ ! -f /tmp/shared ]; do sleep 0.05; done; cat /tmp/shared'];
    const result = await sandboxed.run(request(main, [writer]), context());
    expect(result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'from-sidecar', exitCode: '0' } });
  });
});

describe.each([
  ['sandboxed', sandboxed],
  ['unisolated', unisolated],
])('sidecars, %s', (_mode, executor) => {
  it("are stopped when the main container exits, leaving no process, and the node is the main container's; their lines are tagged", async () => {
    const marker = `regatta-test-${randomUUID()}`;
    // Each sidecar says it is ready once its processes run (and the stubborn one ignores SIGTERM).
    const sidecars = [
      sidecar('plain', withMarker(marker, `echo up; echo warn >&2; ${marker} 30 & : > "$TMPDIR/plain"; ${marker} 31`)),
      sidecar('stubborn', withMarker(marker, `trap '' TERM; ${marker} 32 & : > "$TMPDIR/stubborn"; wait; wait`)),
    ];
    const main = ['sh', '-c', 'until [ -f "$TMPDIR/plain" ] && [ -f "$TMPDIR/stubborn" ]; do sleep 0.05; done; echo main'];
    const ctx = context();
    const result = await executor.run(request(main, sidecars), ctx);
    expect(result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'main', exitCode: '0' } });
    expect(ctx.lines).toEqual(expect.arrayContaining(['stdout: [plain] up', 'stderr: [plain] warn', 'stdout: main']));
    await expect.poll(() => processesWith(marker), { timeout: 2_000 }).toEqual([]);
  });

  it('fail the node by an exit code of their own, but not by 137 or 143', async () => {
    const failing = sidecar('db', ['sh', '-c', 'exit 3']);
    const result = await executor.run(request(['sh', '-c', 'sleep 0.3; echo done'], [failing]), context());
    expect(result).toMatchObject({ phase: 'Failed', exitCode: 0, message: 'db: Error (exit code 3)', outputs: { result: 'done', exitCode: '0' } });
    const killed = sidecar('killed', ['sh', '-c', 'kill -TERM $$']);
    expect((await executor.run(request(['sh', '-c', 'sleep 0.3'], [killed]), context())).phase).toBe('Succeeded');
  });

  it('make the node an Error naming the sidecar when its command is missing, and start nothing', async () => {
    const file = join(hostDir, `never-${randomUUID()}`);
    const ctx = context();
    const result = await executor.run(request(['touch', file], [sidecar('db', ['no-such-database'])]), ctx);
    expect(result).toMatchObject({ phase: 'Error', message: 'sidecar "db": command "no-such-database" not found on this host (it stands for image "busybox")' });
    expect(existsSync(file)).toBe(false);
    expect(ctx.started).toBe(0);
  });

  it('are stopped with the main container when the node is aborted', async () => {
    const marker = `regatta-test-${randomUUID()}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort("Stopped with strategy 'Terminate'"), 300);
    const started = Date.now();
    const result = await executor.run(request(withMarker(marker, `${marker} 30; :`), [sidecar('server', withMarker(marker, `${marker} 31; :`))]), context(controller.signal));
    expect(result).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect.poll(() => processesWith(marker), { timeout: 2_000 }).toEqual([]);
  });
});

describe.each([
  ['sandboxed', sandboxed],
  ['unisolated', unisolated],
])('onStarted, %s', (_mode, executor) => {
  it('is called once, while the main process runs', async () => {
    const controller = new AbortController();
    const ctx = context(controller.signal);
    // Aborting from onStarted ends a 30 s sleep at once only if it is called while the process runs.
    ctx.onStarted = () => {
      ctx.started++;
      controller.abort();
    };
    const started = Date.now();
    const result = await executor.run(request(['sleep', '30'], [sidecar('side', ['sleep', '30'])]), ctx);
    expect(result).toMatchObject({ phase: 'Failed', message: 'terminated' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(ctx.started).toBe(1);
  });

  it('is not called for a command that is missing', async () => {
    const ctx = context();
    expect(await executor.run(request(['no-such-command'], undefined), ctx)).toMatchObject({ phase: 'Error' });
    expect(ctx.started).toBe(0);
  });
});
