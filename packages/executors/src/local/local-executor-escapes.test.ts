// What a node must not reach, run by a root worker (as here and in CI): the worker's environment and
// every process of the host through /proc, the host's devices and sysctls, the sandbox's own setup steps.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
