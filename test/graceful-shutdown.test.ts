// A worker given SIGTERM while a node runs stops taking jobs but lets the node finish within its
// shutdown grace (REGATTA_SHUTDOWN_GRACE_MS), reports its result, and only then exits; a scheduler
// given SIGTERM releases its shards. Both run as the apps' own entry points, `regatta-worker` and
// `regatta-scheduler`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { cliEnv, regatta, ROOT, startService, stopService } from './support/cli.js';
import { keysUnder, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];

/** Starts an app's entry point (apps/<app>/bin/regatta-<app>.js) as an operator would. */
function startApp(app: 'scheduler' | 'worker', extra: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, `apps/${app}/bin/regatta-${app}.js`)], { cwd: ROOT, env: cliEnv(prefix, { LOG_LEVEL: 'info', ...extra }) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const service = { child, output: () => output };
  services.push(service);
  return service;
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', resolve));

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('graceful shutdown', () => {
  it('lets a running node finish and report within the grace period before the worker exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regatta-graceful-'));
    const file = join(dir, 'slow.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: slow}
spec:
  entrypoint: slow
  volumes: [{name: shared, hostPath: {path: ${dir}}}]
  templates:
  - name: slow
    container:
      image: busybox
      command: [sh, -c, 'echo run >> /shared/ran; sleep 3; touch /shared/finished']
      volumeMounts: [{name: shared, mountPath: /shared}]
`,
    );
    const scheduler = startApp('scheduler');
    const { child: worker, output } = startApp('worker', { REGATTA_HOSTPATH_ALLOW: dir, REGATTA_SHUTDOWN_GRACE_MS: '30000' });
    const exited = new Promise<{ code: number | null; finishedBefore: boolean }>((resolve) =>
      worker.once('exit', (code) => resolve({ code, finishedBefore: existsSync(join(dir, 'finished')) })),
    );
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix);

    await until('the node to start', async () => existsSync(join(dir, 'ran')), 30_000);
    worker.kill('SIGTERM');
    const { code, finishedBefore } = await exited;
    // It exited only once the node had ended, and cleanly.
    expect(finishedBefore).toBe(true);
    expect(code).toBe(0);
    expect(output()).toContain('letting running nodes finish');

    // No worker is left: the result the stopping worker reported ends the workflow, and the node ran once.
    const result = await watched;
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('run\n');

    // The scheduler held every shard; stopped, it hands them back at once instead of letting leases lapse.
    expect((await keysUnder(prefix)).filter((key) => key.endsWith(':lease'))).toHaveLength(4);
    const schedulerExit = exitOf(scheduler.child);
    scheduler.child.kill('SIGTERM');
    expect(await schedulerExit).toBe(0);
    expect((await keysUnder(prefix)).filter((key) => key.endsWith(':lease'))).toEqual([]);
  }, 60_000);
});
