import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerSetContainer } from '@regatta/spec';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-container-set-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const executor = new LocalExecutor({ workDir, killGraceMs: 500 });

function request(containers: ContainerSetContainer[], extra: Partial<NodeRunRequest> = {}): NodeRunRequest {
  const node = { nodeId: `node-${randomUUID().slice(0, 8)}`, nodeName: 'wf', attempt: 0, templateName: 'main' };
  return { workflow: { name: 'wf', namespace: 'default', uid: 'uid' }, ...node, container: {}, containerSet: { containers }, ...extra };
}

function context(signal = new AbortController().signal): RunContext & { lines: string[] } {
  const ctx = { signal, lines: [] as string[], onLog: (stream: string, line: string) => ctx.lines.push(`${stream}: ${line}`) };
  return ctx;
}

const sh = (name: string, script: string, dependencies?: string[]): ContainerSetContainer => ({
  name,
  image: 'alpine',
  command: ['sh', '-c', script],
  ...(dependencies && { dependencies }),
});

describe('containerSet in the local executor', () => {
  it('runs containers in dependency order, sharing /tmp; the result is main’s', async () => {
    const result = await executor.run(
      request(
        [
          sh('main', 'cat /tmp/log; echo main-out', ['b', 'c']),
          sh('a', 'echo a >> /tmp/log'),
          sh('b', 'sleep 0.2; echo b >> /tmp/log; echo b-said', ['a']),
          sh('c', 'echo c >> /tmp/log', ['a']),
        ],
        { outputParameters: [{ name: 'log', valueFrom: { path: '/tmp/log' } }] },
      ),
      context(),
    );
    expect(result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'a\nc\nb\nmain-out', exitCode: '0' } });
    expect(result.outputs.parameters).toEqual([{ name: 'log', value: 'a\nc\nb' }]);
    expect(result.containers?.map(({ name, phase, exitCode }) => [name, phase, exitCode])).toEqual([
      ['main', 'Succeeded', 0],
      ['a', 'Succeeded', 0],
      ['b', 'Succeeded', 0],
      ['c', 'Succeeded', 0],
    ]);
    expect(result.containers?.every((c) => c.startedAt && c.finishedAt)).toBe(true);
  });

  it('tags each container’s log lines with its name', async () => {
    const ctx = context();
    await executor.run(request([sh('first', 'echo one; echo err >&2'), sh('second', 'echo two', ['first'])]), ctx);
    expect(ctx.lines).toEqual(['stdout: [first] one', 'stderr: [first] err', 'stdout: [second] two']);
  });

  it('a failed container fails the node and its dependents never start; the result is the last container’s', async () => {
    const ctx = context();
    const result = await executor.run(
      request([sh('a', 'echo ran-a > /tmp/a; exit 3'), sh('b', 'echo ran-b'), sh('c', 'echo ran-c', ['a']), sh('d', 'echo ran-d', ['b'])]),
      ctx,
    );
    expect(result).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 3)', exitCode: 0, outputs: { result: 'ran-d' } });
    expect(result.containers?.map(({ name, phase, exitCode, message }) => [name, phase, exitCode, message])).toEqual([
      ['a', 'Failed', 3, 'Error (exit code 3)'],
      ['b', 'Succeeded', 0, undefined],
      ['c', 'Omitted', undefined, 'dependency "a" did not succeed'],
      ['d', 'Succeeded', 0, undefined],
    ]);
    expect(ctx.lines).not.toContain('stdout: [c] ran-c');
  });

  it('retries a failed container up to containerSet.retryStrategy.retries times', async () => {
    const flaky = sh('main', 'n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n; echo try-$n; [ $n -ge 3 ]');
    const ok = await executor.run(request([flaky], { containerSet: { containers: [flaky], retries: 2 } }), context());
    expect(ok).toMatchObject({ phase: 'Succeeded', outputs: { result: 'try-3' } });
    const failed = await executor.run(request([flaky], { containerSet: { containers: [flaky], retries: 1 } }), context());
    expect(failed).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)', outputs: { result: 'try-2', exitCode: '1' } });
  });

  it('waits retryStrategy.duration between runs of a failed container, and an abort ends the wait', async () => {
    const stamp = sh('main', 'date +%s%N >> /tmp/runs; [ $(wc -l < /tmp/runs) -ge 2 ] && cat /tmp/runs');
    const ok = await executor.run(request([stamp], { containerSet: { containers: [stamp], retries: 1, retryDelayMs: 700 } }), context());
    expect(ok.phase).toBe('Succeeded');
    const [first, second] = (ok.outputs.result ?? '').split('\n').map((nanos) => Number(BigInt(nanos) / 1_000_000n));
    expect(second! - first!).toBeGreaterThanOrEqual(700);
    const controller = new AbortController();
    const fails = sh('main', 'exit 1');
    setTimeout(() => controller.abort('Stopped with strategy \'Stop\''), 300);
    const started = Date.now();
    const stopped = await executor.run(request([fails], { containerSet: { containers: [fails], retries: 3, retryDelayMs: 60_000 } }), context(controller.signal));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stopped).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Stop'" });
  });

  it('an abort stops every running container and starts no other', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort('Stopped with strategy \'Terminate\''), 300);
    const result = await executor.run(request([sh('a', 'sleep 30'), sh('b', 'sleep 30'), sh('main', 'echo never', ['a'])]), context(controller.signal));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(result.containers?.map(({ name, phase }) => [name, phase])).toEqual([
      ['a', 'Failed'],
      ['b', 'Failed'],
      ['main', 'Omitted'],
    ]);
  });

  it('refuses a cycle, an unknown dependency and a command missing on the host before running anything', async () => {
    expect(await executor.run(request([sh('a', 'true', ['b']), sh('b', 'true', ['a'])]), context())).toMatchObject({
      phase: 'Error',
      message: 'containerSet: dependencies form a cycle (a -> b -> a)',
    });
    expect(await executor.run(request([sh('a', 'true', ['x'])]), context())).toMatchObject({
      phase: 'Error',
      message: 'containerSet: container "a" depends on "x", which is not in the set',
    });
    const missing = await executor.run(request([sh('a', 'true'), { name: 'b', image: 'nope', command: ['no-such-command-xyz'] }]), context());
    expect(missing).toMatchObject({ phase: 'Error', message: 'container "b": command "no-such-command-xyz" not found on this host (it stands for image "nope")' });
  });
});
